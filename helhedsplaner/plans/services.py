"""Writes for helhedsplaner: plans with their estates, lifecycle steps, and the
plans an agenda item concerns.

Every function is keyword-only and transactional, validates with ``full_clean()``
before it saves and stamps the history rows with the user who made the change
(``_history_user``), so the history is attributed even outside a web request.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import AgendaItem
from committees.services import meeting_assert_unlocked
from core import pagecache
from core.templatetags.dk import date_text
from core.validation import date_in_range, validate_sane_date

from ..models import Estate, Plan, PlanStatusChange
from . import selectors

# The plan's own fields a caseworker edits in the plan form (status has its own service).
PLAN_FIELDS = (
    "name",
    "housing_organisation",
    "area",
    "lbf_period",
    "lead_administration",
    "budget",
    "lbf_grant",
    "period_start",
    "period_end",
    "description",
)
PLAN_M2M_FIELDS = ("participating_administrations", "focus_areas", "policy_goals")


@dataclass
class EstateRow:
    """One row of the estates table in the plan form."""

    pk: int | None
    name: str = ""
    number: str = ""
    tenancies: int = 0
    delete: bool = False


@dataclass
class PlanConflict(Exception):
    """Somebody else saved the plan after the form was loaded; nothing was saved."""

    plan: Plan
    current_version: int
    changes: list = field(default_factory=list)


def plan_focus_areas_check(*, lbf_period, focus_areas) -> None:
    """Focus areas must belong to the plan's LBF period; name each one that does not."""
    errors = [
        ValidationError(
            _(
                "“%(focus_area)s” is a focus area of the LBF period %(focus_period)s, "
                "not of the plan's LBF period %(period)s."
            ),
            code="focus_area_period",
            params={
                "focus_area": focus_area.name,
                "focus_period": focus_area.period.name,
                "period": lbf_period.name,
            },
        )
        for focus_area in focus_areas
        if focus_area.period_id != lbf_period.pk
    ]
    if errors:
        raise ValidationError({"focus_areas": errors})


def _plan_m2m_set(*, plan: Plan, m2m: dict) -> None:
    for name in PLAN_M2M_FIELDS:
        if name in m2m:
            getattr(plan, name).set(m2m[name])


def _plan_estates_apply(*, plan: Plan, estates: list[EstateRow], user) -> None:
    """Deletions first, then changes, then new estates, so a name can move between rows."""
    existing = {estate.pk: estate for estate in plan.estates.all()}
    for row in estates:
        if row.pk is not None and row.pk not in existing:
            raise ValidationError(
                _("An estate in the form no longer belongs to the plan. Reload the page."),
                code="estate_gone",
            )
    try:
        for row in estates:
            if row.pk is not None and row.delete:
                estate = existing.pop(row.pk)
                estate._history_user = user
                estate.delete()
        for row in estates:
            if row.pk is None or row.delete:
                continue
            estate = existing[row.pk]
            changed = [
                name
                for name in ("name", "number", "tenancies")
                if getattr(estate, name) != getattr(row, name)
            ]
            if changed:
                for name in changed:
                    setattr(estate, name, getattr(row, name))
                estate._history_user = user
                estate.full_clean()
                estate.save(update_fields=[*changed, "updated_at"])
        for row in estates:
            if row.pk is None and not row.delete:
                estate = Estate(
                    plan=plan, name=row.name, number=row.number, tenancies=row.tenancies
                )
                estate._history_user = user
                estate.full_clean()
                estate.save()
    except ValidationError as error:
        messages = list(error.messages)
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Estates: %(errors)s") % {"errors": " ".join(messages)}]}
        ) from error


@transaction.atomic
def plan_create(*, user, fields: dict, m2m: dict, estates: list[EstateRow]) -> Plan:
    """Register a new plan (status: idea) with its estates and the first lifecycle step."""
    plan = Plan(**{name: fields[name] for name in PLAN_FIELDS if name in fields})
    plan.status = Plan.Status.IDEA
    if "focus_areas" in m2m:
        plan_focus_areas_check(lbf_period=plan.lbf_period, focus_areas=m2m["focus_areas"])
    plan.full_clean()
    plan._history_user = user
    plan.save()
    _plan_m2m_set(plan=plan, m2m=m2m)
    _plan_estates_apply(plan=plan, estates=estates, user=user)
    step = PlanStatusChange(
        plan=plan,
        from_status="",
        to_status=Plan.Status.IDEA,
        date=timezone.localdate(),
        changed_by=user,
    )
    step._history_user = user
    step.full_clean()
    step.save()
    return plan


def _plan_conflict(*, pk: int, expected_version: int, user) -> "PlanConflict":
    current = Plan.objects.get(pk=pk)
    return PlanConflict(
        plan=current,
        current_version=current.version,
        changes=selectors.plan_changes_since(plan=current, version=expected_version, user=user),
    )


def plan_update(
    *, plan: Plan, user, expected_version: int, fields: dict, m2m: dict, estates: list[EstateRow]
) -> Plan:
    """Save the plan form, unless somebody saved the plan since the form was loaded.

    The version is claimed with a conditional UPDATE, so of two concurrent saves
    of the same version exactly one wins; the other gets :class:`PlanConflict`
    with the changes made in the meantime, and nothing of it is saved.

    The plan is read and validated before the transaction that claims the version and
    saves: validated inside it, each of its check constraints cost a savepoint of its
    own (three round trips where one does). It is the same plan: every write to a plan
    raises its version (core/versioning.py), so when the claim of the version read here
    succeeds, nobody has written the plan since it was read.
    """
    plan = Plan.objects.select_related("lbf_period").get(pk=plan.pk)
    if plan.version != expected_version:
        raise _plan_conflict(pk=plan.pk, expected_version=expected_version, user=user)
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(plan, name, fields[name])
    if "focus_areas" in m2m:
        plan_focus_areas_check(lbf_period=plan.lbf_period, focus_areas=m2m["focus_areas"])
    plan.full_clean()
    with transaction.atomic():
        claimed = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
            version=F("version") + 1
        )
        pagecache.changed(plan, fields=["version"])
        if not claimed:
            raise _plan_conflict(pk=plan.pk, expected_version=expected_version, user=user)
        plan.version = expected_version + 1
        plan._history_user = user
        plan.save(update_fields=[*[n for n in PLAN_FIELDS if n in fields], "updated_at"])
        _plan_m2m_set(plan=plan, m2m=m2m)
        _plan_estates_apply(plan=plan, estates=estates, user=user)
    return plan


def plan_transition_reason(*, plan: Plan, to_status: str) -> str | None:
    """Why the plan cannot go to ``to_status`` now, in Danish; None if it can."""
    labels = dict(Plan.Status.choices)
    if to_status not in labels:
        return _("“%(status)s” is not a lifecycle status.") % {"status": to_status}
    allowed = Plan.TRANSITIONS[plan.status]
    if to_status in allowed:
        return None
    if not allowed:
        return _(
            "The plan is “%(current)s”, which is a final status: it cannot move to “%(to)s”."
        ) % {"current": labels[plan.status], "to": labels[to_status]}
    return _(
        "A plan in status “%(current)s” cannot move to “%(to)s”. Possible next steps: %(allowed)s."
    ) % {
        "current": labels[plan.status],
        "to": labels[to_status],
        "allowed": ", ".join(_("“%(status)s”") % {"status": labels[s]} for s in allowed),
    }


@transaction.atomic
def plan_transition(
    *, plan: Plan, to_status: str, date: datetime.date, user, note: str = ""
) -> PlanStatusChange:
    """Move the plan one step along its lifecycle, dated and attributed.

    The plan row is locked and its status re-read, so two people pressing the
    same button at once cannot both move it.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    reason = plan_transition_reason(plan=plan, to_status=to_status)
    if reason:
        raise ValidationError({NON_FIELD_ERRORS: [reason]}, code="invalid_transition")
    if not date_in_range(date):
        raise ValidationError({"date": [validate_sane_date.message]}, code="date_range")
    if date > timezone.localdate():
        raise ValidationError(
            {"date": [_("The date cannot be in the future.")]}, code="date_in_future"
        )
    previous = plan.status_changes.order_by("-date", "-pk").first()
    if previous is not None and date < previous.date:
        raise ValidationError(
            {
                "date": [
                    _("The date cannot be before the previous step (%(date)s).")
                    % {"date": date_text(previous.date, "j. F Y")}
                ]
            },
            code="date_before_previous",
        )
    step = PlanStatusChange(
        plan=plan,
        from_status=plan.status,
        to_status=to_status,
        date=date,
        changed_by=user,
        note=note,
    )
    step._history_user = user
    step.full_clean()
    step.save()
    plan.status = to_status
    plan._history_user = user
    plan.full_clean()
    plan.save(update_fields=["status", "updated_at"])
    return step


@transaction.atomic
def agenda_item_plans_set(*, item: AgendaItem, plans) -> None:
    """Make ``plans`` exactly the item's related plans (each change is in the plan's history)."""
    if item.meeting_id is not None:
        meeting_assert_unlocked(item.meeting)
    wanted = {plan.pk: plan for plan in plans}
    current = {plan.pk: plan for plan in item.plans.all()}
    # From the plan's side, so each plan's history records the link it gained or lost.
    for pk, plan in current.items():
        if pk not in wanted:
            plan.agenda_items.remove(item)
    for pk, plan in wanted.items():
        if pk not in current:
            plan.agenda_items.add(item)
