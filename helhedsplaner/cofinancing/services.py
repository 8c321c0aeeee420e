"""Writes for co-financing commitments, the shared pool and housing contributions.

The rules in one place:

- a commitment is born *proposed*; the only transitions are
  proposed → granted → paid, and proposed/granted → withdrawn;
- granting needs the deciding agenda item: an item placed on a meeting that has
  been held, and not rejected, postponed or merely noted;
- granting from the shared pool locks the pool row (``select_for_update``) and
  refuses an amount beyond what is left, so concurrent grants never over-commit it;
- a pool's budget is changed under the same lock, and never below what is granted
  from it; a pool is removed only while no commitment refers to it;
- once granted, amount, year, plan, administration and source change only through
  a recorded correction with a reason (``commitment_correct``), never a plain edit.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import AgendaItem, Decision
from cases.selectors import user_can_see_closed
from core.templatetags.dk import dkk
from core.versioning import version_bump, version_check

from ..models import CoFinancing, CoFinancingPool, CommitmentCorrection, HousingContribution
from .selectors import COMMITTED, HELD_MEETING

Status = CoFinancing.Status

# Fields that define what was promised; frozen once the commitment is granted.
COMMITTED_FIELDS = ("plan", "administration", "year", "amount", "source", "pool")
EDITABLE_FIELDS = (*COMMITTED_FIELDS, "note")
COUNTED_IN_POOL = COMMITTED
# A recommendation to the next committee grants nothing yet: the final decision does.
NOT_A_GRANT = (
    Decision.Outcome.REJECTED,
    Decision.Outcome.POSTPONED,
    Decision.Outcome.NOTED,
    Decision.Outcome.RECOMMENDED,
)


def _stamp(obj, user, reason: str = "") -> None:
    """Let simple-history record who made the change, and why, outside a request too."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]


def _check_pool_year(commitment: CoFinancing, pool: CoFinancingPool | None) -> None:
    if (
        pool is not None
        and commitment.year
        and not (pool.start_year <= commitment.year <= pool.end_year)
    ):
        raise ValidationError(
            {
                "year": _("The pool covers %(start)s–%(end)s; the year must be within it.")
                % {"start": pool.start_year, "end": pool.end_year}
            }
        )


def pool_balance(*, pool: CoFinancingPool, exclude_pk: int | None = None) -> Decimal:
    """What is left in the pool: its budget minus granted and paid commitments."""
    used = pool.commitments.filter(status__in=COUNTED_IN_POOL)
    if exclude_pk is not None:
        used = used.exclude(pk=exclude_pk)
    total = used.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return pool.budget - total


def _lock_pool(pool_id: int) -> CoFinancingPool:
    """The pool's row, locked (``select_for_update``) until the transaction commits.

    Every write that depends on what is granted from a pool takes this lock first: a
    grant, a correction, and a change of the pool's own budget. So a second one waits
    here and then sees what the first one wrote.
    """
    return CoFinancingPool.objects.select_for_update().get(pk=pool_id)


def _reserve_in_pool(*, pool_id: int, amount: Decimal, exclude_pk: int | None = None) -> None:
    """Lock the pool row and refuse ``amount`` if it exceeds what is left.

    Must run inside a transaction: the lock is held until it commits, so a second
    grant from the same pool waits here and then sees the first one's amount.
    """
    pool = _lock_pool(pool_id)
    left = pool_balance(pool=pool, exclude_pk=exclude_pk)
    if amount > left:
        raise ValidationError(
            {"amount": _("The pool only has %(left)s left.") % {"left": dkk(max(left, Decimal(0)))}}
        )


@transaction.atomic
def commitment_create(
    *,
    plan,
    administration,
    year: int,
    amount: Decimal,
    source: str = CoFinancing.Source.OWN_BUDGET,
    pool: CoFinancingPool | None = None,
    note: str = "",
    user=None,
) -> CoFinancing:
    """Register a proposed commitment; it counts for nothing until a decision grants it."""
    commitment = CoFinancing(
        plan=plan,
        administration=administration,
        year=year,
        amount=amount,
        source=source,
        pool=pool if source == CoFinancing.Source.POOL else None,
        note=note,
        status=Status.PROPOSED,
    )
    if source == CoFinancing.Source.POOL and pool is None:
        raise ValidationError({"pool": _("Choose the pool the money comes from.")})
    _check_pool_year(commitment, commitment.pool)
    commitment.full_clean()
    _stamp(commitment, user)
    commitment.save()
    return commitment


def _conflict_labels(user) -> dict:
    """How a conflict page names the deciding item: a closed one only to its committee."""

    def item_label(pk) -> str:
        if pk is None:
            return "–"
        item = AgendaItem.objects.select_related("meeting__committee", "case").filter(pk=pk).first()
        if item is None:
            return _("(deleted)")
        if item.is_closed and not user_can_see_closed(user, item.meeting.committee_id):
            return _("Closed item")
        return f"{item.title} ({item.case.number})"

    return {"granted_by_item": item_label}


@transaction.atomic
def commitment_update(
    *, commitment: CoFinancing, expected_version: int, user=None, **changes
) -> CoFinancing:
    """A plain edit, allowed only while the commitment is proposed.

    Refused with :class:`core.versioning.VersionConflict` (nothing saved) if the
    commitment has been written since the form showing ``expected_version`` was loaded.
    """
    commitment = CoFinancing.objects.select_for_update().get(pk=commitment.pk)
    version_check(commitment, expected_version=expected_version, labels=_conflict_labels(user))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    frozen = [
        field
        for field in COMMITTED_FIELDS
        if field in changes and changes[field] != getattr(commitment, field)
    ]
    if commitment.status != Status.PROPOSED and frozen:
        raise ValidationError(
            _(
                "A granted commitment can only be changed by a new decision or a recorded "
                "correction with a reason. Use “Correct” on the commitment's page."
            )
        )
    if commitment.status == Status.WITHDRAWN and changes:
        raise ValidationError(_("A withdrawn commitment cannot be changed."))
    if changes.get("source") == CoFinancing.Source.OWN_BUDGET:
        changes["pool"] = None
    for field, value in changes.items():
        setattr(commitment, field, value)
    if commitment.source == CoFinancing.Source.POOL and commitment.pool_id is None:
        raise ValidationError({"pool": _("Choose the pool the money comes from.")})
    _check_pool_year(commitment, commitment.pool)
    commitment.full_clean()
    _stamp(commitment, user)
    commitment.save(update_fields=[*changes, "version", "updated_at"])
    return commitment


def _check_deciding_item(item: AgendaItem) -> None:
    if item.meeting_id is None or item.status != AgendaItem.Status.SCHEDULED:
        raise ValidationError(
            {"item": _("The decision must be an agenda item placed on a committee meeting.")}
        )
    if item.meeting.status not in HELD_MEETING:
        raise ValidationError(
            {
                "item": _(
                    "The meeting has not been held yet: a commitment is granted only once "
                    "the committee has decided."
                )
            }
        )
    decision = getattr(item, "decision", None)
    if decision is not None and decision.outcome in NOT_A_GRANT:
        raise ValidationError(
            {
                "item": _("The committee did not approve the item (decision: %(outcome)s).")
                % {"outcome": decision.get_outcome_display()}
            }
        )


@transaction.atomic
def commitment_grant(*, commitment: CoFinancing, item: AgendaItem, user=None) -> CoFinancing:
    """Grant a proposed commitment by the committee's decision on ``item``.

    Pool-funded commitments are checked against the pool's balance under a row lock.
    """
    commitment = CoFinancing.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != Status.PROPOSED:
        raise ValidationError(
            _("Only a proposed commitment can be granted (it is now: %(status)s).")
            % {"status": commitment.get_status_display()}
        )
    item = AgendaItem.objects.select_related("meeting", "decision").get(pk=item.pk)
    _check_deciding_item(item)
    if commitment.source == CoFinancing.Source.POOL:
        _reserve_in_pool(pool_id=commitment.pool_id, amount=commitment.amount)
    commitment.status = Status.GRANTED
    commitment.granted_by_item = item
    commitment.full_clean()
    _stamp(commitment, user)
    version_bump(commitment)
    commitment.save(update_fields=["status", "granted_by_item", "updated_at"])
    return commitment


@transaction.atomic
def commitment_mark_paid(*, commitment: CoFinancing, user=None) -> CoFinancing:
    commitment = CoFinancing.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != Status.GRANTED:
        raise ValidationError(
            _("Only a granted commitment can be marked as paid (it is now: %(status)s).")
            % {"status": commitment.get_status_display()}
        )
    commitment.status = Status.PAID
    _stamp(commitment, user)
    version_bump(commitment)
    commitment.save(update_fields=["status", "updated_at"])
    return commitment


@transaction.atomic
def commitment_withdraw(*, commitment: CoFinancing, reason: str = "", user=None) -> CoFinancing:
    """Withdraw a proposed or granted commitment; a granted one needs a recorded reason."""
    commitment = CoFinancing.objects.select_for_update().get(pk=commitment.pk)
    reason = reason.strip()
    if commitment.status not in (Status.PROPOSED, Status.GRANTED):
        raise ValidationError(
            _("Only a proposed or granted commitment can be withdrawn (it is now: %(status)s).")
            % {"status": commitment.get_status_display()}
        )
    if commitment.status == Status.GRANTED:
        if not reason:
            raise ValidationError(
                {"reason": _("Give the reason for withdrawing a granted commitment.")}
            )
        CommitmentCorrection.objects.create(
            commitment=commitment,
            reason=reason,
            changes=[{"field": "status", "old": Status.GRANTED, "new": Status.WITHDRAWN}],
            recorded_by=user if getattr(user, "is_authenticated", False) else None,
        )
    commitment.status = Status.WITHDRAWN
    _stamp(commitment, user, reason)
    version_bump(commitment)
    commitment.save(update_fields=["status", "updated_at"])
    return commitment


def _display(commitment: CoFinancing, field: str) -> str:
    """A language-neutral record of a value: amounts formatted, choices as their code."""
    value = getattr(commitment, field)
    if value is None:
        return ""
    if field == "amount":
        return dkk(value)
    return str(value)


@transaction.atomic
def commitment_correct(
    *,
    commitment: CoFinancing,
    reason: str,
    user=None,
    decided_by_item: AgendaItem | None = None,
    **changes,
) -> CommitmentCorrection:
    """Change a granted or paid commitment, recording what changed and why.

    ``decided_by_item`` names a new committee decision behind the change, if any.
    A pool-funded result is checked against the pool's balance like a grant.
    """
    commitment = CoFinancing.objects.select_for_update().get(pk=commitment.pk)
    reason = reason.strip()
    if commitment.status not in (Status.GRANTED, Status.PAID):
        raise ValidationError(
            _(
                "Only a granted or paid commitment is corrected; a proposed commitment "
                "is simply edited."
            )
        )
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    if changes.get("source") == CoFinancing.Source.OWN_BUDGET:
        changes["pool"] = None
    changed = [f for f in changes if changes[f] != getattr(commitment, f)]
    if not changed:
        raise ValidationError(_("The correction does not change anything."))
    if decided_by_item is not None:
        item = AgendaItem.objects.select_related("meeting", "decision").get(pk=decided_by_item.pk)
        try:
            _check_deciding_item(item)
        except ValidationError as error:
            raise ValidationError({"decided_by_item": error.message_dict["item"]}) from None
    before = {field: _display(commitment, field) for field in changed}
    for field in changed:
        setattr(commitment, field, changes[field])
    if commitment.source == CoFinancing.Source.POOL and commitment.pool_id is None:
        raise ValidationError({"pool": _("Choose the pool the money comes from.")})
    _check_pool_year(commitment, commitment.pool)
    commitment.full_clean()
    if commitment.source == CoFinancing.Source.POOL:
        _reserve_in_pool(
            pool_id=commitment.pool_id, amount=commitment.amount, exclude_pk=commitment.pk
        )
    correction = CommitmentCorrection(
        commitment=commitment,
        reason=reason,
        decided_by_item=decided_by_item,
        changes=[
            {
                "field": field,
                "old": before[field],
                "new": _display(commitment, field),
            }
            for field in changed
        ],
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    correction.full_clean()
    _stamp(correction, user)
    correction.save()
    _stamp(commitment, user, reason)
    version_bump(commitment)
    commitment.save(update_fields=[*changed, "updated_at"])
    return correction


@transaction.atomic
def housing_contribution_create(
    *, plan, amount: Decimal, description: str, user=None
) -> HousingContribution:
    contribution = HousingContribution(plan=plan, amount=amount, description=description)
    contribution.full_clean()
    _stamp(contribution, user)
    contribution.save()
    return contribution


# -- pools ------------------------------------------------------------------------------------
POOL_FIELDS = ("name", "start_year", "end_year", "budget")


def _check_pool_period(pool: CoFinancingPool) -> None:
    """The period still covers the years of the commitments drawing on the pool."""
    if pool.pk is None or not pool.start_year or not pool.end_year:
        return
    outside = sorted(
        set(
            pool.commitments.exclude(status=Status.WITHDRAWN)
            .exclude(year__range=(pool.start_year, pool.end_year))
            .values_list("year", flat=True)
        )
    )
    if outside:
        raise ValidationError(
            {
                "start_year": _(
                    "The pool has commitments for %(years)s: the period must include them."
                )
                % {"years": ", ".join(str(year) for year in outside)}
            }
        )


def _save_pool(pool: CoFinancingPool, *, user, update_fields=None) -> CoFinancingPool:
    pool.name = pool.name.strip()
    pool.full_clean()  # the model's clean(): not below what is granted from it
    _check_pool_period(pool)
    _stamp(pool, user)
    pool.save(update_fields=update_fields)
    return pool


@transaction.atomic
def pool_create(
    *, name: str, start_year: int, end_year: int, budget: Decimal, user=None
) -> CoFinancingPool:
    """Set up a shared co-financing pool."""
    pool = CoFinancingPool(name=name, start_year=start_year, end_year=end_year, budget=budget)
    return _save_pool(pool, user=user)


@transaction.atomic
def pool_update(*, pool: CoFinancingPool, user=None, **fields) -> CoFinancingPool:
    """Change a pool's name, period or budget.

    The pool row is locked first, with the lock a grant takes (``_lock_pool``), so the
    budget is compared with what is granted when no grant from the pool is under way:
    a grant that started first has committed, one that starts later waits and then
    sees the new budget.
    """
    unknown = set(fields) - set(POOL_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    pool = _lock_pool(pool.pk)
    for name, value in fields.items():
        setattr(pool, name, value)
    return _save_pool(pool, user=user, update_fields=[*fields, "updated_at"])


def pool_removal_refusal(pool: CoFinancingPool) -> str:
    """Why the pool cannot be removed ("" when it can): a commitment refers to it."""
    count = pool.commitments.count()
    if not count:
        return ""
    return ngettext(
        "%(count)s commitment draws on the pool (withdrawn ones count too: they are kept "
        "with their history). A pool with commitments cannot be removed.",
        "%(count)s commitments draw on the pool (withdrawn ones count too: they are kept "
        "with their history). A pool with commitments cannot be removed.",
        count,
    ) % {"count": count}


@transaction.atomic
def pool_remove(*, pool: CoFinancingPool, user=None) -> None:
    """Remove a pool no commitment refers to (the history keeps it, and who removed it)."""
    pool = _lock_pool(pool.pk)
    refusal = pool_removal_refusal(pool)
    if refusal:
        raise ValidationError(refusal)
    _stamp(pool, user)
    pool.delete()
