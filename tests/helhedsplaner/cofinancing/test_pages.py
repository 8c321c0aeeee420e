"""Commitment pages: registering, granting by a decision, the link both ways, corrections,
the closed-item rule, the Danish messages users see, and fixed query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from helhedsplaner.cofinancing import services
from helhedsplaner.models import CoFinancing, CommitmentCorrection
from tests import factories

pytestmark = pytest.mark.django_db

Status = CoFinancing.Status


@pytest.fixture
def plan():
    return factories.plan(name="Helhedsplan Tingbjerg 2019")


@pytest.fixture
def bif():
    return factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")


@pytest.fixture
def biu():
    return factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")


def text(response) -> str:
    return response.content.decode()


def valid_data(plan, admin, **overrides):
    data = {
        "plan": plan.pk,
        "administration": admin.pk,
        "year": "2021",
        "amount": "1.250.000",
        "source": "own_budget",
        "pool": "",
        "note": "Til beskæftigelsesindsatsen",
    }
    data.update(overrides)
    return data


def test_caseworker_registers_a_proposed_commitment(client_for, caseworker, plan, bif):
    client = client_for(caseworker)
    response = client.post(reverse("cofinancing:commitment_create"), valid_data(plan, bif))
    commitment = CoFinancing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cofinancing:commitment_detail", args=[commitment.pk])
    assert commitment.status == Status.PROPOSED
    assert commitment.amount == Decimal("1250000")
    page = text(client.get(response["Location"]))
    assert "Tilsagnet er registreret som foreslået." in page
    assert "1.250.000 kr." in page
    assert "Ingen udvalgsbeslutning har bevilget tilsagnet endnu." in page


def test_bad_input_gets_danish_messages_and_keeps_what_was_typed(client_for, caseworker, plan, bif):
    client = client_for(caseworker)
    response = client.post(
        reverse("cofinancing:commitment_create"),
        valid_data(plan, bif, amount="1,2,3 kroner", source="pool", note="Min note"),
    )
    page = text(response)
    assert response.status_code == 400
    assert CoFinancing.objects.count() == 0
    assert "Formularen blev ikke gemt. Ret følgende:" in page
    assert 'href="#id_amount"' in page
    assert "Skriv beløbet i kroner med komma før ører" in page
    assert 'href="#id_pool"' in page
    assert "Vælg den pulje, pengene kommer fra." in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_amount_helptext id_amount_error"' in page
    assert 'value="1,2,3 kroner"' in page
    assert "Min note" in page


def test_plan_is_preselected_from_the_url(client_for, caseworker, plan):
    page = text(
        client_for(caseworker).get(reverse("cofinancing:commitment_create") + f"?plan={plan.pk}")
    )
    assert f'<option value="{plan.pk}" selected>Helhedsplan Tingbjerg 2019</option>' in page


def test_grant_through_the_page_links_the_decision_both_ways(
    client_for, caseworker, plan, bif, biu
):
    commitment = factories.commitment(plan, bif, amount=Decimal("400000"))
    item = factories.deciding_item(
        biu, title="Medfinansiering af beskæftigelsesindsatsen", recommending_administration=bif
    )
    client = client_for(caseworker)
    form_page = text(client.get(reverse("cofinancing:commitment_grant", args=[commitment.pk])))
    assert "Medfinansiering af beskæftigelsesindsatsen" in form_page
    response = client.post(
        reverse("cofinancing:commitment_grant", args=[commitment.pk]), {"item": item.pk}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == Status.GRANTED
    assert commitment.granted_by_item == item

    detail = text(client.get(reverse("cofinancing:commitment_detail", args=[commitment.pk])))
    assert "Beslutningen, der bevilgede tilsagnet" in detail
    assert "punkt 1: Medfinansiering af beskæftigelsesindsatsen" in detail
    assert reverse("cases:case_detail", args=[item.case.number]) in detail
    back = text(client.get(reverse("cofinancing:item_commitments", args=[item.pk])))
    assert "Helhedsplan Tingbjerg 2019" in back
    assert "400.000 kr." in back
    assert reverse("cofinancing:commitment_detail", args=[commitment.pk]) in back


def test_grant_refusal_is_shown_on_the_form(client_for, caseworker, plan, bif):
    pool = factories.pool(budget=Decimal("1250000"))
    commitment = factories.commitment(
        plan, bif, amount=Decimal("2000000"), source="pool", pool=pool
    )
    item = factories.deciding_item(recommending_administration=bif)
    response = client_for(caseworker).post(
        reverse("cofinancing:commitment_grant", args=[commitment.pk]), {"item": item.pk}
    )
    assert response.status_code == 400
    assert "Puljen har kun 1.250.000 kr. tilbage." in text(response)
    commitment.refresh_from_db()
    assert commitment.status == Status.PROPOSED


def test_closed_granting_item_shows_only_number_to_non_members(
    client_for, politician, caseworker, plan, bif
):
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    item = factories.deciding_item(
        tmu, title="Køb af erhvervslejemål til beboerhus", is_closed=True
    )
    commitment = factories.commitment(plan, bif, status=Status.GRANTED, granted_by_item=item)
    for user in (politician, caseworker):
        client = client_for(user)
        for url in (
            reverse("cofinancing:commitment_detail", args=[commitment.pk]),
            reverse("cofinancing:item_commitments", args=[item.pk]),
            reverse("cofinancing:plan_detail", args=[plan.pk]),
            reverse("cofinancing:commitment_list"),
        ):
            page = text(client.get(url))
            assert "Lukket punkt" in page, url
            assert "Køb af erhvervslejemål" not in page, url
    factories.member(politician, tmu)
    page = text(
        client_for(type(politician).objects.get(pk=politician.pk)).get(
            reverse("cofinancing:commitment_detail", args=[commitment.pk])
        )
    )
    assert "Køb af erhvervslejemål til beboerhus" in page


def test_edit_of_granted_commitment_is_refused_on_the_page(client_for, caseworker, plan, bif):
    item = factories.deciding_item()
    commitment = factories.commitment(
        plan, bif, amount=Decimal("400000"), status=Status.GRANTED, granted_by_item=item
    )
    client = client_for(caseworker)
    url = reverse("cofinancing:commitment_edit", args=[commitment.pk])
    assert "kan kun ændres ved en ny beslutning" in text(client.get(url))
    response = client.post(url, valid_data(plan, bif, amount="999"))
    assert response.status_code == 400
    assert "kan kun ændres ved en ny beslutning eller en registreret rettelse" in text(response)
    assert 'value="999"' in text(response)
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("400000")
    detail = text(client.get(reverse("cofinancing:commitment_detail", args=[commitment.pk])))
    assert reverse("cofinancing:commitment_edit", args=[commitment.pk]) not in detail
    assert reverse("cofinancing:commitment_correct", args=[commitment.pk]) in detail


def test_proposed_commitment_is_edited_plainly(client_for, caseworker, plan, bif):
    commitment = factories.commitment(plan, bif, amount=Decimal("400000"))
    response = client_for(caseworker).post(
        reverse("cofinancing:commitment_edit", args=[commitment.pk]),
        {**valid_data(plan, bif, amount="450.000"), "version": "1"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("450000")


def test_recorded_correction_is_visible_with_reason_and_history(client_for, caseworker, plan, bif):
    item = factories.deciding_item()
    commitment = factories.commitment(plan, bif, amount=Decimal("400000"), year=2021)
    services.commitment_grant(commitment=commitment, item=item, user=caseworker)
    client = client_for(caseworker)
    url = reverse("cofinancing:commitment_correct", args=[commitment.pk])
    response = client.post(url, {**valid_data(plan, bif, amount="450.000", year="2021")})
    assert response.status_code == 400
    assert "Begrundelse for rettelsen" in text(response)
    response = client.post(
        url, {**valid_data(plan, bif, amount="450.000", year="2021"), "reason": "Tastefejl"}
    )
    assert response.status_code == 302
    correction = CommitmentCorrection.objects.get()
    assert correction.recorded_by == caseworker
    page = text(client.get(reverse("cofinancing:commitment_detail", args=[commitment.pk])))
    assert "Rettelser" in page
    assert "Begrundelse: Tastefejl" in page
    assert "<td>400.000 kr.</td><td>450.000 kr.</td>" in page
    assert "Historik" in page
    assert "sagsbehandler · Ændret: Medfinansieringstilsagn" in page


def test_mark_paid_and_withdraw_through_the_page(client_for, caseworker, plan, bif):
    item = factories.deciding_item()
    paid = factories.commitment(plan, bif, status=Status.GRANTED, granted_by_item=item)
    client = client_for(caseworker)
    url = reverse("cofinancing:commitment_mark_paid", args=[paid.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Tilsagnet er markeret som udbetalt." in text(response)
    paid.refresh_from_db()
    assert paid.status == Status.PAID
    response = client.post(url, follow=True)  # again: refused with the reason
    assert "Kun et bevilget tilsagn kan markeres som udbetalt" in text(response)

    granted = factories.commitment(plan, bif, status=Status.GRANTED, granted_by_item=item)
    url = reverse("cofinancing:commitment_withdraw", args=[granted.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in text(response)
    response = client.post(url, {"reason": "Planen blev opgivet"})
    assert response.status_code == 302
    granted.refresh_from_db()
    assert granted.status == Status.WITHDRAWN


def test_housing_contribution_counts_towards_the_25_percent(client_for, caseworker, bif):
    plan = factories.plan(budget=Decimal("4000000"), lbf_grant=Decimal("3000000"))
    factories.commitment(plan, bif, amount=Decimal("700000"), status=Status.PAID)
    client = client_for(caseworker)
    url = reverse("cofinancing:plan_detail", args=[plan.pk])
    page = text(client.get(url))
    assert "Endnu ikke opfyldt." in page
    assert "Der mangler 300.000 kr., før kravet er opfyldt." in page
    response = client.post(
        reverse("cofinancing:housing_contribution_create", args=[plan.pk]),
        {"amount": "300.000", "description": "Dispositionsfond"},
    )
    assert response.status_code == 302
    page = text(client.get(url))
    assert "Opfyldt." in page
    assert "1.000.000 kr. (25,0 %)" in page


def test_pool_page_shows_balance_and_history(client_for, politician, plan, bif):
    pool = factories.pool(name="Fælles pulje 2020–2026", budget=Decimal("2000000"))
    item = factories.deciding_item()
    factories.commitment(
        plan,
        bif,
        amount=Decimal("750000"),
        source="pool",
        pool=pool,
        status=Status.GRANTED,
        granted_by_item=item,
    )
    pool.budget = Decimal("2500000")
    pool.save()
    page = text(client_for(politician).get(reverse("cofinancing:pool_detail", args=[pool.pk])))
    assert "2.500.000 kr." in page
    assert "1.750.000 kr." in page  # left
    assert "<td>2.000.000 kr.</td><td>2.500.000 kr.</td>" in page  # the budget change


def _bulk(plan_count: int, per_plan: int, pool=None, item=None):
    admins = [factories.administration(code) for code in ("BIF", "SOF", "TMF")]
    plans = [factories.plan() for _ in range(plan_count)]
    for index, plan in enumerate(plans):
        for year in range(per_plan):
            factories.commitment(
                plan,
                admins[(index + year) % 3],
                year=2020 + year % 6,
                source="pool" if pool else "own_budget",
                pool=pool,
                status=Status.GRANTED if item else Status.PROPOSED,
                granted_by_item=item,
            )
    return plans


@pytest.mark.parametrize("size", [(1, 2), (6, 8)])
def test_commitment_pages_run_a_fixed_number_of_queries(
    client_for, politician, django_assert_max_num_queries, size
):
    pool = factories.pool(budget=Decimal("100000000"))
    item = factories.deciding_item()
    plans = _bulk(*size, pool=pool, item=item)
    commitment = CoFinancing.objects.first()
    client = client_for(politician)
    client.get(reverse("cofinancing:commitment_list"))  # warm the session
    # Measured once; the same limit holds for 2 and for 48 commitments.
    limits = {
        # One more than before issue 9 each: the reader's committees are read up front,
        # whether or not a closed item is on the page (mark_items).
        reverse("cofinancing:commitment_list"): 12,
        reverse("cofinancing:commitment_detail", args=[commitment.pk]): 15,
        reverse("cofinancing:plan_detail", args=[plans[0].pk]): 10,
        reverse("cofinancing:pool_detail", args=[pool.pk]): 11,
        reverse("cofinancing:item_commitments", args=[item.pk]): 9,
    }
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200
