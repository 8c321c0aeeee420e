"""Who may do what on every new page: everybody with a role reads; caseworkers and
administrators change commitments; secretaries and administrators record follow-up
meetings; a direct POST by the wrong role is refused with 403 and changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from helhedsplaner.models import CoFinancing, HousingContribution
from tests import factories

pytestmark = pytest.mark.django_db

Status = CoFinancing.Status
ROLES = [roles.CASEWORKER, roles.SECRETARY, roles.POLITICIAN, roles.ADMINISTRATOR]


@pytest.fixture
def world():
    plan = factories.plan()
    admin = factories.administration("BIF")
    item = factories.deciding_item(recommending_administration=admin)
    pool = factories.pool(budget=Decimal("5000000"))
    proposed = factories.commitment(plan, admin, amount=Decimal("100000"))
    granted = factories.commitment(
        plan, admin, amount=Decimal("200000"), status=Status.GRANTED, granted_by_item=item
    )
    group = factories.follow_up_group()
    goal = factories.policy_goal()
    return {
        "plan": plan,
        "admin": admin,
        "item": item,
        "pool": pool,
        "proposed": proposed,
        "granted": granted,
        "group": group,
        "goal": goal,
    }


def read_urls(w):
    urls = [
        reverse("cofinancing:commitment_list"),
        reverse("cofinancing:commitment_detail", args=[w["granted"].pk]),
        reverse("cofinancing:item_commitments", args=[w["item"].pk]),
        reverse("cofinancing:plan_detail", args=[w["plan"].pk]),
        reverse("cofinancing:pool_detail", args=[w["pool"].pk]),
        reverse("followup:group_list"),
        reverse("followup:group_detail", args=[w["group"].pk]),
        reverse("policy:policy_overview"),
        reverse("policy:goal_detail", args=[w["goal"].pk]),
    ]
    for kind in ("administrations", "plans", "years", "pools"):
        urls += [
            reverse(f"cofinancing:overview_{kind}"),
            reverse(f"cofinancing:overview_{kind}_xlsx"),
            reverse(f"cofinancing:overview_{kind}_csv"),
        ]
    return urls


def commitment_write_urls(w):
    data = {
        "plan": w["plan"].pk,
        "administration": w["admin"].pk,
        "year": "2022",
        "amount": "5",
        "source": "own_budget",
    }
    return [
        (reverse("cofinancing:commitment_create"), data),
        (reverse("cofinancing:commitment_edit", args=[w["proposed"].pk]), data),
        (reverse("cofinancing:commitment_grant", args=[w["proposed"].pk]), {"item": w["item"].pk}),
        (reverse("cofinancing:commitment_withdraw", args=[w["proposed"].pk]), {"reason": "x"}),
        (
            reverse("cofinancing:commitment_correct", args=[w["granted"].pk]),
            {**data, "reason": "Fejl"},
        ),
        (
            reverse("cofinancing:housing_contribution_create", args=[w["plan"].pk]),
            {"amount": "5", "description": "Bidrag"},
        ),
    ]


def snapshot():
    return (
        sorted(CoFinancing.objects.values_list("pk", "status", "amount", "year")),
        HousingContribution.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_page(client_for, world, role):
    client = client_for(factories.user(role))
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [roles.CASEWORKER, roles.ADMINISTRATOR])
def test_caseworkers_and_administrators_open_the_commitment_forms(client_for, world, role):
    client = client_for(factories.user(role))
    for url, _data in commitment_write_urls(world):
        assert client.get(url).status_code == 200, url
    detail = client.get(reverse("cofinancing:commitment_detail", args=[world["granted"].pk]))
    assert "Markér som udbetalt" in detail.content.decode()


@pytest.mark.parametrize("role", [roles.SECRETARY, roles.POLITICIAN])
def test_readers_are_refused_every_commitment_write(client_for, world, role):
    client = client_for(factories.user(role))
    before = snapshot()
    for url, data in commitment_write_urls(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    paid_url = reverse("cofinancing:commitment_mark_paid", args=[world["granted"].pk])
    assert client.post(paid_url).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("role", [roles.SECRETARY, roles.POLITICIAN])
def test_readers_see_no_edit_controls(client_for, world, role):
    client = client_for(factories.user(role))
    for commitment in (world["proposed"], world["granted"]):
        content = client.get(
            reverse("cofinancing:commitment_detail", args=[commitment.pk])
        ).content.decode()
        assert "Handlinger" not in content
        assert "Bevilg ved beslutning" not in content
        assert "Markér som udbetalt" not in content
    listing = client.get(reverse("cofinancing:commitment_list")).content.decode()
    assert reverse("cofinancing:commitment_create") not in listing
    plan_page = client.get(
        reverse("cofinancing:plan_detail", args=[world["plan"].pk])
    ).content.decode()
    assert "Nyt tilsagn til denne plan" not in plan_page
    assert "Registrér boligorganisationens bidrag" not in plan_page


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (roles.SECRETARY, True),
        (roles.ADMINISTRATOR, True),
        (roles.CASEWORKER, False),
        (roles.POLITICIAN, False),
    ],
)
def test_follow_up_meetings_are_recorded_by_secretaries_and_administrators(
    client_for, world, role, allowed
):
    client = client_for(factories.user(role))
    url = reverse("followup:meeting_create", args=[world["group"].pk])
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, {"date": "2026-05-01", "notes": "Noter"})
    assert response.status_code == (302 if allowed else 403)
    assert world["group"].meetings.count() == (1 if allowed else 0)
