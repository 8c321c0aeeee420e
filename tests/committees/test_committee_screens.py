"""Committees, people and memberships in the product's own screens (issue 17, part B):
who may change what (per role and per object), the messages a user sees, former members,
history rows with the acting user, and Django admin for superusers only."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from committees.models import Committee, Membership, Person
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db


def t(message: str, **params) -> str:
    """A message as the page shows it (translated, escaped), so the tests hold in Danish too."""
    text = gettext(message)
    return escape(text % params if params else text)


@pytest.fixture
def tmu():
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    committee = factories.committee(
        "TMU", name="Teknik- og Miljøudvalget", slug="tmu", administration=tmf
    )
    Membership.objects.create(
        person=factories.person("Gitte Dahl", party="Dansk Folkeparti (O)"),
        committee=committee,
        role=Membership.Role.CHAIR,
        start_date=date(2006, 1, 1),
    )
    return committee


@pytest.fixture
def tmu_secretary(tmu):
    user = factories.user(roles.SECRETARY, "sekretaer-tmu", scoped=True, first_name="Søren")
    factories.secretary_of(user, tmu)
    return user


@pytest.fixture
def other_secretary(tmu):
    kfu = factories.committee("KFU", name="Kultur- og Fritidsudvalget", slug="kfu")
    user = factories.user(roles.SECRETARY, "sekretaer-kfu", scoped=True)
    factories.secretary_of(user, kfu)
    return user


def login(client, user):
    client.force_login(user)
    return client


def membership_data(person, role="member", start="2024-01-01", end=""):
    return {"person": person.pk, "role": role, "start_date": start, "end_date": end}


def special_data(**fields):
    data = {
        "name": "Særudvalget for Tingbjerg-Husum",
        "short_name": "STH",
        "slug": "saerudvalg-tingbjerg-husum",
        "kind": "special_committee",
        "mandate": "Følger helhedsplanerne i Tingbjerg og Husum.",
        "period_start": "2022-06-01",
        "period_end": "2027-12-31",
        "established_by": "BR-beslutning 12. maj 2022, punkt 14",
        "established_on": "2022-05-12",
    }
    data.update(fields)
    return data


# -- committees -----------------------------------------------------------------------------


def test_administrator_creates_a_special_committee_with_its_founding_decision(
    client, administrator
):
    response = login(client, administrator).post(
        reverse("committees:committee_create"), special_data()
    )
    committee = Committee.objects.get(slug="saerudvalg-tingbjerg-husum")
    assert response.status_code == 302
    assert response["Location"] == reverse("committees:committee_detail", args=[committee.slug])
    assert committee.established_by == "BR-beslutning 12. maj 2022, punkt 14"
    assert committee.history.get().history_user == administrator
    page = client.get(response["Location"]).content.decode()
    assert "BR-beslutning 12. maj 2022, punkt 14" in page
    assert "12. maj 2022" in page


def test_special_committee_without_decision_or_end_is_refused_and_input_kept(client, administrator):
    response = login(client, administrator).post(
        reverse("committees:committee_create"),
        special_data(established_by="", period_end="", established_on=""),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert not Committee.objects.filter(slug="saerudvalg-tingbjerg-husum").exists()
    assert 'class="error-summary"' in content
    assert t("Give the city council's decision that set it up.") in content
    assert t("A special committee is set up for a limited time: give its end.") in content
    assert 'value="Særudvalget for Tingbjerg-Husum"' in content  # the input is kept


def test_special_committee_needs_its_decision_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(
            name="Særudvalg", short_name="SU", slug="su", kind=Committee.Kind.SPECIAL_COMMITTEE
        )


def test_a_committee_slug_may_not_take_another_pages_address(client, administrator):
    response = login(client, administrator).post(
        reverse("committees:committee_create"),
        special_data(slug="personer", kind="standing_committee"),
    )
    assert response.status_code == 200
    message = "“%(slug)s” is the address of another page: choose another slug."
    assert t(message, slug="personer") in response.content.decode()


def test_secretary_edits_the_mandate_of_their_own_committee_only(
    client, tmu, tmu_secretary, other_secretary
):
    url = reverse("committees:committee_edit", args=["tmu"])
    response = login(client, tmu_secretary).get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="mandate"' in content and 'name="kind"' not in content
    response = client.post(url, {"mandate": "Nyt kommissorium.", "name": "Ændret navn"})
    assert response.status_code == 302
    tmu.refresh_from_db()
    assert tmu.mandate == "Nyt kommissorium." and tmu.name == "Teknik- og Miljøudvalget"
    assert tmu.history.latest().history_user == tmu_secretary

    other = login(Client(), other_secretary)
    assert other.get(url).status_code == 403
    assert other.post(url, {"mandate": "Kapret."}).status_code == 403
    tmu.refresh_from_db()
    assert tmu.mandate == "Nyt kommissorium."


def test_only_administrators_create_and_end_committees(client, tmu, tmu_secretary, politician):
    for user in (tmu_secretary, politician):
        c = login(Client(), user)
        assert c.get(reverse("committees:committee_create")).status_code == 403
        assert c.post(reverse("committees:committee_end", args=["tmu"]), {}).status_code == 403
    assert (
        t("End the committee")
        not in login(client, tmu_secretary)
        .get(reverse("committees:committee_detail", args=["tmu"]))
        .content.decode()
    )


def test_ending_a_committee_ends_its_open_seats(client, administrator, tmu):
    response = login(client, administrator).post(
        reverse("committees:committee_end", args=["tmu"]), {"period_end": "2025-12-31"}
    )
    assert response.status_code == 302
    tmu.refresh_from_db()
    assert tmu.period_end == date(2025, 12, 31)
    seat = tmu.memberships.get(role=Membership.Role.CHAIR)
    assert seat.end_date == date(2025, 12, 31)
    assert seat.history.latest().history_user == administrator


def test_committee_history_tab_shows_changes_with_the_acting_user(client, administrator, tmu):
    administrator.first_name, administrator.last_name = "Ada", "Administrator"
    administrator.save()
    login(client, administrator).post(
        reverse("committees:committee_edit", args=["tmu"]),
        {
            "name": "Teknik- og Miljøudvalget",
            "short_name": "TMU",
            "slug": "tmu",
            "kind": "standing_committee",
            "administration": tmu.administration_id,
            "mandate": "Byens fysiske rammer.",
        },
    )
    response = client.get(reverse("committees:committee_history", args=["tmu"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ada Administrator" in content
    assert "Byens fysiske rammer." in content


# -- memberships ----------------------------------------------------------------------------


def test_secretary_adds_a_substitute_and_the_party_shows_from_the_person(
    client, tmu, tmu_secretary
):
    person = factories.person("Morten Krogh", party="Dansk Folkeparti (O)")
    response = login(client, tmu_secretary).post(
        reverse("committees:membership_create", args=["tmu"]),
        membership_data(person, role="substitute", start="2020-01-01"),
    )
    assert response.status_code == 302
    seat = Membership.objects.get(person=person)
    assert seat.role == Membership.Role.SUBSTITUTE
    assert seat.history.get().history_user == tmu_secretary
    page = client.get(reverse("committees:committee_detail", args=["tmu"])).content.decode()
    assert "Morten Krogh" in page and t("Substitute") in page and "Dansk Folkeparti (O)" in page


def test_secretary_of_another_committee_may_not_touch_its_memberships(client, tmu, other_secretary):
    person = factories.person("Morten Krogh")
    seat = tmu.memberships.get(role=Membership.Role.CHAIR)
    c = login(client, other_secretary)
    for url in (
        reverse("committees:membership_create", args=["tmu"]),
        reverse("committees:membership_edit", args=[seat.pk]),
        reverse("committees:membership_end", args=[seat.pk]),
    ):
        assert c.get(url).status_code == 403
        assert c.post(url, membership_data(person)).status_code == 403
    assert tmu.memberships.count() == 1
    assert tmu.memberships.get(role=Membership.Role.CHAIR).end_date is None
    page = c.get(reverse("committees:committee_detail", args=["tmu"])).content.decode()
    assert t("Add a member") not in page
    assert reverse("committees:membership_edit", args=[seat.pk]) not in page


def test_overlapping_membership_of_the_same_person_is_refused(client, tmu, tmu_secretary):
    person = factories.person("Hans Nørgaard")
    Membership.objects.create(person=person, committee=tmu, start_date=date(2006, 1, 1))
    response = login(client, tmu_secretary).post(
        reverse("committees:membership_create", args=["tmu"]),
        membership_data(person, role="vice_chair", start="2010-01-01"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    message = "%(person)s already has a role in %(committee)s in this period."
    assert t(message, person="Hans Nørgaard", committee="Teknik- og Miljøudvalget") in content
    assert Membership.objects.filter(person=person).count() == 1
    assert 'value="2010-01-01"' in content  # the input is kept


def test_a_committee_has_one_chair_at_a_time(client, tmu, tmu_secretary):
    person = factories.person("Ny Formand")
    url = reverse("committees:membership_create", args=["tmu"])
    response = login(client, tmu_secretary).post(
        url, membership_data(person, role="chair", start="2024-01-01")
    )
    content = response.content.decode()
    assert response.status_code == 200
    message = (
        "%(committee)s has one chair at a time, and %(person)s is chair in this period. "
        "End that chairmanship first."
    )
    assert t(message, committee="Teknik- og Miljøudvalget", person="Gitte Dahl") in content
    assert not Membership.objects.filter(person=person).exists()
    # Once the chairmanship has ended, the new chair may start the day after.
    chair = tmu.memberships.get(role=Membership.Role.CHAIR)
    client.post(reverse("committees:membership_end", args=[chair.pk]), {"end_date": "2023-12-31"})
    assert client.post(url, membership_data(person, role="chair")).status_code == 302


def test_ending_a_membership_keeps_it_as_a_former_member(client, tmu, tmu_secretary):
    seat = tmu.memberships.get(role=Membership.Role.CHAIR)
    url = reverse("committees:membership_end", args=[seat.pk])
    c = login(client, tmu_secretary)
    response = c.post(url, {"end_date": "2001-01-01"})
    assert response.status_code == 200
    message = "The membership cannot end before it starts (%(day)s)."
    assert t(message, day="01.01.2006") in response.content.decode()
    assert c.post(url, {"end_date": "2021-12-31"}).status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == date(2021, 12, 31)
    page = c.get(reverse("committees:committee_detail", args=["tmu"])).content.decode()
    former = page[page.index('id="tidligere-medlemmer"') :]
    assert "Gitte Dahl" in former and "1. januar 2006 – 31. december 2021" in former
    history = c.get(reverse("committees:committee_history", args=["tmu"])).content.decode()
    assert "sekretaer-tmu" in history or "Søren" in history


def test_secretary_edits_a_membership_role(client, tmu, tmu_secretary):
    person = factories.person("Ida Vestergaard")
    seat = Membership.objects.create(person=person, committee=tmu, start_date=date(2006, 1, 1))
    response = login(client, tmu_secretary).post(
        reverse("committees:membership_edit", args=[seat.pk]),
        {"role": "vice_chair", "start_date": "2006-01-01", "end_date": ""},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.role == Membership.Role.VICE_CHAIR


def test_a_new_membership_takes_effect_at_once_for_closed_items(
    client, administrator, politician, tmu
):
    meeting = factories.meeting(tmu)
    case = factories.case("2026-71502", title="Køb af erhvervslejemål")
    factories.item(meeting, case_obj=case, is_closed=True, problem="Fortrolig købesum 4,2 mio.")
    person = factories.person("Pernille Politiker", party="Venstre (V)", user=politician)
    reader = login(Client(), politician)
    url = reverse("cases:case_detail", args=["2026-71502"])
    assert "Fortrolig købesum" not in reader.get(url).content.decode()
    start = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = login(client, administrator).post(
        reverse("committees:membership_create", args=["tmu"]),
        membership_data(person, start=start),
    )
    assert response.status_code == 302
    assert "Fortrolig købesum" in reader.get(url).content.decode()


# -- people ---------------------------------------------------------------------------------


def test_administrator_creates_and_edits_a_person_with_history(client, administrator):
    login_user = factories.user(roles.POLITICIAN, "ny-politiker")
    c = login(client, administrator)
    response = c.post(
        reverse("committees:person_create"),
        {"name": "Nanna Nyvalgt", "party": "Enhedslisten (Ø)", "email": "", "user": login_user.pk},
    )
    person = Person.objects.get(name="Nanna Nyvalgt")
    assert response.status_code == 302
    assert person.user == login_user
    response = c.post(
        reverse("committees:person_edit", args=[person.pk]),
        {"name": "Nanna Nyvalgt", "party": "SF – Socialistisk Folkeparti (F)", "email": "x"},
    )
    assert response.status_code == 200
    assert t("Enter a valid email address.") in response.content.decode()
    c.post(
        reverse("committees:person_edit", args=[person.pk]),
        {"name": "Nanna Nyvalgt", "party": "SF – Socialistisk Folkeparti (F)", "email": ""},
    )
    person.refresh_from_db()
    assert person.party == "SF – Socialistisk Folkeparti (F)"
    assert person.history.latest().history_user == administrator
    page = c.get(reverse("committees:person_history", args=[person.pk])).content.decode()
    assert "Enhedslisten (Ø)" in page and "SF – Socialistisk Folkeparti (F)" in page


def test_only_administrators_change_people(client, tmu_secretary, politician, caseworker):
    person = factories.person("Nanna Nyvalgt")
    for user in (tmu_secretary, politician, caseworker):
        c = login(Client(), user)
        assert c.get(reverse("committees:person_list")).status_code == 200
        assert c.get(reverse("committees:person_create")).status_code == 403
        assert c.post(reverse("committees:person_create"), {"name": "X"}).status_code == 403
        assert (
            c.post(reverse("committees:person_edit", args=[person.pk]), {"name": "X"}).status_code
            == 403
        )
    assert Person.objects.filter(name="X").count() == 0


def test_people_list_reads_in_a_fixed_number_of_queries(
    client, administrator, tmu, django_assert_max_num_queries
):
    for index in range(5):
        factories.person(f"Person {index}", administration=tmu.administration)
    c = login(client, administrator)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("committees:person_list")).status_code == 200


def test_committee_page_reads_in_a_fixed_number_of_queries(
    client, politician, tmu, django_assert_max_num_queries
):
    for index in range(5):
        Membership.objects.create(
            person=factories.person(f"Tidligere {index}"),
            committee=tmu,
            start_date=date(2000, 1, 1),
            end_date=date(2001, 1, 1),
        )
    c = login(client, politician)
    with django_assert_max_num_queries(15):
        assert c.get(reverse("committees:committee_detail", args=["tmu"])).status_code == 200


# -- Django admin ---------------------------------------------------------------------------


def test_django_admin_refuses_staff_who_are_not_superusers(client, administrator):
    administrator.is_staff = True
    administrator.save()
    response = login(client, administrator).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    superuser = factories.user(is_staff=True, is_superuser=True)
    assert login(Client(), superuser).get("/admin/").status_code == 200


def test_no_page_links_to_django_admin(client, administrator, tmu):
    c = login(client, administrator)
    for url in (
        reverse("home"),
        reverse("committees:committee_list"),
        reverse("committees:committee_detail", args=["tmu"]),
        reverse("committees:person_list"),
    ):
        assert "/admin/" not in c.get(url).content.decode()
