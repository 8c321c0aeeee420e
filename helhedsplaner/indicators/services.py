"""Writes for indicator values: one value from the form, or a whole checked file at once.

Every function is keyword-only and transactional and stamps the history rows with the
user who made the change.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import pagecache

from ..models import IndicatorValue
from . import importer


@transaction.atomic
def indicator_value_set(*, area, indicator, year: int, value: Decimal, user) -> tuple:
    """Register one value for an area, indicator and year: create it or update it.

    Returns ``(value_object, created, changed)``.
    """
    existing = (
        IndicatorValue.objects.select_for_update()
        .filter(area=area, indicator=indicator, year=year)
        .first()
    )
    if existing is None:
        obj = IndicatorValue(area=area, indicator=indicator, year=year, value=value)
        obj._history_user = user
        obj.full_clean()
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            # Somebody registered the same value a moment ago: update theirs instead.
            existing = IndicatorValue.objects.select_for_update().get(
                area=area, indicator=indicator, year=year
            )
        else:
            return obj, True, True
    if existing.value == value and not existing.is_demo:
        return existing, False, False
    existing.value = value
    existing.is_demo = False
    existing._history_user = user
    existing.full_clean()
    existing.save(update_fields=["value", "is_demo", "updated_at"])
    return existing, False, True


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def indicator_values_import(*, text: str, user) -> ImportResult:
    """Save every row of an indicator CSV file, or nothing if any row is wrong."""
    parsed = importer.parse(text)
    if parsed.errors:
        raise ValidationError([error.message for error in parsed.errors], code="csv_rows")
    now = timezone.now()
    existing = {
        (v.area_id, v.indicator_id, v.year): v
        for v in IndicatorValue.objects.select_for_update().filter(
            area__in={row.area.pk for row in parsed.rows},
            indicator__in={row.indicator.pk for row in parsed.rows},
            year__in={row.year for row in parsed.rows},
        )
    }
    new, changed, unchanged = [], [], 0
    for row in parsed.rows:
        obj = existing.get((row.area.pk, row.indicator.pk, row.year))
        if obj is None:
            obj = IndicatorValue(
                area=row.area, indicator=row.indicator, year=row.year, value=row.value
            )
            new.append(obj)
        elif obj.value != row.value or obj.is_demo:
            obj.value, obj.is_demo, obj.updated_at = row.value, False, now
            changed.append(obj)
        else:
            unchanged += 1
            continue
        # The parser has checked references, years and uniqueness; check the values here.
        obj.full_clean(
            exclude=["area", "indicator"], validate_unique=False, validate_constraints=False
        )
    # Written in bulk, past the signals: say which plans' pages show these values.
    pagecache.changed(*new, *changed, model=IndicatorValue)
    if new:
        bulk_create_with_history(new, IndicatorValue, default_user=user, default_date=now)
    if changed:
        bulk_update_with_history(
            changed,
            IndicatorValue,
            ["value", "is_demo", "updated_at"],
            default_user=user,
            default_date=now,
        )
    return ImportResult(created=len(new), updated=len(changed), unchanged=unchanged)
