"""The demo data shows the feature working on the seed's figures."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from helhedsplaner.models import CoFinancing, CoFinancingPool

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_client(client):
    call_command("load_demo", stdout=StringIO())
    # Through the login page: axes needs the request that client.login() does not pass.
    response = client.post("/log-ind/", {"username": "politiker", "password": "helhedsplan-demo"})
    assert response.status_code == 302
    return client


def test_demo_bif_overview_shows_15_plans_and_14_5_million(demo_client):
    response = demo_client.get(
        reverse("cofinancing:overview_administrations"),
        {"administration": "BIF", "year_from": 2007, "year_to": 2013},
    )
    row = response.context["table"].rows[0]
    assert row[1].value == 15
    assert row[-1].value == Decimal("14500000")
    content = response.content.decode()
    assert "14.500.000 kr." in content


def test_demo_pool_has_a_realistic_balance_and_decided_grants(demo_client):
    pool = CoFinancingPool.objects.get(name__contains="2019–2026")
    content = demo_client.get(reverse("cofinancing:pool_detail", args=[pool.pk])).content.decode()
    assert "20.000.000 kr." in content  # budget
    assert "9.000.000 kr." in content  # granted incl. paid
    assert "11.000.000 kr." in content  # left
    granted = CoFinancing.objects.filter(pool=pool, granted_by_item__isnull=False)
    assert granted.count() == 18
    item = granted.first().granted_by_item
    assert item.meeting.committee.short_name == "TMU"
    assert item.decision.outcome == "approved"
    back = demo_client.get(reverse("cofinancing:item_commitments", args=[item.pk]))
    assert len(back.context["commitments"]) == 18


def test_demo_next_pool_was_set_up_and_raised_by_the_administrator(demo_client):
    """The 2027–2030 pool is made through the pool screens' services: its history tab
    names the administrator for both the creation and the raise of its budget."""
    pool = CoFinancingPool.objects.get(name__contains="2027–2030")
    assert pool.budget == Decimal(15_000_000)
    page = demo_client.get(reverse("cofinancing:pool_history", args=[pool.pk])).content.decode()
    assert "<td>12.000.000 kr.</td><td>15.000.000 kr.</td>" in page
    assert page.count("Ada Administrator") >= 2
