"""Reads for the reference data pages: the lists (with how many plans or values use each row),
one object for its form, and readable history."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from core.history import history_entries

from ..models import Area, FocusArea, HousingOrganisation, Indicator, LbfPeriod


def housing_organisation_list() -> list[HousingOrganisation]:
    return list(HousingOrganisation.objects.annotate(plan_count=Count("plans")).order_by("name"))


def housing_organisation_get(*, pk: int) -> HousingOrganisation:
    return get_object_or_404(HousingOrganisation, pk=pk)


def area_list() -> list[Area]:
    return list(Area.objects.annotate(plan_count=Count("plans")).order_by("-is_city_total", "name"))


def area_get(*, pk: int) -> Area:
    return get_object_or_404(Area, pk=pk)


def lbf_period_list() -> list[LbfPeriod]:
    return list(
        LbfPeriod.objects.annotate(plan_count=Count("plans", distinct=True))
        .prefetch_related(Prefetch("focus_areas", queryset=FocusArea.objects.order_by("name")))
        .order_by("start_year", "name")
    )


def lbf_period_get(*, pk: int) -> LbfPeriod:
    return get_object_or_404(LbfPeriod, pk=pk)


def lbf_period_get_for_page(*, pk: int) -> tuple[LbfPeriod, list[FocusArea]]:
    period = lbf_period_get(pk=pk)
    focus_areas = list(period.focus_areas.annotate(plan_count=Count("plans")).order_by("name"))
    return period, focus_areas


def focus_area_get(*, pk: int) -> FocusArea:
    return get_object_or_404(FocusArea.objects.select_related("period"), pk=pk)


def indicator_list() -> list[Indicator]:
    return list(Indicator.objects.annotate(value_count=Count("values")).order_by("name"))


def indicator_get(*, pk: int) -> Indicator:
    return get_object_or_404(Indicator, pk=pk)


def history_of(obj) -> list[dict]:
    return history_entries(type(obj).history.filter(id=obj.pk))


def lbf_period_history(period: LbfPeriod) -> list[dict]:
    """The period's own changes and those of its focus areas (removed ones included)."""
    return history_entries(
        LbfPeriod.history.filter(id=period.pk), FocusArea.history.filter(period_id=period.pk)
    )
