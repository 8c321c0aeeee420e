"""Co-financing pools in the product's own screens: administrators set one up, change it
(never below what is granted from it), remove it while nothing draws on it, and read its
history; caseworkers, secretaries and politicians read and are refused the rest (403)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core import roles
from helhedsplaner.models import CoFinancing, CoFinancingPool
from tests import factories

pytestmark = pytest.mark.django_db


def danish(text: str) -> str:
    """What the page says for an English msgid (its Danish once the lead has translated it)."""
    with translation.override("da"):
        return translation.gettext(text)


def pool_data(**overrides) -> dict:
    data = {
        "name": "Fælles pulje 2027–2030",
        "start_year": "2027",
        "end_year": "2030",
        "budget": "12.000.000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_user():
    return factories.user(roles.ADMINISTRATOR, "anna", first_name="Anna", last_name="Admin")


@pytest.fixture
def granted_pool():
    """A pool of 2.000.000 kr. with 1.500.000 kr. granted from it."""
    pool = factories.pool(name="Fælles pulje 2020–2026", budget=Decimal("2000000"))
    factories.commitment(
        factories.plan(),
        factories.administration("BIF"),
        amount=Decimal("1500000"),
        source="pool",
        pool=pool,
        status=CoFinancing.Status.GRANTED,
        granted_by_item=factories.deciding_item(),
    )
    return pool


def test_administrator_sets_up_a_pool_from_the_pool_list(client_for, admin_user):
    client = client_for(admin_user)
    listing = client.get(reverse("cofinancing:overview_pools")).content.decode()
    assert reverse("cofinancing:pool_create") in listing
    response = client.post(reverse("cofinancing:pool_create"), pool_data())
    pool = CoFinancingPool.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cofinancing:pool_detail", args=[pool.pk])
    assert (pool.start_year, pool.end_year, pool.budget) == (2027, 2030, Decimal(12_000_000))
    page = client.get(response["Location"]).content.decode()
    assert "Fælles pulje 2027–2030" in page
    assert reverse("cofinancing:pool_edit", args=[pool.pk]) in page
    assert pool.history.get().history_user == admin_user


def test_bad_input_is_refused_with_the_input_kept(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("cofinancing:pool_create"),
        pool_data(start_year="2030", end_year="2027", budget="mange penge"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="mange penge"' in page and 'value="Fælles pulje 2027–2030"' in page
    assert 'href="#id_end_year"' in page and 'href="#id_budget"' in page
    assert not CoFinancingPool.objects.exists()


def test_administrator_edits_the_pool_and_the_history_shows_who(
    client_for, admin_user, granted_pool
):
    client = client_for(admin_user)
    url = reverse("cofinancing:pool_edit", args=[granted_pool.pk])
    form = client.get(url).content.decode()
    assert 'value="2.000.000"' in form
    response = client.post(url, pool_data(name="Puljen", start_year="2020", end_year="2026"))
    assert response.status_code == 302
    granted_pool.refresh_from_db()
    assert (granted_pool.name, granted_pool.budget) == ("Puljen", Decimal(12_000_000))
    history = client.get(reverse("cofinancing:pool_history", args=[granted_pool.pk]))
    page = history.content.decode()
    assert "<td>2.000.000 kr.</td><td>12.000.000 kr.</td>" in page
    assert "<td>Fælles pulje 2020–2026</td><td>Puljen</td>" in page
    assert "Anna Admin" in page


def test_budget_below_what_is_granted_is_refused_with_the_input_kept(
    client_for, admin_user, granted_pool
):
    response = client_for(admin_user).post(
        reverse("cofinancing:pool_edit", args=[granted_pool.pk]),
        pool_data(name="Nyt navn", start_year="2020", end_year="2026", budget="1.000.000"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "1.500.000 kr." in page  # what is granted, in the message
    assert 'value="1.000.000"' in page and 'value="Nyt navn"' in page
    granted_pool.refresh_from_db()
    kept = ("Fælles pulje 2020–2026", Decimal(2_000_000))
    assert (granted_pool.name, granted_pool.budget) == kept


def test_period_must_cover_the_commitments(client_for, admin_user, granted_pool):
    response = client_for(admin_user).post(
        reverse("cofinancing:pool_edit", args=[granted_pool.pk]),
        pool_data(start_year="2022", end_year="2026"),
    )
    assert response.status_code == 400
    assert "2021" in response.content.decode()  # the commitment's year


def test_pool_with_commitments_is_kept_with_the_reason(client_for, admin_user, granted_pool):
    client = client_for(admin_user)
    url = reverse("cofinancing:pool_remove", args=[granted_pool.pk])
    asked = client.get(url)
    assert asked.status_code == 200
    assert danish("It cannot be removed") in asked.content.decode()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 400
    assert "1" in response.content.decode() and danish("It cannot be removed") in (
        response.content.decode()
    )
    assert CoFinancingPool.objects.filter(pk=granted_pool.pk).exists()


def test_unused_pool_is_removed_and_the_history_keeps_who(client_for, admin_user):
    pool = factories.pool(name="Ubrugt pulje")
    client = client_for(admin_user)
    url = reverse("cofinancing:pool_remove", args=[pool.pk])
    assert 'name="confirm"' in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 200  # no confirmation: nothing removed
    assert CoFinancingPool.objects.filter(pk=pool.pk).exists()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cofinancing:overview_pools")
    assert not CoFinancingPool.objects.filter(pk=pool.pk).exists()
    removal = CoFinancingPool.history.filter(id=pool.pk).first()
    assert (removal.history_type, removal.history_user) == ("-", admin_user)


@pytest.mark.parametrize("role", [roles.CASEWORKER, roles.SECRETARY, roles.POLITICIAN])
def test_other_roles_read_but_are_refused_the_pool_screens(client_for, role, granted_pool):
    if role == roles.SECRETARY:
        factories.committee("TMU")
    client = client_for(factories.user(role))
    detail = client.get(reverse("cofinancing:pool_detail", args=[granted_pool.pk]))
    assert detail.status_code == 200
    assert reverse("cofinancing:pool_edit", args=[granted_pool.pk]) not in detail.content.decode()
    history = client.get(reverse("cofinancing:pool_history", args=[granted_pool.pk]))
    assert history.status_code == 200
    listing = client.get(reverse("cofinancing:overview_pools")).content.decode()
    assert reverse("cofinancing:pool_create") not in listing
    writes = [
        (reverse("cofinancing:pool_create"), pool_data()),
        (reverse("cofinancing:pool_edit", args=[granted_pool.pk]), pool_data(budget="1")),
        (reverse("cofinancing:pool_remove", args=[granted_pool.pk]), {"confirm": "on"}),
    ]
    for url, data in writes:
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert CoFinancingPool.objects.get().budget == Decimal(2_000_000)
    assert CoFinancingPool.objects.count() == 1


def test_pool_history_reads_a_fixed_number_of_queries(
    client_for, admin_user, granted_pool, django_assert_max_num_queries
):
    client = client_for(admin_user)
    for budget in ("3.000.000", "4.000.000", "5.000.000"):
        client.post(
            reverse("cofinancing:pool_edit", args=[granted_pool.pk]),
            pool_data(start_year="2020", end_year="2026", budget=budget),
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cofinancing:pool_history", args=[granted_pool.pk]))
    assert response.status_code == 200
