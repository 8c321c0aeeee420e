"""Reads for the political machinery."""

from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core import roles
from core.history import history_entries

from .models import Committee, Meeting, Membership, Person


def _current_memberships(user):
    today = timezone.localdate()
    return Membership.objects.filter(person__user=user, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def _current_seats(user) -> tuple[tuple[int, str], ...]:
    """(committee id, role) of the user's memberships today, cached on the user: read with
    the user's roles and permissions (``core.roles.read_with_roles``, below), or in a query
    of its own when asked first."""
    if not user.is_authenticated:
        return ()
    cached = getattr(user, "_current_seats", None)
    if cached is None:
        cached = tuple(_current_memberships(user).values_list("committee_id", "role"))
        user._current_seats = cached
    return cached


def _seat_rows(user, kind: str):
    if user.is_superuser:
        return None  # an administrator: no visibility rule asks their seats
    return (
        _current_memberships(user)
        .order_by()
        .values_list(
            Value(kind, output_field=CharField()), Cast("committee_id", CharField()), "role"
        )
    )


def _keep_seats(user, rows) -> None:
    user._current_seats = tuple((int(committee_id), role) for committee_id, role in rows)


# Every page asks the roles first and the committees soon after: one round trip for both.
roles.read_with_roles("seat", _seat_rows, _keep_seats)


def committee_ids_for_user(user) -> frozenset[int]:
    """Committees the user currently sits on or serves as secretary (cached on the user)."""
    return frozenset(committee_id for committee_id, _role in _current_seats(user))


def secretary_committee_ids_for_user(user) -> frozenset[int]:
    """Committees the user serves as secretary today (membership with the secretary role,
    within its period): the committees whose meetings, items and decisions they act on."""
    return frozenset(
        committee_id
        for committee_id, role in _current_seats(user)
        if role == Membership.Role.SECRETARY
    )


def administration_id_for_user(user) -> int | None:
    """The administration a member of staff works in, if any (cached on the user)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_administration_id"):
        person = getattr(user, "person", None)
        user._administration_id = person.administration_id if person else None
    return user._administration_id


def reader_scope(user) -> tuple:
    """The part of a page-cache reader key this app knows: the user's committees and
    administration (``core.pagecache.reader_part``)."""
    return (
        sorted(committee_ids_for_user(user)),
        sorted(secretary_committee_ids_for_user(user)),
        administration_id_for_user(user),
    )


def _current(queryset, today=None):
    today = today or timezone.localdate()
    return queryset.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def committees_list():
    """All committees with the number of current members (politicians), in one query."""
    today = timezone.localdate()
    current_member = (
        Q(memberships__start_date__lte=today)
        & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today))
        & Q(memberships__role__in=Membership.POLITICAL_ROLES)
    )
    return Committee.objects.select_related("administration").annotate(
        member_count=Count("memberships", filter=current_member, distinct=True)
    )


MEETINGS_SHOWN = 10


def committee_get_for_page(*, slug: str) -> dict:
    """A committee with its current members, recent and coming meetings and follow-up groups.

    A fixed number of queries: the meeting lists are capped at ``MEETINGS_SHOWN``.
    """
    committee = get_object_or_404(
        Committee.objects.select_related("administration", "follow_up_group"), slug=slug
    )
    role_order = Case(
        *[When(role=role, then=index) for index, role in enumerate(Membership.Role.values)],
        default=99,
    )
    today = timezone.localdate()
    # Current and coming seats (a seat added today from next month shows at once).
    members = list(
        committee.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person")
        .annotate(role_order=role_order)
        .order_by("role_order", "person__name")
    )
    now = timezone.now()
    upcoming = list(
        committee.meetings.filter(starts_at__gte=now).order_by("starts_at")[:MEETINGS_SHOWN]
    )
    past = list(
        committee.meetings.filter(starts_at__lt=now).order_by("-starts_at")[:MEETINGS_SHOWN]
    )
    former = list(
        committee.memberships.filter(end_date__lt=today)
        .select_related("person")
        .order_by("-end_date", "person__name")
    )
    groups = list(committee.formed_follow_up_groups.order_by("name"))
    own_group = getattr(committee, "follow_up_group", None)
    return {
        "committee": committee,
        "members": [m for m in members if m.role != Membership.Role.SECRETARY],
        "secretaries": [m for m in members if m.role == Membership.Role.SECRETARY],
        "former_members": former,
        "upcoming": upcoming,
        "past": past,
        "formed_groups": groups,
        "own_group": own_group,
    }


def committee_members_current(committee) -> list[Person]:
    """The politicians who currently sit on the committee (chair first)."""
    memberships = _current(
        Membership.objects.filter(committee=committee, role__in=Membership.POLITICAL_ROLES)
    ).select_related("person")
    return sorted(
        {m.person for m in memberships},
        key=lambda person: person.name,
    )


def meetings_open_for_agenda():
    """Meetings that can still take items: draft or published, soonest first."""
    return (
        Meeting.objects.filter(status__in=[Meeting.Status.DRAFT, Meeting.Status.PUBLISHED])
        .select_related("committee")
        .order_by("starts_at", "committee__name")
    )


def meetings_list():
    return Meeting.objects.select_related("committee").order_by("-starts_at")


def committee_find(*, slug: str) -> Committee | None:
    return Committee.objects.filter(slug=slug).first()


def meeting_find(*, pk: int) -> Meeting | None:
    return Meeting.objects.select_related("committee").filter(pk=pk).first()


def meeting_seats_by_party(meeting) -> dict[str, tuple[int, int]]:
    """Per party (as written on the people, stripped): (the seats its politicians held in
    the committee on the meeting's day, how many of them are recorded absent).

    A seat is a membership as chair, vice chair or member whose period covers the day.
    Substitutes (stedfortrædere) hold no seat of their own: one sits only in place of an
    absent member. An absence (``MeetingAbsence``) records who was away, not who came
    instead, so nothing says a substitute attended: a party casts at most its seats minus
    its recorded absences. (Recording the substitute on the absence would let the seat
    count again; until then a member whose substitute voted is not recorded absent.)
    """
    day = timezone.localtime(meeting.starts_at).date()
    seated = _current(
        Membership.objects.filter(committee_id=meeting.committee_id).filter(
            role__in=Membership.POLITICAL_ROLES
        ),
        day,
    ).values_list("person_id", "person__party")
    party_of = {person_id: (party or "").strip() for person_id, party in seated}
    absent = set(meeting.absences.values_list("person_id", flat=True))
    seats: dict[str, list[int]] = {}
    for person_id, party in party_of.items():
        counts = seats.setdefault(party, [0, 0])
        counts[0] += 1
        counts[1] += person_id in absent
    return {party: (total, away) for party, (total, away) in seats.items()}


def meeting_absent_person_ids(meeting) -> list[int]:
    return list(meeting.absences.values_list("person_id", flat=True))


def committee_get(*, slug: str) -> Committee:
    return get_object_or_404(Committee.objects.select_related("administration"), slug=slug)


def committee_get_with_history(*, slug: str) -> dict:
    """The committee and its history: its own changes and those of its memberships."""
    committee = committee_get(slug=slug)
    return {
        "committee": committee,
        "history": history_entries(
            Committee.history.filter(id=committee.pk),
            Membership.history.filter(committee_id=committee.pk),
        ),
    }


def membership_get(*, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("person", "committee"), pk=pk)


def people_list():
    """Everybody registered, with their administration, login and current seats."""
    today = timezone.localdate()
    return (
        Person.objects.select_related("administration", "user")
        .annotate(
            seat_count=Count(
                "memberships",
                filter=Q(memberships__start_date__lte=today)
                & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)),
            )
        )
        .order_by("name", "pk")
    )


def person_get(*, pk: int) -> Person:
    return get_object_or_404(Person.objects.select_related("administration", "user"), pk=pk)


def person_get_with_history(*, pk: int) -> dict:
    """A person, their memberships (current and former) and the history of both."""
    person = person_get(pk=pk)
    return {
        "person": person,
        "memberships": list(
            person.memberships.select_related("committee").order_by(
                "-start_date", "committee__name"
            )
        ),
        "history": history_entries(
            Person.history.filter(id=person.pk),
            Membership.history.filter(person_id=person.pk),
        ),
    }
