from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from helhedsplaner.models import CoFinancing, CoFinancingPool, IndicatorValue, Plan
from tests import factories

pytestmark = pytest.mark.django_db


def test_lbf_grant_at_most_75_percent_of_budget():
    factories.plan(budget=Decimal(1000), lbf_grant=Decimal(750))  # exactly 75 %: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.plan(budget=Decimal(1000), lbf_grant=Decimal("750.01"))


@pytest.mark.parametrize("field", ["budget", "lbf_grant"])
def test_plan_amounts_non_negative(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.plan(
            **{field: Decimal(-1)},
            **({"budget": Decimal(0)} if field == "lbf_grant" else {"lbf_grant": Decimal(0)}),
        )


def test_plan_period_start_before_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.plan(period_start=date(2024, 1, 1), period_end=date(2020, 1, 1))


def test_plan_status_must_be_known():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.plan(status="dreaming")
    assert Plan.objects.count() == 0


def test_commitment_amount_non_negative():
    plan = factories.plan()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.commitment(plan, amount=Decimal(-5))


def test_commitment_pool_set_exactly_when_source_is_pool():
    plan = factories.plan()
    pool = CoFinancingPool.objects.create(
        name="Pulje", start_year=2020, end_year=2023, budget=Decimal(1000)
    )
    factories.commitment(plan, source=CoFinancing.Source.POOL, pool=pool)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.commitment(plan, source=CoFinancing.Source.POOL, pool=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.commitment(plan, source=CoFinancing.Source.OWN_BUDGET, pool=pool)


def test_pool_budget_non_negative_and_years_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        CoFinancingPool.objects.create(
            name="P1", start_year=2020, end_year=2023, budget=Decimal(-1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CoFinancingPool.objects.create(name="P2", start_year=2024, end_year=2023, budget=Decimal(1))


def test_indicator_value_once_per_area_indicator_year():
    from helhedsplaner.models import Indicator

    area = factories.area()
    indicator = Indicator.objects.create(code="x", name="X")
    IndicatorValue.objects.create(area=area, indicator=indicator, year=2009, value=Decimal(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(area=area, indicator=indicator, year=2009, value=Decimal(2))


def test_only_one_city_total_area():
    factories.area(is_city_total=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.area(is_city_total=True)
