"""Every role's access to every plan-register URL, by GET and by a direct POST."""

import pytest
from django.urls import reverse

from core import roles
from helhedsplaner.models import IndicatorImport, IndicatorValue, Plan
from tests import factories
from tests.helhedsplaner.formdata import plan_post
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

READERS = [roles.CASEWORKER, roles.SECRETARY, roles.POLITICIAN, roles.ADMINISTRATOR]
EDITORS = [roles.CASEWORKER, roles.ADMINISTRATOR]
READ_ONLY = [roles.SECRETARY, roles.POLITICIAN]


@pytest.fixture
def plan():
    return factories.plan(name="Helhedsplan Adgang")


def login(client, role):
    client.force_login(factories.user(role, factories.ROLE_USERNAMES[role]))
    return client


def read_urls(plan):
    return [
        reverse("helhedsplaner:plan_list"),
        reverse("helhedsplaner:plan_detail", args=[plan.pk]),
        reverse("helhedsplaner:plan_history", args=[plan.pk]),
    ]


def edit_urls(plan):
    return [
        reverse("helhedsplaner:plan_create"),
        reverse("helhedsplaner:plan_edit", args=[plan.pk]),
        reverse("helhedsplaner:indicator_register"),
        reverse("helhedsplaner:indicator_import"),
    ]


def test_every_new_url_is_covered_here(plan):
    covered = {
        "helhedsplaner:plan_list",
        "helhedsplaner:plan_detail",
        "helhedsplaner:plan_history",
        "helhedsplaner:plan_create",
        "helhedsplaner:plan_edit",
        "helhedsplaner:plan_transition",
        "helhedsplaner:indicator_register",
        "helhedsplaner:indicator_import",
        "helhedsplaner:indicator_import_job",
        "helhedsplaner:indicator_import_confirm",
        "helhedsplaner:indicator_import_retry",
        "helhedsplaner:indicator_import_map",
        "helhedsplaner:indicator_import_columns",
        "helhedsplaner:plan_import",
        "helhedsplaner:plan_import_mapping",
        "helhedsplaner:plan_import_preview",
        "helhedsplaner:plan_import_commit",
    }
    assert {name for name, _ in all_routes() if name.startswith("helhedsplaner:")} == covered


@pytest.mark.parametrize("role", READERS)
def test_every_role_reads_list_plan_page_and_history(client, role, plan):
    login(client, role)
    for url in read_urls(plan):
        assert client.get(url).status_code == 200, url


def test_a_user_without_a_role_is_refused(client, plan):
    client.force_login(factories.user(None, "udenrolle"))
    for url in read_urls(plan) + edit_urls(plan):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", EDITORS)
def test_editors_open_the_forms(client, role, plan):
    login(client, role)
    for url in edit_urls(plan):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", READ_ONLY)
def test_readers_get_403_on_the_forms(client, role, plan):
    login(client, role)
    for url in edit_urls(plan):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", READ_ONLY)
def test_readers_see_no_edit_controls(client, role, plan):
    login(client, role)
    listing = client.get(reverse("helhedsplaner:plan_list")).content.decode()
    page = client.get(reverse("helhedsplaner:plan_detail", args=[plan.pk])).content.decode()
    assert "Registrér en ny plan" not in listing
    assert "Socioøkonomiske indikatorer" not in listing
    assert reverse("helhedsplaner:plan_edit", args=[plan.pk]) not in page
    assert reverse("helhedsplaner:plan_transition", args=[plan.pk]) not in page


@pytest.mark.parametrize("role", EDITORS)
def test_editors_see_the_edit_controls(client, role, plan):
    login(client, role)
    page = client.get(reverse("helhedsplaner:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("helhedsplaner:plan_edit", args=[plan.pk]) in page
    assert 'name="to_status" value="prequalification"' in page


@pytest.mark.parametrize("role", READ_ONLY)
def test_readers_direct_posts_are_refused_and_change_nothing(client, role, plan):
    login(client, role)
    area, indicator = factories.area(), factories.indicator()
    indicator_import = IndicatorImport.objects.create(  # checked: ready to be confirmed
        uploaded_by=factories.user(roles.CASEWORKER),
        filename="x.csv",
        file="imports/x.csv",
        status=IndicatorImport.Status.CHECKED,
        rows_total=1,
        rows_done=1,
    )
    posts = [
        (reverse("helhedsplaner:plan_create"), plan_post(name="Helhedsplan Smuglet")),
        (
            reverse("helhedsplaner:plan_edit", args=[plan.pk]),
            plan_post(plan=plan, name="Helhedsplan Ændret", estates=[]),
        ),
        (
            reverse("helhedsplaner:plan_transition", args=[plan.pk]),
            {"to_status": "prequalification", "prequalification-date": "2024-01-01"},
        ),
        (
            reverse("helhedsplaner:indicator_register"),
            {"area": area.pk, "indicator": indicator.pk, "year": "2024", "value": "1"},
        ),
        (reverse("helhedsplaner:indicator_import"), {}),
        (reverse("helhedsplaner:indicator_import_confirm", args=[indicator_import.pk]), {}),
        (reverse("helhedsplaner:indicator_import_retry", args=[indicator_import.pk]), {}),
        (reverse("helhedsplaner:indicator_import_map", args=[indicator_import.pk]), {}),
        (reverse("helhedsplaner:indicator_import_columns", args=[indicator_import.pk]), {}),
        (reverse("helhedsplaner:plan_import"), {}),
        (reverse("helhedsplaner:plan_import_commit"), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    plan.refresh_from_db()
    assert (plan.name, plan.status, plan.version) == ("Helhedsplan Adgang", "idea", 1)
    assert Plan.objects.count() == 1
    assert not IndicatorValue.objects.exists()
    assert IndicatorImport.objects.get().status == IndicatorImport.Status.CHECKED


@pytest.mark.parametrize("role", EDITORS)
def test_editors_direct_posts_work(client, role, plan):
    login(client, role)
    response = client.post(
        reverse("helhedsplaner:plan_transition", args=[plan.pk]),
        {"to_status": "prequalification", "prequalification-date": "2024-01-01"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("helhedsplaner:plan_edit", args=[plan.pk]),
        plan_post(plan=plan, name="Helhedsplan Ændret", estates=[]),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.status) == ("Helhedsplan Ændret", "prequalification")


def test_transition_url_does_not_answer_get(client, plan):
    login(client, roles.CASEWORKER)
    assert client.get(reverse("helhedsplaner:plan_transition", args=[plan.pk])).status_code == 405


def test_unknown_plan_is_404(client):
    login(client, roles.CASEWORKER)
    for name in ("plan_detail", "plan_history", "plan_edit"):
        assert client.get(reverse(f"helhedsplaner:{name}", args=[999])).status_code == 404
