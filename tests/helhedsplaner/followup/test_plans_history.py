"""The plans a follow-up group follows, in history: choosing them is shown with who and when
on the group's page and in each plan's history, and the pages read a bounded number of
queries however many plans changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import roles
from helhedsplaner.followup import services
from helhedsplaner.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    factories.committee("TMU", name="Teknik- og Miljøudvalget")
    return factories.follow_up_group("Følgegruppen for Nørrebro")


@pytest.fixture
def sofie(group):
    """A secretary (any secretary manages an informal group) with a full name."""
    return factories.user(roles.SECRETARY, "sofie", first_name="Sofie", last_name="Sekretær")


def danish(text: str) -> str:
    """What the page says for an English msgid (its Danish once the lead has translated it)."""
    with translation.override("da"):
        return translation.gettext(text)


def history_part(response) -> str:
    page = response.content.decode()
    return page[page.index('id="history-title"') :]


def choose(client, group, plans):
    url = reverse("followup:group_plans", args=[group.pk])
    response = client.post(url, {"plans": [plan.pk for plan in plans]})
    assert response.status_code == 302
    return response


def test_choosing_plans_writes_each_plans_history_with_the_user(client_for, group, sofie):
    mjolner = factories.plan(name="Helhedsplan Mjølnerparken")
    aldersro = factories.plan(name="Helhedsplan Aldersro")
    client = client_for(sofie)
    choose(client, group, [mjolner, aldersro])
    for plan in (mjolner, aldersro):
        row = Plan.history.filter(id=plan.pk).first()  # newest first
        assert row.history_user == sofie
        assert {link.followupgroup_id for link in row.follow_up_groups.all()} == {group.pk}
    page = client.get(reverse("helhedsplaner:plan_history", args=[mjolner.pk])).content.decode()
    assert "Følgegrupper" in page and "Følgegruppen for Nørrebro" in page
    assert "Sofie Sekretær" in page


def test_group_history_shows_plans_added_and_removed_with_who(client_for, group, sofie):
    mjolner = factories.plan(name="Helhedsplan Mjølnerparken")
    aldersro = factories.plan(name="Helhedsplan Aldersro")
    client = client_for(sofie)
    choose(client, group, [mjolner])
    choose(client, group, [aldersro])
    history = history_part(client.get(reverse("followup:group_detail", args=[group.pk])))
    assert history.count(danish("Plans followed")) == 2
    assert "+ Helhedsplan Aldersro" in history and "− Helhedsplan Mjølnerparken" in history
    assert "+ Helhedsplan Mjølnerparken" in history
    assert history.count("Sofie Sekretær") >= 2
    # The plan that was left shows the removal in its own history.
    plan_page = client.get(reverse("helhedsplaner:plan_history", args=[mjolner.pk]))
    assert "fjernet" in plan_page.content.decode()


def test_choosing_the_same_plans_again_records_nothing(client_for, group, sofie):
    plan = factories.plan(name="Helhedsplan Mjølnerparken")
    client = client_for(sofie)
    choose(client, group, [plan])
    rows = Plan.history.filter(id=plan.pk).count()
    choose(client, group, [plan])
    assert Plan.history.filter(id=plan.pk).count() == rows


def test_the_service_outside_a_request_names_the_user(group, sofie):
    plan = factories.plan(name="Helhedsplan Mjølnerparken")
    services.follow_up_group_plans_set(group=group, plans=[plan], user=sofie)
    assert Plan.history.filter(id=plan.pk).first().history_user == sofie


def test_group_page_reads_the_same_number_of_queries_for_few_and_many_plans(
    client_for, group, sofie
):
    client = client_for(sofie)
    counts = []
    for size in (2, 8):
        plans = [factories.plan() for _ in range(size)]
        choose(client, group, plans)
        choose(client, group, plans[: size // 2])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("followup:group_detail", args=[group.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
