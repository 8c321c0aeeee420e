"""User and role management for administrators (/brugere/): list, create, edit, password,
deactivate and reactivate, the safety rules, the history tab, and that a role change
reaches the user's next request."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from committees.models import Person
from committees.users import services
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

STRONG = "Vandtaarn-Kloster-58"


def _sign_in(client, username, password) -> bool:
    """Sign in through the login page (django-axes wants the request); True if it worked."""
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def _form(**overrides) -> dict:
    data = {
        "username": "jens.hansen",
        "first_name": "Jens",
        "last_name": "Hansen",
        "email": "jens@example.dk",
        "roles": [roles.CASEWORKER],
        "person": "",
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def admin_client(administrator, client_for):
    return client_for(administrator)


# -- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.CASEWORKER, roles.SECRETARY, roles.POLITICIAN, None])
def test_every_route_refused_to_non_administrators(client_for, role):
    target = factories.user(roles.POLITICIAN)
    client = client_for(factories.user(role))
    urls = [
        reverse("users:user_list"),
        reverse("users:user_create"),
        reverse("users:user_history", args=[target.pk]),
        reverse("users:user_edit", args=[target.pk]),
        reverse("users:user_password", args=[target.pk]),
        reverse("users:user_deactivate", args=[target.pk]),
        reverse("users:user_reactivate", args=[target.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, _form()).status_code == 403, url
    target.refresh_from_db()
    assert target.is_active
    assert not User.objects.filter(username="jens.hansen").exists()


def test_staff_flag_without_the_administrator_role_is_refused(client_for):
    """Model permissions alone are not enough: the rule asks for the Administrator role."""
    from django.contrib.auth.models import Permission

    user = factories.user(roles.CASEWORKER)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__endswith="_user")
    )
    assert client_for(user).get(reverse("users:user_list")).status_code == 403


def test_navigation_links_users_for_administrators_only(client_for, administrator):
    url = reverse("users:user_list")
    assert (
        f'href="{url}"'
        in client_for(administrator).get(reverse("calendar_settings")).content.decode()
    )
    caseworker = factories.user(roles.CASEWORKER)
    assert (
        f'href="{url}"'
        not in client_for(caseworker).get(reverse("calendar_settings")).content.decode()
    )


# -- list -----------------------------------------------------------------------------------


def test_list_shows_current_and_former_users(admin_client, django_assert_max_num_queries):
    admin_office = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    sara = factories.user(roles.CASEWORKER, "sara", first_name="Sara", last_name="Sag")
    factories.staff(sara, admin_office)
    former = factories.user(roles.POLITICIAN, "tidligere")
    former.is_active = False
    former.save()
    for _ in range(3):
        factories.user(roles.SECRETARY)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("users:user_list"))
    page = response.content.decode()
    assert response.status_code == 200
    current, former_part = page.split('id="former-users"')
    assert "sara" in current and "Sara Sag" in current and roles.CASEWORKER in current
    assert "BIF" in current and "sara" not in former_part
    assert "tidligere" in former_part and "tidligere" not in current


# -- create ----------------------------------------------------------------------------------


def test_create_user_with_roles_person_and_grant(admin_client, administrator):
    person = factories.person("Jens Hansen")
    response = admin_client.post(
        reverse("users:user_create"),
        _form(
            roles=[roles.CASEWORKER, roles.SECRETARY],
            person=person.pk,
            act_for_all_administrations="on",
        ),
    )
    user = User.objects.get(username="jens.hansen")
    assert response.status_code == 302
    assert response["Location"] == reverse("users:user_history", args=[user.pk])
    assert set(user.groups.values_list("name", flat=True)) == {roles.CASEWORKER, roles.SECRETARY}
    assert user.check_password(STRONG)
    assert user.has_perm("committees.act_for_all_administrations")
    person.refresh_from_db()
    assert person.user == user
    assert not user.is_staff and not user.is_superuser and user.is_active


def test_create_never_grants_superuser_or_staff(admin_client):
    admin_client.post(reverse("users:user_create"), _form(is_superuser="on", is_staff="on"))
    user = User.objects.get(username="jens.hansen")
    assert not user.is_superuser and not user.is_staff


def test_weak_password_refused_with_input_kept(admin_client):
    response = admin_client.post(
        reverse("users:user_create"), _form(password1="12345", password2="12345")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in page
    assert 'value="jens.hansen"' in page
    assert not User.objects.filter(username="jens.hansen").exists()


def test_mismatched_passwords_refused(admin_client):
    response = admin_client.post(reverse("users:user_create"), _form(password2=STRONG + "x"))
    assert response.status_code == 400
    assert not User.objects.filter(username="jens.hansen").exists()


def test_username_unique_whatever_its_case(admin_client):
    factories.user(roles.CASEWORKER, "Jens.Hansen")
    response = admin_client.post(reverse("users:user_create"), _form(first_name="Jensine"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "er allerede i brug" in page
    assert 'value="Jensine"' in page
    assert User.objects.filter(username__iexact="jens.hansen").count() == 1


def test_person_with_a_login_is_not_offered(admin_client):
    taken = factories.person("Har Login", user=factories.user(roles.CASEWORKER))
    factories.person("Uden Login")
    page = admin_client.get(reverse("users:user_create")).content.decode()
    assert "Uden Login" in page and "Har Login" not in page
    response = admin_client.post(reverse("users:user_create"), _form(person=taken.pk))
    assert response.status_code == 400
    assert not User.objects.filter(username="jens.hansen").exists()


# -- edit ------------------------------------------------------------------------------------


def test_edit_changes_roles_person_and_grant(admin_client):
    user = factories.user(roles.CASEWORKER, "ole", scoped=True)
    old_person = factories.person("Ole Gammel", user=user)
    new_person = factories.person("Ole Ny")
    response = admin_client.post(
        reverse("users:user_edit", args=[user.pk]),
        {
            "username": "ole",
            "first_name": "Ole",
            "last_name": "Olsen",
            "email": "",
            "roles": [roles.SECRETARY],
            "person": new_person.pk,
            "act_for_all_administrations": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_name == "Olsen"
    assert list(user.groups.values_list("name", flat=True)) == [roles.SECRETARY]
    assert User.objects.get(pk=user.pk).has_perm("committees.act_for_all_administrations")
    old_person.refresh_from_db()
    new_person.refresh_from_db()
    assert old_person.user is None and new_person.user == user


def test_edit_form_shows_the_current_values(admin_client):
    user = factories.user(roles.SECRETARY, "karen", scoped=True, first_name="Karen")
    person = factories.person("Karen Kultur", user=user)
    page = admin_client.get(reverse("users:user_edit", args=[user.pk])).content.decode()
    assert 'value="Karen"' in page
    assert f'value="{roles.SECRETARY}" id="id_roles_1" checked' in page
    assert f'value="{roles.CASEWORKER}" id="id_roles_0" checked' not in page
    assert f'<option value="{person.pk}" selected>' in page
    assert 'name="password1"' not in page


def test_cannot_remove_own_administrator_role(client_for):
    admin = factories.user(roles.ADMINISTRATOR, "ada")
    client = client_for(admin)
    response = client.post(
        reverse("users:user_edit", args=[admin.pk]),
        {"username": "ada", "roles": [roles.CASEWORKER]},
    )
    assert response.status_code == 400
    assert "din egen administratorrolle" in response.content.decode()
    assert admin.groups.filter(name=roles.ADMINISTRATOR).exists()


def test_another_administrators_role_may_be_removed(client_for):
    me = factories.user(roles.ADMINISTRATOR, "ada")
    other = factories.user(roles.ADMINISTRATOR, "bo")
    response = client_for(me).post(
        reverse("users:user_edit", args=[other.pk]), {"username": "bo", "roles": [roles.CASEWORKER]}
    )
    assert response.status_code == 302
    assert not other.groups.filter(name=roles.ADMINISTRATOR).exists()


def test_non_superuser_may_not_touch_a_superuser(client_for):
    admin = factories.user(roles.ADMINISTRATOR, "ada")
    root = User.objects.create_superuser("root", "root@example.dk", STRONG)
    client = client_for(admin)
    for name in ("user_edit", "user_password", "user_deactivate", "user_reactivate"):
        url = reverse(f"users:{name}", args=[root.pk])
        assert client.get(url).status_code == 403, name
        assert (
            client.post(
                url,
                {
                    "username": "root2",
                    "password1": "Ny-Adgang-9911x",
                    "password2": "Ny-Adgang-9911x",
                },
            ).status_code
            == 403
        ), name
    root.refresh_from_db()
    assert root.username == "root" and root.is_active and root.check_password(STRONG)
    # The history page is readable, without the buttons.
    page = client.get(reverse("users:user_history", args=[root.pk])).content.decode()
    assert reverse("users:user_edit", args=[root.pk]) not in page


def test_service_refuses_a_superuser_change_by_a_non_superuser():
    from django.core.exceptions import PermissionDenied

    admin = factories.user(roles.ADMINISTRATOR, "ada")
    root = User.objects.create_superuser("root", "root@example.dk", STRONG)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=admin, user=root)
    with pytest.raises(PermissionDenied):
        services.user_password_set(actor=admin, user=root, password="Ny-Adgang-9911x")


def test_superuser_may_edit_a_superuser_but_not_unmake_it(client_for):
    me = User.objects.create_superuser("me", "me@example.dk", STRONG)
    root = User.objects.create_superuser("root", "root@example.dk", STRONG)
    response = client_for(me).post(
        reverse("users:user_edit", args=[root.pk]),
        {"username": "root", "first_name": "Rod", "is_superuser": "", "is_staff": ""},
    )
    assert response.status_code == 302
    root.refresh_from_db()
    assert root.first_name == "Rod" and root.is_superuser and root.is_staff


# -- password --------------------------------------------------------------------------------


def test_set_new_password(admin_client):
    user = factories.user(roles.CASEWORKER, "ole")
    url = reverse("users:user_password", args=[user.pk])
    assert admin_client.post(url, {"password1": "kort", "password2": "kort"}).status_code == 400
    response = admin_client.post(url, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)


# -- end and reactivate ----------------------------------------------------------------------


def test_deactivate_with_confirm_page_then_reactivate(admin_client):
    user = factories.user(roles.CASEWORKER, "ole")
    person = factories.person("Ole", user=user)
    url = reverse("users:user_deactivate", args=[user.pk])
    page = admin_client.get(url).content.decode()
    assert "Intet slettes" in page
    user.refresh_from_db()
    assert user.is_active  # the GET only asks
    assert admin_client.post(url).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert User.objects.filter(pk=user.pk).exists()
    person.refresh_from_db()
    assert person.user == user
    assert admin_client.post(reverse("users:user_reactivate", args=[user.pk])).status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_cannot_deactivate_oneself(client_for):
    admin = factories.user(roles.ADMINISTRATOR, "ada")
    client = client_for(admin)
    page = client.get(reverse("users:user_history", args=[admin.pk])).content.decode()
    assert reverse("users:user_deactivate", args=[admin.pk]) not in page
    response = client.post(reverse("users:user_deactivate", args=[admin.pk]))
    assert response.status_code == 400
    assert "dit eget login" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_deactivated_user_cannot_sign_in(admin_client, client):
    user = factories.user(roles.CASEWORKER, "ole")
    user.set_password(STRONG)
    user.save()
    admin_client.post(reverse("users:user_deactivate", args=[user.pk]))
    admin_client.logout()
    assert not _sign_in(client, "ole", STRONG)


# -- history ---------------------------------------------------------------------------------


def test_history_shows_fields_roles_and_password_without_hash(admin_client, administrator):
    person = factories.person("Jens Hansen")
    admin_client.post(reverse("users:user_create"), _form(person=person.pk))
    user = User.objects.get(username="jens.hansen")
    admin_client.post(
        reverse("users:user_edit", args=[user.pk]),
        {"username": "jens.hansen", "last_name": "Jensen", "roles": [roles.SECRETARY]},
    )
    admin_client.post(
        reverse("users:user_password", args=[user.pk]),
        {"password1": STRONG + "2", "password2": STRONG + "2"},
    )
    admin_client.post(reverse("users:user_deactivate", args=[user.pk]))
    response = admin_client.get(reverse("users:user_history", args=[user.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hansen" in page and "Jensen" in page  # last name old → new
    assert roles.CASEWORKER in page and roles.SECRETARY in page  # roles by name
    assert "Der blev sat en ny adgangskode" in page
    assert "Jens Hansen" in page  # the person linked
    user.refresh_from_db()
    assert user.password not in page
    assert "md5$" not in page and "pbkdf2" not in page
    assert administrator.username in page or administrator.get_full_name() in page
    # No password hash is stored in the history tables at all.
    assert not hasattr(User.history.model, "password")


def test_history_records_who_changed_the_roles(admin_client, administrator):
    user = factories.user(roles.CASEWORKER, "ole", scoped=True)
    before = User.history.filter(id=user.pk).count()
    admin_client.post(
        reverse("users:user_edit", args=[user.pk]), {"username": "ole", "roles": [roles.POLITICIAN]}
    )
    rows = User.history.filter(id=user.pk, history_user=administrator)
    assert rows.count() == 1  # one save, one history row (not one per role removed or added)
    assert User.history.filter(id=user.pk).count() == before + 1
    latest = rows.order_by("-history_id").first()
    assert [g.group.name for g in latest.groups.all()] == [roles.POLITICIAN]


def test_signing_in_adds_no_history_row(client):
    user = factories.user(roles.CASEWORKER, "ole")
    user.set_password(STRONG)
    user.save()
    before = User.history.filter(id=user.pk).count()
    assert _sign_in(client, "ole", STRONG)
    user.refresh_from_db()
    assert user.last_login is not None
    assert User.history.filter(id=user.pk).count() == before


def test_history_page_query_count(admin_client, django_assert_max_num_queries):
    user = factories.user(roles.CASEWORKER, "ole")
    for index in range(4):
        admin_client.post(
            reverse("users:user_edit", args=[user.pk]),
            {"username": "ole", "first_name": f"Ole {index}", "roles": [roles.CASEWORKER]},
        )
    with django_assert_max_num_queries(20):
        assert admin_client.get(reverse("users:user_history", args=[user.pk])).status_code == 200


# -- a role change reaches the next request --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_removed_role_refused_on_the_users_next_request(client):
    from django.test import Client

    roles.ensure_roles()
    caseworker = factories.user(roles.CASEWORKER, "sara")
    admin = factories.user(roles.ADMINISTRATOR, "ada")
    client.force_login(caseworker)
    # The plan list is a shared page: it keeps the caseworker's grants under the access version.
    for _ in range(2):
        page = client.get(reverse("helhedsplaner:plan_list")).content.decode()
        assert reverse("helhedsplaner:plan_create") in page
    assert client.get(reverse("helhedsplaner:plan_create")).status_code == 200
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(
        reverse("users:user_edit", args=[caseworker.pk]), {"username": "sara", "roles": []}
    )
    assert response.status_code == 302
    assert client.get(reverse("helhedsplaner:plan_create")).status_code == 403
    page = client.get(reverse("helhedsplaner:plan_list")).content.decode()
    assert reverse("helhedsplaner:plan_create") not in page


@pytest.mark.django_db(transaction=True)
def test_granting_every_administration_bumps_access():
    from core import pagecache

    admin = factories.user(roles.ADMINISTRATOR, "ada")
    user = factories.user(roles.CASEWORKER, "ole", scoped=True)
    before = pagecache.generation()
    services.user_update(
        actor=admin,
        user=user,
        username="ole",
        roles=[roles.CASEWORKER],
        act_for_all_administrations=True,
    )
    assert pagecache.generation() > before
    before = pagecache.generation()
    services.user_update(
        actor=admin,
        user=user,
        username="ole",
        first_name="Ole",
        roles=[roles.CASEWORKER],
        act_for_all_administrations=True,
    )
    assert pagecache.generation() > before


def test_demo_users_are_listed(admin_client):
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    page = admin_client.get(reverse("users:user_list")).content.decode()
    for username in ("sagsbehandler", "sekretaer", "politiker", "admin", "sekretaer-kfu"):
        assert f">{username}</a>" in page
    assert Group.objects.filter(name=roles.ADMINISTRATOR).exists()
    assert Person.objects.filter(user__username="sagsbehandler").exists()
