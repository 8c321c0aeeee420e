"""Writes for political follow-up groups: the group, its members, the plans it follows,
and its meetings with their notes. The acting user is each history row's user."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import (
    Committee,
    FollowUpGroup,
    FollowUpGroupMeeting,
    FollowUpGroupMembership,
    Person,
)
from core.validation import validate_sane_date

from ..models import Plan


def _as(obj, user):
    if user is not None and user.is_authenticated:
        obj._history_user = user
    return obj


def _check_group(group: FollowUpGroup, *, user) -> None:
    """The rules of a group across its fields: a formal group is its § 17, stk. 4
    committee; an informal group has none; the period runs forwards; and the user who
    writes it can still manage it afterwards."""
    errors: dict[str, list[str]] = {}
    if group.kind == FollowUpGroup.Kind.FORMAL:
        if group.committee is None:
            errors["committee"] = [
                _(
                    "A formal follow-up group is a special committee under § 17, stk. 4: "
                    "choose the special committee the city council set up."
                )
            ]
        elif group.committee.kind != Committee.Kind.SPECIAL_COMMITTEE:
            errors["committee"] = [
                _("%(committee)s is not a special committee under § 17, stk. 4.")
                % {"committee": group.committee.name}
            ]
        elif FollowUpGroup.objects.filter(committee=group.committee).exclude(pk=group.pk).exists():
            errors["committee"] = [
                _("%(committee)s is already the committee of another follow-up group.")
                % {"committee": group.committee.name}
            ]
    elif group.committee is not None:
        errors["committee"] = [
            _(
                "An informal group is not a special committee: leave the special committee "
                "empty, or choose the kind “formal”."
            )
        ]
    if group.period_start and group.period_end and group.period_end < group.period_start:
        errors["period_end"] = [_("The period cannot end before it starts.")]
    if FollowUpGroup.objects.filter(name__iexact=group.name.strip()).exclude(pk=group.pk).exists():
        errors["name"] = [_("There is already a follow-up group with that name.")]
    if errors:
        raise ValidationError(errors)
    if user is not None and not user.has_perm("helhedsplaner.edit_follow_up_group", group):
        raise ValidationError(
            {
                "committee": _(
                    "You would not be able to manage this group afterwards: a formal group "
                    "belongs to the secretariat of its special committee or of the committee "
                    "that formed it. Choose a committee you serve."
                )
            }
        )


def _save_group(group: FollowUpGroup, *, user) -> FollowUpGroup:
    group.name = group.name.strip()
    group.mandate = group.mandate.strip()
    _check_group(group, user=user)
    group.full_clean()
    _as(group, user).save()
    return group


@transaction.atomic
def follow_up_group_create(
    *,
    name: str,
    kind: str,
    committee: Committee | None = None,
    formed_by: Committee | None = None,
    mandate: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    user=None,
) -> FollowUpGroup:
    """Set up a follow-up group (formal: linked to its § 17, stk. 4 committee)."""
    group = FollowUpGroup(
        name=name,
        kind=kind,
        committee=committee,
        formed_by=formed_by,
        mandate=mandate,
        period_start=period_start,
        period_end=period_end,
    )
    return _save_group(group, user=user)


GROUP_FIELDS = ("name", "kind", "committee", "formed_by", "mandate", "period_start", "period_end")


@transaction.atomic
def follow_up_group_update(*, group: FollowUpGroup, user=None, **fields) -> FollowUpGroup:
    """Change the group (end it by giving its period an end date)."""
    group = FollowUpGroup.objects.select_for_update().get(pk=group.pk)
    for name, value in fields.items():
        if name not in GROUP_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(group, name, value)
    return _save_group(group, user=user)


def _demote_chair(group: FollowUpGroup, *, except_pk: int | None, user) -> None:
    for chair in FollowUpGroupMembership.objects.select_for_update().filter(
        group=group, is_chair=True
    ):
        if chair.pk != except_pk:
            chair.is_chair = False
            _as(chair, user).save(update_fields=["is_chair", "updated_at"])


@transaction.atomic
def follow_up_member_add(
    *, group: FollowUpGroup, person: Person, is_chair: bool = False, user=None
) -> FollowUpGroupMembership:
    """Add a member (as chair: the present chair becomes an ordinary member)."""
    FollowUpGroup.objects.select_for_update().get(pk=group.pk)
    if FollowUpGroupMembership.objects.filter(group=group, person=person).exists():
        raise ValidationError(
            {"person": _("%(person)s is already a member of the group.") % {"person": person}}
        )
    if is_chair:
        _demote_chair(group, except_pk=None, user=user)
    membership = FollowUpGroupMembership(group=group, person=person, is_chair=is_chair)
    try:
        with transaction.atomic():
            _as(membership, user).save()
    except IntegrityError:
        raise ValidationError(
            {"person": _("%(person)s is already a member of the group.") % {"person": person}}
        ) from None
    return membership


@transaction.atomic
def follow_up_member_make_chair(
    *, membership: FollowUpGroupMembership, user=None
) -> FollowUpGroupMembership:
    """Make this member the group's one chair."""
    FollowUpGroup.objects.select_for_update().get(pk=membership.group_id)
    _demote_chair(membership.group, except_pk=membership.pk, user=user)
    if not membership.is_chair:
        membership.is_chair = True
        _as(membership, user).save(update_fields=["is_chair", "updated_at"])
    return membership


@transaction.atomic
def follow_up_member_remove(*, membership: FollowUpGroupMembership, user=None) -> None:
    """Remove a member (the history keeps who was a member, and who removed them)."""
    _as(membership, user).delete()


@transaction.atomic
def follow_up_group_plans_set(*, group: FollowUpGroup, plans, user=None) -> None:
    """Choose the plans the group follows (shown on the group page and each plan's
    status page).

    Written from the plans' side (``Plan.follow_up_groups`` is tracked in the plan's
    history, the reverse side is not): each plan gained or lost gets a history row with
    its groups, the acting user and one shared moment, and the group's history reads
    the change from those rows (``selectors.group_plan_changes``). Each plan changed is
    locked and read afresh, so its history row holds its current values.
    """
    FollowUpGroup.objects.select_for_update().get(pk=group.pk)
    wanted = {plan.pk for plan in plans}
    current = set(group.plans.values_list("pk", flat=True))
    changed = wanted ^ current
    if not changed:
        return
    moment = timezone.now()
    for plan in Plan.objects.select_for_update().filter(pk__in=changed).order_by("pk"):
        plan._history_date = moment
        _as(plan, user)
        if plan.pk in wanted:
            plan.follow_up_groups.add(group)
        else:
            plan.follow_up_groups.remove(group)


def _check_meeting_date(*, group: FollowUpGroup, day: date, exclude_pk: int | None = None):
    try:
        validate_sane_date(day)
    except ValidationError as error:
        raise ValidationError({"date": error.error_list}) from None
    same_day = FollowUpGroupMeeting.objects.filter(group=group, date=day)
    if exclude_pk is not None:
        same_day = same_day.exclude(pk=exclude_pk)
    if same_day.exists():
        raise ValidationError({"date": _("The group already has a meeting on that day.")})


@transaction.atomic
def follow_up_meeting_create(
    *, group: FollowUpGroup, date: date, notes: str = "", user=None
) -> FollowUpGroupMeeting:
    """Record a meeting of the group with its notes (one meeting per group and day)."""
    _check_meeting_date(group=group, day=date)
    meeting = FollowUpGroupMeeting(group=group, date=date, notes=notes.strip())
    meeting.full_clean()
    _as(meeting, user).save()
    return meeting


@transaction.atomic
def follow_up_meeting_update(
    *, meeting: FollowUpGroupMeeting, date: date, notes: str = "", user=None
) -> FollowUpGroupMeeting:
    """Correct a recorded meeting's date and notes."""
    meeting = FollowUpGroupMeeting.objects.select_for_update().get(pk=meeting.pk)
    _check_meeting_date(group=meeting.group, day=date, exclude_pk=meeting.pk)
    meeting.date = date
    meeting.notes = notes.strip()
    meeting.full_clean()
    _as(meeting, user).save()
    return meeting
