"""Writes for the political machinery: meetings and who was absent.

The agenda itself (items, versions, decisions) lives in ``cases.services``;
the rules here are the ones a meeting can check on its own: nothing changes
once the minutes are approved, and the time and place are fixed once held.
"""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validation import validate_sane_date
from core.versioning import version_check

from .models import Committee, Meeting, MeetingAbsence, Person

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
