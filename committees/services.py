"""Writes for the political machinery: meetings and who was absent.

The agenda itself (items, versions, decisions) lives in ``cases.services``;
the rules here are the ones a meeting can check on its own: nothing changes
once the minutes are approved, and the time and place are fixed once held.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.templatetags.dk import date_text
from core.validation import validate_sane_date
from core.versioning import version_check

from .models import Committee, Meeting, MeetingAbsence, Membership, Person

LOCKED_MESSAGE = _(
    "The minutes of this meeting have been approved, so nothing in it can be changed. "
    "A mistake can only be fixed through a recorded correction with a reason."
)
HELD_MESSAGE = _("The meeting has been held, so its agenda can no longer be changed.")


def meeting_assert_unlocked(meeting: Meeting) -> None:
    """Refuse any change to a meeting whose minutes are approved."""
    if meeting.is_locked:
        raise ValidationError(LOCKED_MESSAGE, code="locked")


def meeting_assert_agenda_open(meeting: Meeting) -> None:
    """Refuse changes to the agenda once the meeting has been held (or locked)."""
    meeting_assert_unlocked(meeting)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(HELD_MESSAGE, code="held")


def meeting_assert_started(meeting: Meeting) -> None:
    """Refuse what belongs after the meeting (marking it held, recording a decision,
    approving the minutes) while its start time is still ahead (``Meeting.has_started``)."""
    if not meeting.has_started:
        when = date_text(meeting.starts_at, r"j. F Y \k\l. H.i")
        raise ValidationError(
            _(
                "The meeting has not started yet: it starts on %(when)s. Until then it cannot "
                "be marked as held, and no decision or approval of the minutes is recorded."
            )
            % {"when": when},
            code="not_started",
        )


def meeting_lock(meeting: Meeting) -> Meeting:
    """The meeting's row, locked for the rest of the transaction, with fresh state."""
    return Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)


def _starts_at(day: date, start: time) -> datetime:
    try:
        validate_sane_date(day)  # year 1 or 9999 cannot even be converted to UTC
    except ValidationError as error:
        raise ValidationError({"day": error.error_list}) from None
    return timezone.make_aware(datetime.combine(day, start))


@transaction.atomic
def meeting_create(*, committee: Committee, day: date, start: time, location: str = "") -> Meeting:
    meeting = Meeting(committee=committee, starts_at=_starts_at(day, start), location=location)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, expected_version: int, day: date, start: time, location: str = ""
) -> Meeting:
    """Change the time and place; after publishing the change shows as a pending new version.

    Refused with :class:`core.versioning.VersionConflict` if the meeting has been saved
    since the form showing ``expected_version`` was loaded.
    """
    meeting = meeting_lock(meeting)
    meeting_assert_agenda_open(meeting)
    version_check(meeting, expected_version=expected_version)
    meeting.starts_at = _starts_at(day, start)
    meeting.location = location
    meeting.full_clean()
    meeting.save(update_fields=["starts_at", "location", "version", "updated_at"])
    return meeting


@transaction.atomic
def meeting_absences_set(*, meeting: Meeting, people: list[Person]) -> Meeting:
    """Record exactly ``people`` as absent (afbud) from a held meeting."""
    meeting = meeting_lock(meeting)
    meeting_assert_unlocked(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(
            _("Absences are recorded for the minutes, once the meeting has been held."),
            code="not_held",
        )
    wanted = {person.pk for person in people}
    current = {absence.person_id: absence for absence in meeting.absences.all()}
    for person_id, absence in current.items():
        if person_id not in wanted:
            absence.delete()
    for person in people:
        if person.pk not in current:
            absence = MeetingAbsence(meeting=meeting, person=person)
            absence.full_clean()
            absence.save()
    return meeting


# -- the year's meeting plan (mødeplan) ---------------------------------------------------------


# How often a plan's meetings are: every n weeks ("w<n>", from the year's first such
# weekday) or monthly on the n-th such weekday of the month ("m<n>").
MEETING_PLAN_FREQUENCIES = ("w1", "w2", "w4", "m1", "m2", "m3", "m4")


def meeting_plan_days(*, year: int, weekday: int, every: str = "w1") -> list[date]:
    """The days of ``year`` on ``weekday`` (Monday = 0) at the frequency ``every``."""
    if every not in MEETING_PLAN_FREQUENCIES:
        raise ValidationError({"every": _("Choose how often the committee meets.")})
    day = date(year, 1, 1)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    days = []
    while day.year == year:
        days.append(day)
        day += timedelta(days=7)
    step = int(every[1:])
    if every.startswith("w"):
        return days[::step]
    return [d for d in days if (d.day - 1) // 7 + 1 == step]


def meeting_plan_dates(
    *,
    committee: Committee,
    year: int,
    weekday: int,
    every: str = "w1",
    skip: frozenset[date] = frozenset(),
) -> tuple[list[date], list[date], list[date]]:
    """The days of a plan of meetings (:func:`meeting_plan_days`): (the days to create,
    the days skipped on request, the days on which the committee already has a meeting
    and which are therefore left alone)."""
    days = meeting_plan_days(year=year, weekday=weekday, every=every)
    existing = {
        timezone.localtime(starts_at).date()
        for starts_at in Meeting.objects.filter(
            committee=committee,
            starts_at__gte=timezone.make_aware(datetime(year, 1, 1)) - timedelta(days=1),
            starts_at__lt=timezone.make_aware(datetime(year + 1, 1, 1)) + timedelta(days=1),
        ).values_list("starts_at", flat=True)
    }
    skipped = [d for d in days if d in skip]
    taken = [d for d in days if d in existing and d not in skip]
    planned = [d for d in days if d not in skip and d not in existing]
    return planned, skipped, taken


@transaction.atomic
def meeting_plan_create(
    *,
    committee: Committee,
    year: int,
    weekday: int,
    start: time,
    every: str = "w1",
    location: str = "",
    skip: frozenset[date] = frozenset(),
    user=None,
) -> tuple[list[Meeting], list[date]]:
    """Create the year's meetings of ``committee`` (drafts) in one transaction: each
    ``weekday`` of ``year`` at the frequency ``every`` but the days in ``skip`` and those
    on which the committee already has a meeting (returned as the second value, for the
    user to be told)."""
    # One plan at a time per committee: the committee's row is locked, so two secretaries
    # submitting at once cannot both create the same days.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    planned, _skipped, taken = meeting_plan_dates(
        committee=committee, year=year, weekday=weekday, every=every, skip=skip
    )
    created = []
    for day in planned:
        meeting = Meeting(committee=committee, starts_at=_starts_at(day, start), location=location)
        meeting.full_clean()
        if user is not None:
            meeting._history_user = user
        meeting.save()
        created.append(meeting)
    return created, taken


# -- committees, people and memberships ---------------------------------------------------------
# The acting user is the history user of every write, so the history tabs say who did it.
# Memberships decide who may read closed items: a change takes effect on the next page (the
# page cache treats memberships and people as access tables, core.pagecache).

COMMITTEE_DETAIL_FIELDS = (
    "name",
    "short_name",
    "slug",
    "kind",
    "administration",
    "mandate",
    "period_start",
    "period_end",
    "established_by",
    "established_on",
)


def _save(obj, *, user, update_fields=None) -> None:
    obj.full_clean()
    obj._history_user = user
    if update_fields is not None and obj.pk:
        obj.save(update_fields=[*update_fields, "updated_at"])
    else:
        obj.save()


def committee_lock(committee: Committee) -> Committee:
    return Committee.objects.select_for_update().get(pk=committee.pk)


@transaction.atomic
def committee_create(*, user, **fields) -> Committee:
    unknown = set(fields) - set(COMMITTEE_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not a committee field: {sorted(unknown)}")
    committee = Committee(**fields)
    _save(committee, user=user)
    return committee


@transaction.atomic
def committee_update(*, committee: Committee, user, **fields) -> Committee:
    """Change the given fields (an administrator: any of them; a secretary: the mandate)."""
    unknown = set(fields) - set(COMMITTEE_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not a committee field: {sorted(unknown)}")
    committee = committee_lock(committee)
    for name, value in fields.items():
        setattr(committee, name, value)
    _save(committee, user=user, update_fields=list(fields))
    return committee


@transaction.atomic
def committee_end(*, committee: Committee, user, period_end: date) -> Committee:
    """End the committee on ``period_end``; the seats still open then end with it."""
    committee = committee_lock(committee)
    committee.period_end = period_end
    _save(committee, user=user, update_fields=["period_end"])
    open_seats = (
        committee.memberships.filter(start_date__lte=period_end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=period_end))
        .select_for_update()
    )
    for membership in open_seats:
        membership.end_date = period_end
        _save(membership, user=user, update_fields=["end_date"])
    return committee


PERSON_FIELDS = ("name", "party", "administration", "email", "login")


def _person_fields(fields: dict) -> dict:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"not a person field: {sorted(unknown)}")
    # ``login`` is the person's own user account (``Person.user``); ``user`` is who acts.
    return {("user" if name == "login" else name): value for name, value in fields.items()}


@transaction.atomic
def person_create(*, user, **fields) -> Person:
    person = Person(**_person_fields(fields))
    _save(person, user=user)
    return person


@transaction.atomic
def person_update(*, person: Person, user, **fields) -> Person:
    """Change the given fields; ``login`` links the person's user account."""
    values = _person_fields(fields)
    person = Person.objects.select_for_update().get(pk=person.pk)
    for name, value in values.items():
        setattr(person, name, value)
    _save(person, user=user, update_fields=list(values))
    return person


@transaction.atomic
def membership_create(
    *,
    user,
    committee: Committee,
    person: Person,
    role: str,
    start_date: date,
    end_date: date | None = None,
) -> Membership:
    """Seat ``person`` in ``committee``. Refused when the person already has a role there in
    the period, or when it would give the committee a second chair (Membership.clean);
    the committee's row is locked so two secretaries cannot both seat a chair."""
    committee = committee_lock(committee)
    membership = Membership(
        committee=committee, person=person, role=role, start_date=start_date, end_date=end_date
    )
    _save(membership, user=user)
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, user, role: str, start_date: date, end_date: date | None
) -> Membership:
    committee_lock(membership.committee)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.role, membership.start_date, membership.end_date = role, start_date, end_date
    _save(membership, user=user, update_fields=["role", "start_date", "end_date"])
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, user, end_date: date) -> Membership:
    """End a seat (a past membership is kept, never deleted: the minutes name its members)."""
    committee_lock(membership.committee)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None and membership.end_date < end_date:
        raise ValidationError(
            {
                "end_date": _("The membership already ended on %(day)s.")
                % {"day": membership.end_date.strftime("%d.%m.%Y")}
            },
            code="ended",
        )
    membership.end_date = end_date
    _save(membership, user=user, update_fields=["end_date"])
    return membership
