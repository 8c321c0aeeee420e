"""Shared fixtures for the status page and status report tests."""

from datetime import date
from decimal import Decimal

import pytest

from committees.models import Meeting
from helhedsplaner.models import CoFinancing
from tests import factories


@pytest.fixture
def story():
    """A plan with lifecycle steps, items in TMU and BIU, commitments and a group meeting."""
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget", slug="tmu")
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu")
    plan = factories.plan(
        "Helhedsplan Tårnby",
        status="implementation",
        lead_administration=tmf,
        budget=Decimal(10_000_000),
        lbf_grant=Decimal(6_000_000),
        period_start=date(2020, 1, 1),
        period_end=date(2023, 12, 31),
        housing_organisation=factories.housing_organisation("fsb"),
    )
    factories.estate(plan, "Tårnby afd. 1", tenancies=300)
    factories.estate(plan, "Tårnby afd. 2", tenancies=150)
    factories.status_change(plan, "idea", day=date(2019, 3, 1))
    factories.status_change(plan, "approved", day=date(2019, 9, 1), from_status="idea")
    factories.status_change(
        plan, "implementation", day=date(2020, 3, 1), from_status="approved", note="Opstart."
    )
    tmu_item = factories.deciding_item(tmu, day=date(2019, 11, 4), title="Puljebevilling 2020")
    biu_meeting = factories.meeting(biu, day=date(2021, 3, 11), status=Meeting.Status.HELD)
    biu_item = factories.item(biu_meeting, title="Beskæftigelsesindsatsen – status")
    factories.decision(
        biu_item, outcome="noted", text="Udvalget tog orienteringen til efterretning."
    )
    plan.agenda_items.add(tmu_item, biu_item)
    factories.commitment(
        plan,
        tmf,
        year=2020,
        amount=Decimal(500_000),
        status=CoFinancing.Status.GRANTED,
        granted_by_item=tmu_item,
    )
    factories.commitment(plan, bif, year=2022, amount=Decimal(250_000), status="paid")
    factories.commitment(plan, bif, year=2024, amount=Decimal(999_000), status="proposed")
    group = factories.follow_up_group("Følgegruppen for Tårnby")
    plan.follow_up_groups.add(group)
    factories.follow_up_meeting(group, day=date(2021, 9, 8), notes="Gruppen drøftede planen.")
    factories.follow_up_meeting(group, day=date(2015, 1, 5), notes="Før planen fandtes.")
    return {"plan": plan, "tmu": tmu, "biu": biu, "tmu_item": tmu_item, "biu_item": biu_item}
