"""Writes for political follow-up groups (the group's own meetings and notes)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.models import FollowUpGroup, FollowUpGroupMeeting
from core.validation import validate_sane_date


@transaction.atomic
def follow_up_meeting_create(
    *, group: FollowUpGroup, date: date, notes: str = "", user=None
) -> FollowUpGroupMeeting:
    """Record a meeting of the group with its notes (one meeting per group and day)."""
    try:
        validate_sane_date(date)
    except ValidationError as error:
        raise ValidationError({"date": error.error_list}) from None
    if FollowUpGroupMeeting.objects.filter(group=group, date=date).exists():
        raise ValidationError({"date": _("The group already has a meeting on that day.")})
    meeting = FollowUpGroupMeeting(group=group, date=date, notes=notes.strip())
    meeting.full_clean()
    if user is not None and user.is_authenticated:
        meeting._history_user = user
    meeting.save()
    return meeting
