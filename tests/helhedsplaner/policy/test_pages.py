"""The common policy and a page per goal: is the committee's priority funded?"""

from decimal import Decimal

import pytest
from django.urls import reverse

from helhedsplaner.models import CoFinancing
from tests import factories

pytestmark = pytest.mark.django_db

Status = CoFinancing.Status
D = Decimal


@pytest.fixture
def goal():
    goal = factories.policy_goal("Flere i uddannelse og job")
    other = factories.policy_goal("Tryghed og trivsel")
    bif = factories.administration("BIF")
    p1 = factories.plan(name="Plan A", budget=D(10_000_000), lbf_grant=D(6_000_000))
    p2 = factories.plan(
        name="Plan B", status="implementation", budget=D(2_000_000), lbf_grant=D(1_500_000)
    )
    p3 = factories.plan(name="Plan C (andet mål)")
    p1.policy_goals.add(goal)
    p2.policy_goals.add(goal, other)
    p3.policy_goals.add(other)
    factories.commitment(p1, bif, amount=D(1_000_000), status=Status.PAID)
    factories.commitment(p1, bif, amount=D(500_000), status=Status.GRANTED)
    factories.commitment(p1, bif, amount=D(700_000), status=Status.PROPOSED)
    factories.commitment(p2, bif, amount=D(250_000), status=Status.GRANTED)
    factories.housing_contribution(p2, amount=D(250_000))
    return goal


def test_goal_page_lists_plans_with_status_money_and_totals(client_for, politician, goal):
    response = client_for(politician).get(reverse("policy:goal_detail", args=[goal.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "1. Flere i uddannelse og job" in content
    assert "Plan A" in content and "Plan B" in content
    assert "Plan C (andet mål)" not in content
    assert "Under gennemførelse" in content
    totals = response.context["totals"]
    assert totals["plans"] == 2
    assert totals["budget"] == D(12_000_000)
    assert totals["lbf_grant"] == D(7_500_000)
    assert totals["municipal_committed"] == D(1_750_000)
    assert totals["municipal_paid"] == D(1_000_000)
    assert totals["municipal_proposed"] == D(700_000)
    assert totals["housing_total"] == D(250_000)
    assert totals["met"] == 1  # Plan B: 500.000 of 2.000.000 = 25 %; Plan A: 15 %
    for amount in ("12.000.000 kr.", "7.500.000 kr.", "1.750.000 kr.", "700.000 kr."):
        assert amount in content
    assert "1 / 2" in content


def test_policy_page_shows_each_goal_with_its_money(client_for, politician, goal):
    response = client_for(politician).get(reverse("policy:policy_overview"))
    content = response.content.decode()
    assert "Fælles politik" in content
    first, second = response.context["policies"][0].goals.all()
    assert first.money["plans"] == 2
    assert first.money["budget"] == D(12_000_000)
    assert first.money["municipal_committed"] == D(1_750_000)
    assert first.money["local_committed_percent"] == D("16.7")  # 2.000.000 / 12.000.000
    assert second.money["plans"] == 2
    assert second.money["municipal_committed"] == D(250_000)
    assert "12 mio. kr." in content
    assert "16,7 %" in content


def test_goal_history_is_visible(client_for, politician, goal):
    goal.title = "Flere i job"
    goal.save()
    content = (
        client_for(politician).get(reverse("policy:goal_detail", args=[goal.pk])).content.decode()
    )
    assert "Historik" in content
    assert "<td>Flere i uddannelse og job</td><td>Flere i job</td>" in content


@pytest.mark.parametrize("extra", [0, 15])
def test_policy_pages_run_a_fixed_number_of_queries(
    client_for, politician, goal, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        plan = factories.plan()
        plan.policy_goals.add(goal)
        factories.commitment(plan, factories.administration("SOF"), status=Status.GRANTED)
    client = client_for(politician)
    client.get(reverse("policy:policy_overview"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("policy:policy_overview")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("policy:goal_detail", args=[goal.pk])).status_code == 200
