"""Writes to the reference data: housing organisations, areas, LBF periods, focus areas and
indicators.

Every write names the acting user as the history user. A removal is refused, with a
message naming what still refers to the object, while anything refers to it (the
database's PROTECT foreign keys are the last guard; a ProtectedError becomes the same
message, never a 500).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Area, FocusArea, HousingOrganisation, Indicator, LbfPeriod


def _save(obj: Model, *, user, fields: dict) -> Model:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj._history_user = user
    obj.save()
    return obj


def _remove(obj: Model, *, user, refused: str) -> None:
    obj._history_user = user
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as error:
        raise ValidationError(refused, code="protected") from error


def _refuse_if(count: int, message: str) -> None:
    if count:
        raise ValidationError(message, code="in_use")


# -- housing organisations ---------------------------------------------------------------------


def housing_organisation_create(*, user, fields: dict) -> HousingOrganisation:
    return _save(HousingOrganisation(), user=user, fields=fields)


def housing_organisation_update(
    *, organisation: HousingOrganisation, user, fields: dict
) -> HousingOrganisation:
    return _save(organisation, user=user, fields=fields)


def housing_organisation_remove(*, organisation: HousingOrganisation, user) -> None:
    count = organisation.plans.count()
    _refuse_if(
        count,
        ngettext(
            "“%(name)s” is the housing organisation of %(count)d plan and cannot be removed.",
            "“%(name)s” is the housing organisation of %(count)d plans and cannot be removed.",
            count,
        )
        % {"name": str(organisation), "count": count},
    )
    _remove(
        organisation,
        user=user,
        refused=_("“%(name)s” is still in use and cannot be removed.") % {"name": organisation},
    )


# -- areas ---------------------------------------------------------------------------------------


def area_check_city_total(area: Area) -> None:
    if not area.is_city_total:
        return
    other = Area.objects.filter(is_city_total=True).exclude(pk=area.pk).first()
    if other is not None:
        raise ValidationError(
            {
                "is_city_total": _(
                    "“%(name)s” is already the whole municipality. Only one area can hold "
                    "the city average: change that area first."
                )
                % {"name": other.name}
            },
            code="one_city_total",
        )


@transaction.atomic
def area_create(*, user, fields: dict) -> Area:
    area = Area(**fields)
    area_check_city_total(area)
    return _save(area, user=user, fields={})


@transaction.atomic
def area_update(*, area: Area, user, fields: dict) -> Area:
    area = Area.objects.select_for_update().get(pk=area.pk)
    for name, value in fields.items():
        setattr(area, name, value)
    area_check_city_total(area)
    return _save(area, user=user, fields={})


def area_remove(*, area: Area, user) -> None:
    count = area.plans.count()
    _refuse_if(
        count,
        ngettext(
            "“%(name)s” is the area of %(count)d plan and cannot be removed.",
            "“%(name)s” is the area of %(count)d plans and cannot be removed.",
            count,
        )
        % {"name": str(area), "count": count},
    )
    values = area.indicator_values.count()
    if values:
        raise ValidationError(
            ngettext(
                "“%(name)s” has %(count)d indicator value and cannot be removed.",
                "“%(name)s” has %(count)d indicator values and cannot be removed.",
                values,
            )
            % {"name": area.name, "count": values},
            code="in_use",
        )
    _remove(
        area,
        user=user,
        refused=_("“%(name)s” is still in use and cannot be removed.") % {"name": area},
    )


# -- LBF periods and their focus areas -----------------------------------------------------------


def lbf_period_create(*, user, fields: dict) -> LbfPeriod:
    return _save(LbfPeriod(), user=user, fields=fields)


def lbf_period_update(*, period: LbfPeriod, user, fields: dict) -> LbfPeriod:
    return _save(period, user=user, fields=fields)


@transaction.atomic
def lbf_period_remove(*, period: LbfPeriod, user) -> None:
    count = period.plans.count()
    _refuse_if(
        count,
        ngettext(
            "“%(name)s” is the LBF period of %(count)d plan and cannot be removed.",
            "“%(name)s” is the LBF period of %(count)d plans and cannot be removed.",
            count,
        )
        % {"name": str(period), "count": count},
    )
    for focus_area in period.focus_areas.all():
        focus_area._history_user = user
        focus_area.delete()
    _remove(
        period,
        user=user,
        refused=_("“%(name)s” is still in use and cannot be removed.") % {"name": period},
    )


def focus_area_create(*, period: LbfPeriod, user, name: str) -> FocusArea:
    return _save(FocusArea(period=period), user=user, fields={"name": name})


def focus_area_rename(*, focus_area: FocusArea, user, name: str) -> FocusArea:
    return _save(focus_area, user=user, fields={"name": name})


@transaction.atomic
def focus_area_remove(*, focus_area: FocusArea, user) -> None:
    """Remove a focus area no plan has chosen; one in use is refused, naming the plans."""
    plans = list(focus_area.plans.order_by("name").values_list("name", flat=True))
    if plans:
        raise ValidationError(
            ngettext(
                "“%(name)s” is chosen by %(count)d plan (%(plans)s) and cannot be removed. "
                "Take it off the plan first, or rename it.",
                "“%(name)s” is chosen by %(count)d plans (%(plans)s) and cannot be removed. "
                "Take it off the plans first, or rename it.",
                len(plans),
            )
            % {"name": focus_area.name, "count": len(plans), "plans": ", ".join(plans)},
            code="in_use",
        )
    focus_area._history_user = user
    focus_area.delete()


# -- indicators ---------------------------------------------------------------------------------


def indicator_create(*, user, fields: dict) -> Indicator:
    return _save(Indicator(), user=user, fields=fields)


def indicator_update(*, indicator: Indicator, user, fields: dict) -> Indicator:
    return _save(indicator, user=user, fields=fields)


def indicator_remove(*, indicator: Indicator, user) -> None:
    """Remove an indicator no area has a value of; one with values is refused, saying how
    many (the values are the figures of the status pages: they are never removed with it)."""
    count = indicator.values.count()
    _refuse_if(
        count,
        ngettext(
            "“%(name)s” has %(count)d indicator value and cannot be removed.",
            "“%(name)s” has %(count)d indicator values and cannot be removed.",
            count,
        )
        % {"name": str(indicator), "count": count},
    )
    _remove(
        indicator,
        user=user,
        refused=_("“%(name)s” is still in use and cannot be removed.") % {"name": indicator},
    )
