"""iCalendar feeds of meetings: per committee and "my committees".

A feed is read by Outlook or a phone without a browser session, so it is
authenticated by the user's secret token (``committees.CalendarFeed``) and
contains only what that user may see. A scheduled meeting whose agenda is not yet
published (a draft) is in the feed with its date, time and place, marked "Dagsorden ikke
offentliggjort" and TENTATIVE, but none of its items (the meeting page shows the same to
every signed-in user); a published agenda lists its items, a closed item only as its
number and "Lukket punkt" for non-members. Each event links to its meeting page and
carries SEQUENCE (the meeting's version, raised by every write to it) and LAST-MODIFIED,
so Outlook and phones update events they already have.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import CalendarFeed, Committee, Meeting
from committees.models.calendar_feed import new_token
from committees.selectors import committee_ids_for_user

from .models import AgendaItem
from .selectors import user_can_see_closed

PAST_DAYS = 400
FUTURE_DAYS = 2 * 365
MEETING_LENGTH = timedelta(hours=2)


def calendar_feed_get(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """Give the user a new secret; the old feed URLs stop working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user)
    feed.token = new_token()
    feed.save(update_fields=["token", "renewed_at"])
    return feed


def calendar_feed_user(*, token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def meetings_for_feed(*, user, committee: Committee | None = None) -> QuerySet:
    now = timezone.now()
    meetings = Meeting.objects.filter(
        starts_at__gte=now - timedelta(days=PAST_DAYS),
        starts_at__lte=now + timedelta(days=FUTURE_DAYS),
    )
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    else:
        meetings = meetings.filter(committee_id__in=committee_ids_for_user(user))
    # A draft's items are never listed (its description says the agenda is not published),
    # so they are not even read.
    items = (
        AgendaItem.objects.filter(number__isnull=False)
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .order_by("number")
    )
    return (
        meetings.select_related("committee")
        .prefetch_related(Prefetch("agenda_items", queryset=items))
        .order_by("starts_at")
    )


def meetings_ics(*, user, meetings, name: str, base_url: str) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Helhedsplaner//Mødekalender//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@helhedsplaner")
        event.add("dtstamp", meeting.updated_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + MEETING_LENGTH)
        summary = _("Meeting: %(committee)s") % {"committee": meeting.committee.name}
        if meeting.status == Meeting.Status.DRAFT:
            summary = f"{summary} ({_('Agenda not published')})"
        event.add("summary", summary)
        if meeting.location:
            event.add("location", meeting.location)
        event.add("status", "TENTATIVE" if meeting.status == Meeting.Status.DRAFT else "CONFIRMED")
        event.add("description", _description(user, meeting))
        event.add("url", base_url + reverse("meetings:meeting_detail", args=[meeting.pk]))
        event.add("sequence", meeting.version)
        event.add("last-modified", meeting.updated_at)
        calendar.add_component(event)
    return calendar.to_ical()


def _description(user, meeting: Meeting) -> str:
    if meeting.status == Meeting.Status.DRAFT:
        return f"{meeting.committee.name} – {_('Agenda not published')}"
    lines = [f"{meeting.committee.name} – {meeting.get_status_display()}"]
    lines.append(_("Agenda:"))
    can_see_closed = user_can_see_closed(user, meeting.committee_id)
    for item in meeting.agenda_items.all():
        title = item.title if (not item.is_closed or can_see_closed) else _("Closed item")
        lines.append(f"{item.number}. {title}")
    return "\n".join(lines)
