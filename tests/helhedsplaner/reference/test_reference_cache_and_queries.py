"""Reference data edited in its own screens reaches the cached pages that name it, and its
pages read a bounded number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from helhedsplaner.models import PolicyGoal
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_renamed_housing_organisation_shows_on_the_cached_plan_list():
    plan = factories.plan(
        name="Helhedsplan Cachehuset",
        housing_organisation=factories.housing_organisation("Gammelt navn"),
    )
    reader = Client()
    reader.force_login(factories.user(roles.POLITICIAN, "laeser"))
    editor = Client()
    editor.force_login(factories.user(roles.CASEWORKER, "redaktoer"))
    url = reverse("helhedsplaner:plan_list")
    assert "Gammelt navn" in reader.get(url).content.decode()
    assert "Gammelt navn" in reader.get(url).content.decode()  # served from the cache
    response = editor.post(
        reverse("reference:organisation_edit", args=[plan.housing_organisation_id]),
        {"name": "Nyt navn"},
    )
    assert response.status_code == 302
    page = reader.get(url).content.decode()
    assert "Nyt navn" in page
    assert "Gammelt navn" not in page


@pytest.mark.django_db(transaction=True)
def test_renumbered_goal_shows_on_the_policy_pages():
    first = factories.policy_goal("Tryghed")
    second = factories.policy_goal("Uddannelse")
    reader = Client()
    reader.force_login(factories.user(roles.POLITICIAN, "laeser"))
    secretary = Client()
    secretary.force_login(factories.user(roles.ADMINISTRATOR, "adm"))
    overview = reverse("policy:policy_overview")
    assert "1. Tryghed" in reader.get(overview).content.decode()
    secretary.post(
        reverse("policy:policy_goals_renumber", args=[first.policy_id]),
        {f"goal_{first.pk}": "2", f"goal_{second.pk}": "1"},
    )
    page = reader.get(overview).content.decode()
    assert "2. Tryghed" in page and "1. Uddannelse" in page
    assert PolicyGoal.objects.get(pk=first.pk).number == 2


@pytest.mark.django_db
def test_reference_lists_read_few_queries(client_for, caseworker, django_assert_max_num_queries):
    for i in range(5):
        factories.plan(housing_organisation=factories.housing_organisation(f"Selskab {i}"))
    period = factories.lbf_period(focus=("Beskæftigelse", "Tryghed", "Uddannelse"))
    client = client_for(caseworker)
    client.get(reverse("reference:index"))  # the session and roles, once
    for url in (
        reverse("reference:organisation_list"),
        reverse("reference:area_list"),
        reverse("reference:period_list"),
        reverse("reference:period_detail", args=[period.pk]),
    ):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    organisation = factories.housing_organisation("Selskab 0")
    with django_assert_max_num_queries(12):
        client.get(reverse("reference:organisation_history", args=[organisation.pk]))
