"""The commitment lifecycle, its decision link, corrections and the pool's guarantee."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.models import Decision
from committees.models import Meeting
from helhedsplaner.cofinancing import services
from helhedsplaner.models import CoFinancing, CommitmentCorrection
from tests import factories

pytestmark = pytest.mark.django_db

Status = CoFinancing.Status


@pytest.fixture
def setup(caseworker):
    plan = factories.plan(name="Helhedsplan Tingbjerg 2019")
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    item = factories.deciding_item(title="Medfinansiering af beskæftigelsesindsatsen")
    return plan, bif, item, caseworker


def create(plan, admin, **kwargs):
    return services.commitment_create(
        plan=plan,
        administration=admin,
        year=kwargs.pop("year", 2021),
        amount=kwargs.pop("amount", Decimal("400000")),
        **kwargs,
    )


def messages_of(error) -> str:
    return " ".join(error.value.messages)


def test_commitment_lifecycle_proposed_granted_paid(setup):
    plan, bif, item, user = setup
    commitment = create(plan, bif, user=user)
    assert commitment.status == Status.PROPOSED
    assert commitment.granted_by_item is None

    services.commitment_grant(commitment=commitment, item=item, user=user)
    commitment.refresh_from_db()
    assert commitment.status == Status.GRANTED
    assert commitment.granted_by_item == item
    assert list(item.granted_commitments.all()) == [commitment]  # the link back

    services.commitment_mark_paid(commitment=commitment, user=user)
    commitment.refresh_from_db()
    assert commitment.status == Status.PAID
    latest = commitment.history.latest("history_date")
    assert latest.history_user == user


def test_grant_twice_is_refused_with_reason(setup):
    plan, bif, item, user = setup
    commitment = create(plan, bif)
    services.commitment_grant(commitment=commitment, item=item, user=user)
    with pytest.raises(ValidationError) as error:
        services.commitment_grant(commitment=commitment, item=item, user=user)
    assert "Kun et foreslået tilsagn kan bevilges (det er nu: Bevilget)" in messages_of(error)


def test_mark_paid_needs_a_granted_commitment(setup):
    plan, bif, _item, user = setup
    commitment = create(plan, bif)
    with pytest.raises(ValidationError) as error:
        services.commitment_mark_paid(commitment=commitment, user=user)
    assert "Kun et bevilget tilsagn kan markeres som udbetalt" in messages_of(error)


def test_paid_commitment_cannot_be_withdrawn(setup):
    plan, bif, item, user = setup
    commitment = create(plan, bif)
    services.commitment_grant(commitment=commitment, item=item, user=user)
    services.commitment_mark_paid(commitment=commitment, user=user)
    with pytest.raises(ValidationError) as error:
        services.commitment_withdraw(commitment=commitment, reason="Fejl", user=user)
    assert "kan trækkes tilbage (det er nu: Udbetalt)" in messages_of(error)


def test_grant_needs_an_item_on_a_held_meeting(setup):
    plan, bif, _item, user = setup
    commitment = create(plan, bif)
    draft = factories.item(None, title="Udkast")
    with pytest.raises(ValidationError) as error:
        services.commitment_grant(commitment=commitment, item=draft, user=user)
    assert "dagsordenspunkt på et udvalgsmøde" in messages_of(error)

    upcoming = factories.item(factories.meeting(status=Meeting.Status.PUBLISHED))
    with pytest.raises(ValidationError) as error:
        services.commitment_grant(commitment=commitment, item=upcoming, user=user)
    assert "Mødet er ikke holdt endnu" in messages_of(error)
    commitment.refresh_from_db()
    assert commitment.status == Status.PROPOSED


@pytest.mark.parametrize(
    "outcome", [Decision.Outcome.REJECTED, Decision.Outcome.POSTPONED, Decision.Outcome.NOTED]
)
def test_grant_refused_when_the_committee_did_not_approve(setup, outcome):
    plan, bif, _item, user = setup
    commitment = create(plan, bif)
    meeting = factories.meeting(status=Meeting.Status.HELD)
    item = factories.item(meeting)
    factories.decision(item, outcome=outcome)
    with pytest.raises(ValidationError) as error:
        services.commitment_grant(commitment=commitment, item=item, user=user)
    assert "Udvalget godkendte ikke punktet" in messages_of(error)


def test_plain_edit_of_a_granted_commitment_is_refused(setup):
    plan, bif, item, user = setup
    commitment = create(plan, bif)
    services.commitment_update(
        commitment=commitment, expected_version=1, amount=Decimal("450000"), user=user
    )
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("450000")  # proposed: a plain edit is fine

    services.commitment_grant(commitment=commitment, item=item, user=user)
    for field, value in [
        ("amount", Decimal("1")),
        ("year", 2030),
        ("plan", factories.plan()),
        ("administration", factories.administration("SOF")),
    ]:
        with pytest.raises(ValidationError) as error:
            services.commitment_update(
                commitment=commitment,
                expected_version=CoFinancing.objects.get(pk=commitment.pk).version,
                user=user,
                **{field: value},
            )
        assert "kan kun ændres ved en ny beslutning eller en registreret rettelse" in (
            messages_of(error)
        )
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("450000")
    assert commitment.year == 2021


def test_correction_records_what_changed_why_and_by_whom(setup):
    plan, bif, item, user = setup
    commitment = create(plan, bif, amount=Decimal("400000"))
    services.commitment_grant(commitment=commitment, item=item, user=user)

    correction = services.commitment_correct(
        commitment=commitment,
        reason="Tastefejl i beløbet",
        user=user,
        amount=Decimal("450000"),
        year=2022,
    )
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("450000")
    assert commitment.year == 2022
    assert commitment.status == Status.GRANTED
    assert correction.recorded_by == user
    assert correction.reason == "Tastefejl i beløbet"
    assert {c["field"]: (c["old"], c["new"]) for c in correction.changes} == {
        "amount": ("400.000 kr.", "450.000 kr."),
        "year": ("2021", "2022"),
    }
    latest = commitment.history.latest("history_date")
    assert latest.history_change_reason == "Tastefejl i beløbet"
    assert latest.history_user == user


def test_correction_needs_a_reason_and_a_change(setup):
    plan, bif, item, user = setup
    commitment = create(plan, bif)
    with pytest.raises(ValidationError) as error:
        services.commitment_correct(commitment=commitment, reason="x", amount=Decimal(1))
    assert "et foreslået tilsagn redigeres blot" in messages_of(error)

    services.commitment_grant(commitment=commitment, item=item, user=user)
    with pytest.raises(ValidationError) as error:
        services.commitment_correct(commitment=commitment, reason="  ", amount=Decimal(1))
    assert "Skriv begrundelsen for rettelsen." in messages_of(error)
    with pytest.raises(ValidationError) as error:
        services.commitment_correct(commitment=commitment, reason="Ingen", amount=Decimal(400000))
    assert "Rettelsen ændrer ikke noget." in messages_of(error)
    assert CommitmentCorrection.objects.count() == 0


def test_withdrawing_a_granted_commitment_needs_a_reason_and_is_recorded(setup):
    plan, bif, item, user = setup
    commitment = create(plan, bif)
    services.commitment_grant(commitment=commitment, item=item, user=user)
    with pytest.raises(ValidationError) as error:
        services.commitment_withdraw(commitment=commitment, reason="", user=user)
    assert "Skriv begrundelsen" in messages_of(error)
    services.commitment_withdraw(commitment=commitment, reason="Planen blev opgivet", user=user)
    commitment.refresh_from_db()
    assert commitment.status == Status.WITHDRAWN
    correction = commitment.corrections.get()
    assert correction.changes == [{"field": "status", "old": "granted", "new": "withdrawn"}]


def test_proposed_commitment_can_be_withdrawn_without_reason(setup):
    plan, bif, _item, user = setup
    commitment = create(plan, bif)
    services.commitment_withdraw(commitment=commitment, user=user)
    commitment.refresh_from_db()
    assert commitment.status == Status.WITHDRAWN
    assert not commitment.corrections.exists()


# -- the pool -------------------------------------------------------------------------------
def test_pool_refuses_commitment_beyond_balance_and_says_what_is_left(setup):
    plan, bif, item, user = setup
    pool = factories.pool(budget=Decimal("2000000"))
    first = create(plan, bif, amount=Decimal("750000"), source="pool", pool=pool)
    services.commitment_grant(commitment=first, item=item, user=user)
    second = create(plan, bif, amount=Decimal("1250001"), source="pool", pool=pool)
    with pytest.raises(ValidationError) as error:
        services.commitment_grant(commitment=second, item=item, user=user)
    assert error.value.message_dict["amount"] == ["Puljen har kun 1.250.000 kr. tilbage."]
    second.refresh_from_db()
    assert second.status == Status.PROPOSED
    exact = create(plan, bif, amount=Decimal("1250000"), source="pool", pool=pool)
    services.commitment_grant(commitment=exact, item=item, user=user)  # exactly what is left
    assert services.pool_balance(pool=pool) == 0


def test_proposed_and_withdrawn_commitments_do_not_use_the_pool(setup):
    plan, bif, item, user = setup
    pool = factories.pool(budget=Decimal("1000000"))
    create(plan, bif, amount=Decimal("900000"), source="pool", pool=pool)  # only proposed
    withdrawn = create(plan, bif, amount=Decimal("900000"), source="pool", pool=pool)
    services.commitment_grant(commitment=withdrawn, item=item, user=user)
    services.commitment_withdraw(commitment=withdrawn, reason="Opgivet", user=user)
    assert services.pool_balance(pool=pool) == Decimal("1000000")


def test_correction_that_raises_a_pool_amount_is_checked_against_the_pool(setup):
    plan, bif, item, user = setup
    pool = factories.pool(budget=Decimal("1000000"))
    commitment = create(plan, bif, amount=Decimal("600000"), source="pool", pool=pool)
    services.commitment_grant(commitment=commitment, item=item, user=user)
    # Its own amount does not count against itself: up to the whole budget is fine.
    services.commitment_correct(
        commitment=commitment, reason="Ny beslutning", amount=Decimal("1000000"), user=user
    )
    with pytest.raises(ValidationError) as error:
        services.commitment_correct(
            commitment=commitment, reason="For meget", amount=Decimal("1000001"), user=user
        )
    assert error.value.message_dict["amount"] == ["Puljen har kun 1.000.000 kr. tilbage."]


def test_pool_commitment_year_must_be_in_the_pool_period(setup):
    plan, bif, *_ = setup
    pool = factories.pool(start=2020, end=2022)
    with pytest.raises(ValidationError) as error:
        create(plan, bif, year=2023, source="pool", pool=pool)
    assert "Puljen dækker 2020–2022" in error.value.message_dict["year"][0]


def test_pool_budget_cannot_drop_below_what_is_granted(setup):
    plan, bif, item, user = setup
    pool = factories.pool(budget=Decimal("1000000"))
    commitment = create(plan, bif, amount=Decimal("800000"), source="pool", pool=pool)
    services.commitment_grant(commitment=commitment, item=item, user=user)
    pool.budget = Decimal("700000")
    with pytest.raises(ValidationError) as error:
        pool.full_clean()
    assert "800.000 kr." in error.value.message_dict["budget"][0]
