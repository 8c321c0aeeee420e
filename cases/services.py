"""Writes for cases, agenda items, attachments and decisions.

Every write goes through a function here, inside a transaction, so the rules
live in one place and the history rows carry the acting user.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committees.models import Administration, Meeting, Person
from committees.selectors import meeting_seats_by_party
from committees.services import (
    meeting_assert_agenda_open,
    meeting_assert_started,
    meeting_assert_unlocked,
    meeting_lock,
)
from core import pagecache
from core.templatetags.dk import date_text
from core.versioning import VersionConflict, version_bump, version_check

from .models import (
    AgendaItem,
    AgendaVersion,
    Attachment,
    Case,
    CaseNumberSequence,
    Correction,
    Decision,
    DecisionVote,
    MemberInquiry,
)
from .numbering import case_number_format
from .recommendations import (
    BLOCKS_PREFETCH,
    BlockData,
    blocks_of,
    next_committee,
    recommendations_set,
)
from .uploads import attachment_upload_check
from .versions import agenda_changes, agenda_snapshot, only_additions


def case_number_next(*, year: int) -> str:
    """Draw the next free case number for ``year``; call inside a transaction.

    The year's counter row is locked (``select_for_update``) so that two cases
    created at the same moment never get the same number; numbers entered by
    hand for historical cases are skipped.
    """
    CaseNumberSequence.objects.bulk_create(
        [CaseNumberSequence(year=year, last_value=0)], ignore_conflicts=True
    )
    sequence = CaseNumberSequence.objects.select_for_update().get(year=year)
    while True:
        sequence.last_value += 1
        number = case_number_format(year=year, sequence=sequence.last_value)
        if not Case.objects.filter(number=number).exists():
            break
    sequence.save(update_fields=["last_value"])
    return number


@transaction.atomic
def case_create(
    *,
    title: str,
    administration: Administration,
    number: str | None = None,
    description: str = "",
    opened_on=None,
) -> Case:
    """Create a case; without ``number`` the next free one in the installation's format
    (``cases.numbering``, default ``YYYY-NNNNNNN``) is assigned."""
    if not number:
        number = case_number_next(year=timezone.localdate().year)
    case = Case(
        number=number,
        title=title,
        administration=administration,
        description=description,
        opened_on=opened_on or timezone.localdate(),
    )
    case.full_clean()
    case.save()
    return case


# -- agenda items ---------------------------------------------------------------------------

ITEM_FIELDS = (
    "item_type",
    "title",
    "summary",
    "recommending_administration",
    "route",
    "decided_by",
    "problem",
    "solution",
    "economy",
    "further_process",
    "is_closed",
)
# What a correction may change once the agenda is frozen (the item's text, not its place).
CORRECTABLE_ITEM_FIELDS = (
    "title",
    "summary",
    "route",
    "problem",
    "solution",
    "economy",
    "further_process",
)
CORRECTABLE_DECISION_FIELDS = ("text", "outcome")


def _item_meeting_for_write(item: AgendaItem, *, agenda_open: bool = True) -> Meeting | None:
    """Lock the item's meeting (if any) and refuse when its state forbids the change."""
    if item.meeting_id is None:
        return None
    meeting = meeting_lock(item.meeting)
    item.meeting = meeting
    if agenda_open:
        meeting_assert_agenda_open(meeting)
    else:
        meeting_assert_unlocked(meeting)
    return meeting


def agenda_item_assert_editable(item: AgendaItem) -> None:
    """Refuse (without writing) when the item's meeting no longer allows agenda changes."""
    if item.meeting_id is not None:
        meeting_assert_agenda_open(item.meeting)


def _recommendations_write(
    item: AgendaItem, *, points: list[str] | None, blocks: list[BlockData] | None
) -> None:
    """Write the item's recommendation blocks and points.

    ``blocks`` (from the item form) replaces them all; the first block always starts with
    the item's recommending administration. Only ``points``: the first block's points
    change and everything else stays as it is.
    """
    lead = item.recommending_administration
    if blocks is None:
        blocks = blocks_of(item) or [BlockData(administrations=[lead])]
        blocks[0].points = list(points or [])
    if not blocks:
        blocks = [BlockData(administrations=[lead], points=list(points or []))]
    first = blocks[0]
    first.administrations = [lead, *(a for a in first.administrations if a.pk != lead.pk)]
    if points is not None and not first.points:
        first.points = list(points)
    recommendations_set(item, blocks)


def _case_for_item(
    *,
    case_number: str,
    title: str,
    administration: Administration,
    only_administration,
    is_closed: bool = False,
) -> Case:
    case_number = (case_number or "").strip()
    if case_number:
        case = Case.objects.filter(number=case_number).first()
        if case is not None:
            if only_administration is not None and case.administration_id != only_administration.pk:
                raise ValidationError(
                    {
                        "case_number": _(
                            "Case %(number)s belongs to %(administration)s. You can only draft "
                            "items for your own administration's cases."
                        )
                        % {"number": case.number, "administration": case.administration.name}
                    }
                )
            return case
    if not title:
        raise ValidationError(
            {
                "case_title": _(
                    "Give the new case a title anyone may read: the list of cases is open to "
                    "all users, and the item is closed."
                )
            }
            if is_closed
            else {"title": _("Give the item a title.")}
        )
    try:
        return case_create(title=title, administration=administration, number=case_number or None)
    except ValidationError as error:
        if hasattr(error, "error_dict") and "number" in error.error_dict:
            raise ValidationError({"case_number": error.error_dict["number"]}) from error
        raise


@transaction.atomic
def agenda_item_create(
    *,
    case_number: str = "",
    case_title: str = "",
    points: list[str],
    blocks: list[BlockData] | None = None,
    status: str = AgendaItem.Status.DRAFT,
    meeting: Meeting | None = None,
    only_administration: Administration | None = None,
    **fields,
) -> AgendaItem:
    """Create an item for an existing case (by number) or a new one.

    An empty ``case_number`` creates a case with the next free number; a number
    that does not exist yet registers a historical case under that number. A new
    case is titled ``case_title`` or, for an open item, the item's title.
    ``only_administration`` (for caseworkers) refuses other administrations' cases.
    With ``meeting`` the item goes straight onto that meeting's agenda.
    """
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    if only_administration is not None:
        fields["recommending_administration"] = only_administration
    is_closed = bool(fields.get("is_closed"))
    case = _case_for_item(
        case_number=case_number,
        # A closed item's title is confidential; the case list is not.
        title=case_title.strip() or ("" if is_closed else fields.get("title", "")),
        administration=fields["recommending_administration"],
        only_administration=only_administration,
        is_closed=is_closed,
    )
    item = AgendaItem(case=case, status=status, **fields)
    item.full_clean()
    item.save()
    _recommendations_write(item, points=points, blocks=blocks)
    if meeting is not None:
        item.status = AgendaItem.Status.READY
        agenda_item_schedule(item=item, meeting=meeting)
    return item


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    expected_version: int,
    points: list[str],
    blocks: list[BlockData] | None = None,
    **fields,
) -> AgendaItem:
    """Change an item's sections and points; refused once its meeting has been held.

    Refused with :class:`core.versioning.VersionConflict` (nothing saved) if the item
    has been written since the form showing ``expected_version`` was loaded.
    """
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    # Compare with the stored row, not with ``item``: a bound ModelForm has already
    # written the new values onto the instance it was given.
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    _item_meeting_for_write(item)
    version_check(item, expected_version=expected_version)
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, fields[name])
    item.full_clean()
    # Saved even when only the points changed: the version moves on with every save.
    item.save(update_fields=[*changed, "version", "updated_at"])
    _recommendations_write(item, points=points, blocks=blocks)
    return item


@transaction.atomic
def agenda_item_mark_ready(*, item: AgendaItem) -> AgendaItem:
    """The caseworker hands a draft (or a returned item) to the committee secretary."""
    if item.status not in (AgendaItem.Status.DRAFT, AgendaItem.Status.RETURNED):
        raise ValidationError(_("Only a draft or a returned item can be marked ready."))
    if not item.recommendation_points.exists():
        raise ValidationError(
            _("The item needs at least one recommendation point before it can be marked ready.")
        )
    item.status = AgendaItem.Status.READY
    item.full_clean()
    version_bump(item)
    item.save(update_fields=["status", "updated_at"])
    return item


@transaction.atomic
def agenda_item_return(*, item: AgendaItem, comment: str) -> AgendaItem:
    """The secretary sends a ready item back to the caseworker with a comment."""
    if item.status != AgendaItem.Status.READY or item.meeting_id is not None:
        raise ValidationError(
            _("Only an item that is ready and not on an agenda can be sent back.")
        )
    if not comment.strip():
        raise ValidationError({"comment": _("Write what the caseworker should change.")})
    item.status = AgendaItem.Status.RETURNED
    item.return_comment = comment.strip()
    item.full_clean()
    version_bump(item)
    item.save(update_fields=["status", "return_comment", "updated_at"])
    return item


@transaction.atomic
def agenda_item_schedule(*, item: AgendaItem, meeting: Meeting) -> AgendaItem:
    """Place a ready item on a draft or published meeting; it gets the next number."""
    meeting = meeting_lock(meeting)
    meeting_assert_agenda_open(meeting)
    if item.meeting_id is not None or item.status != AgendaItem.Status.READY:
        raise ValidationError(_("Only an item that is ready can be placed on a meeting."))
    last = meeting.agenda_items.aggregate(last=Max("number"))["last"] or 0
    item.meeting = meeting
    item.number = last + 1
    item.status = AgendaItem.Status.SCHEDULED
    item.return_comment = ""
    item.full_clean()
    version_bump(item)
    item.save(update_fields=["meeting", "number", "status", "return_comment", "updated_at"])
    return item


# The item sent on starts from all the old item's fields a form may set.
SENT_ON_FIELDS = ITEM_FIELDS


def send_on_refusal(item: AgendaItem) -> str | None:
    """Why the item cannot be sent on now (None: it can), in the interface language."""
    if item.meeting_id is None:
        return _("Only an item on a meeting can be sent on.")
    decision = Decision.objects.filter(item=item).first()
    if decision is None:
        return _("Record %(committee)s's decision before sending the case on.") % {
            "committee": item.meeting.committee.name
        }
    if decision.outcome in (Decision.Outcome.REJECTED, Decision.Outcome.POSTPONED):
        return _("The item was %(outcome)s: a rejected or postponed case is not sent on.") % {
            "outcome": decision.get_outcome_display().lower()
        }
    following = next_committee(item)
    if following is None:
        return _(
            "The case's route ends at %(committee)s. Tick the committees it goes on to under "
            "“Recommends to (over for)” on the item first."
        ) % {"committee": item.meeting.committee.name}
    sent = item.sent_on_items.filter(meeting__committee=following).select_related("meeting")
    already = sent.first()
    if already is not None:
        return _(
            "The case has already been sent on to %(committee)s: item %(number)s of %(meeting)s."
        ) % {
            "committee": following.name,
            "number": already.number,
            "meeting": date_text(already.meeting.starts_at, "j. F Y"),
        }
    return None


@transaction.atomic
def agenda_item_send_on(*, item: AgendaItem, meeting: Meeting) -> AgendaItem:
    """Send the case on (send videre) to ``meeting`` of the next committee on its route.

    The new item starts from the old one's text, recommendations with their points, and
    attachments (the same stored documents), keeps the case and its plans, and prints the
    earlier committees' decisions. It goes straight onto the meeting's agenda.
    """
    item = (
        # Only the item's row is locked: its meeting is a nullable join, which PostgreSQL
        # cannot lock (the meeting is locked by meeting_lock below).
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting__committee", "recommending_administration", "case")
        .prefetch_related(BLOCKS_PREFETCH, "recommendation_points", "attachments", "plans")
        .get(pk=item.pk)
    )
    refusal = send_on_refusal(item)
    if refusal:
        raise ValidationError(refusal)
    following = next_committee(item)
    meeting = meeting_lock(meeting)
    if meeting.committee_id != following.pk:
        raise ValidationError(
            {
                "meeting": _("The case goes on to %(committee)s: choose one of its meetings.")
                % {"committee": following.name}
            }
        )
    if meeting.starts_at <= item.meeting.starts_at:
        raise ValidationError(
            {
                "meeting": _("Choose a meeting after %(date)s, when %(committee)s decided.")
                % {
                    "date": date_text(timezone.localtime(item.meeting.starts_at), "j. F Y"),
                    "committee": item.meeting.committee.name,
                }
            }
        )
    meeting_assert_agenda_open(meeting)
    new = AgendaItem(
        case=item.case,
        status=AgendaItem.Status.READY,
        sent_from=item,
        **{name: getattr(item, name) for name in SENT_ON_FIELDS},
    )
    new.full_clean()
    new.save()
    blocks = blocks_of(item)
    for block in blocks:
        # "at udvalget over for … anbefaler" named the committee by the meeting it was on;
        # on the next committee's agenda it must still name the committee that recommended.
        if block.addressees and not block.committees:
            block.committees = [item.meeting.committee]
    recommendations_set(new, blocks)
    for attachment in sorted(item.attachments.all(), key=lambda a: a.position):
        copy = Attachment(
            item=new,
            position=attachment.position,
            title=attachment.title,
            case_number=attachment.case_number,
            is_closed=attachment.is_closed,
            file=attachment.file.name,
            original_filename=attachment.original_filename,
            content_type=attachment.content_type,
            size=attachment.size,
        )
        copy.full_clean()
        copy.save()
    for plan in item.plans.all():
        plan.agenda_items.add(new)
    return agenda_item_schedule(item=new, meeting=meeting)


def _renumber(meeting: Meeting, ordered: list[AgendaItem]) -> None:
    """Give ``ordered`` the numbers 1..n, via temporary numbers above the current ones so the
    unique (meeting, number) constraint holds at every step."""
    targets = {item.pk: position for position, item in enumerate(ordered, start=1)}
    moving = [item for item in ordered if item.number != targets[item.pk]]
    if not moving:
        return
    offset = max([item.number for item in ordered] + [len(ordered)]) + 1
    for index, item in enumerate(moving):
        # A plain UPDATE: the temporary number is no state anyone should see in the history.
        AgendaItem.objects.filter(pk=item.pk).update(number=offset + index)
    pagecache.changed(*moving, fields=["number"])
    for item in moving:
        item.number = targets[item.pk]
        version_bump(item)
        item.save(update_fields=["number", "updated_at"])


def _meeting_items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.order_by("number"))


@transaction.atomic
def agenda_item_unschedule(*, item: AgendaItem) -> AgendaItem:
    """Take an item off its meeting's agenda (back to ready); the rest close up."""
    meeting = _item_meeting_for_write(item)
    if meeting is None:
        raise ValidationError(_("The item is not on an agenda."))
    item.meeting = None
    item.number = None
    item.status = AgendaItem.Status.READY
    item.full_clean()
    version_bump(item)
    item.save(update_fields=["meeting", "number", "status", "updated_at"])
    _renumber(meeting, _meeting_items(meeting))
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down; the numbers follow the order."""
    meeting = _item_meeting_for_write(item)
    if meeting is None:
        raise ValidationError(_("The item is not on an agenda."))
    items = _meeting_items(meeting)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return item
    items[index], items[target] = items[target], items[index]
    _renumber(meeting, items)
    item.refresh_from_db(fields=["number", "version"])
    return item


@transaction.atomic
def meeting_items_group_closed_last(*, meeting: Meeting) -> Meeting:
    """Put the closed items after the open ones, keeping the order within each group."""
    meeting = meeting_lock(meeting)
    meeting_assert_agenda_open(meeting)
    items = _meeting_items(meeting)
    _renumber(meeting, [i for i in items if not i.is_closed] + [i for i in items if i.is_closed])
    return meeting


# -- attachments ----------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, item: AgendaItem, upload, title: str, case_number: str = "", is_closed: bool = False
) -> Attachment:
    """Attach a checked file (type by content, size limit) as the item's next numbered bilag."""
    _item_meeting_for_write(item)
    checked = attachment_upload_check(upload)
    # Lock the item's row so two uploads at once cannot take the same bilag number.
    AgendaItem.objects.select_for_update().order_by().get(pk=item.pk)
    last = item.attachments.aggregate(last=Max("position"))["last"] or 0
    attachment = Attachment(
        item=item,
        position=last + 1,
        title=title,
        case_number=case_number.strip(),
        is_closed=is_closed,
        original_filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
    )
    attachment.full_clean(exclude=["file"])
    attachment.file.save(checked.filename, upload, save=False)
    attachment.save()
    return attachment


# -- publishing, holding and approving ------------------------------------------------------


def _current_snapshot(meeting: Meeting) -> dict:
    items = meeting.agenda_items.select_related("case").prefetch_related(
        "recommendation_points", BLOCKS_PREFETCH, "attachments"
    )
    return agenda_snapshot(meeting, items)


def meeting_pending_changes(meeting: Meeting) -> list[dict]:
    """What differs from the last published version (empty if none or never published)."""
    last = meeting.agenda_versions.order_by("-number").first()
    if last is None:
        return []
    return agenda_changes(last.snapshot, _current_snapshot(meeting))


@transaction.atomic
def meeting_publish(*, meeting: Meeting, user=None, published_at=None) -> AgendaVersion:
    """Publish the agenda: version 1, or after changes a new version / a supplementary agenda.

    Only additions make a supplementary agenda (tillægsdagsorden); any other change makes a
    new version. Publishing with nothing changed is refused: there is nothing new to send.
    """
    meeting = meeting_lock(meeting)
    meeting_assert_agenda_open(meeting)
    snapshot = _current_snapshot(meeting)
    if not snapshot["items"]:
        raise ValidationError(_("The agenda has no items yet."))
    last = meeting.agenda_versions.order_by("-number").first()
    if last is None:
        number, kind, changes = 1, AgendaVersion.Kind.ORIGINAL, []
    else:
        changes = agenda_changes(last.snapshot, snapshot)
        if not changes:
            raise ValidationError(
                _("Nothing has changed since version %(number)s was published.")
                % {"number": last.number}
            )
        number = last.number + 1
        kind = (
            AgendaVersion.Kind.SUPPLEMENTARY
            if only_additions(changes)
            else AgendaVersion.Kind.NEW_VERSION
        )
    version = AgendaVersion(
        meeting=meeting,
        number=number,
        kind=kind,
        published_at=published_at or timezone.now(),
        published_by=user,
        snapshot=snapshot,
        changes=changes,
    )
    version.full_clean()
    version.save()
    # A publication is a write to the meeting even when its status stays: an edit form
    # opened before it conflicts, and the history row says who published when.
    if meeting.status == Meeting.Status.DRAFT:
        meeting.status = Meeting.Status.PUBLISHED
    version_bump(meeting)
    meeting.save(update_fields=["status", "updated_at"])
    from . import rendering  # cases.rendering imports the models of this module's app

    rendering.ask_at_publish(meeting)
    return version


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting) -> Meeting:
    """The meeting took place; from now on decisions are recorded and the agenda is frozen."""
    meeting = meeting_lock(meeting)
    meeting_assert_unlocked(meeting)
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("Only a meeting with a published agenda can be marked as held."))
    meeting_assert_started(meeting)
    if meeting_pending_changes(meeting):
        raise ValidationError(
            _(
                "The agenda has changed since it was last published. Publish the new version "
                "before marking the meeting as held."
            )
        )
    meeting.status = Meeting.Status.HELD
    meeting.full_clean()
    version_bump(meeting)
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def meeting_minutes_approve(*, meeting: Meeting) -> Meeting:
    """Approve the minutes: every item has a decision; afterwards the meeting is locked."""
    meeting = meeting_lock(meeting)
    meeting_assert_unlocked(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("The minutes can be approved once the meeting has been held."))
    meeting_assert_started(meeting)
    missing = list(
        meeting.agenda_items.filter(decision__isnull=True)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if missing:
        raise ValidationError(
            _("Record a decision on every item first. Missing: item %(numbers)s.")
            % {"numbers": ", ".join(str(number) for number in missing)}
        )
    meeting.status = Meeting.Status.MINUTES_APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.full_clean()
    version_bump(meeting)
    meeting.save(update_fields=["status", "minutes_approved_at", "updated_at"])
    return meeting


# -- decisions and corrections --------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    expected_version: int,
    outcome: str,
    text: str,
    votes: list[dict] | None = None,
) -> Decision:
    """Record (or, until the minutes are approved, change) the decision on an item.

    ``votes`` is a list of ``{"party", "votes_for", "votes_against", "votes_abstained"}``;
    it replaces the votes recorded before. ``expected_version`` is the version of the
    decision the form showed, 0 when there was none yet; if the decision has been
    saved since, :class:`core.versioning.VersionConflict` is raised and nothing saved.
    """
    if item.meeting_id is None:
        raise ValidationError(_("The item is not on an agenda."))
    meeting = _item_meeting_for_write(item, agenda_open=False)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Decisions are recorded after the meeting has been held."))
    meeting_assert_started(meeting)
    votes = votes or []
    parties = [vote["party"].strip() for vote in votes]
    if len(parties) != len(set(parties)):
        raise ValidationError({"votes": _("Each party can only be listed once.")})
    _votes_assert_within_seats(meeting, votes)
    # The meeting's row is locked (above), so two decisions on one item are recorded in turn.
    decision = Decision.objects.select_for_update().filter(item=item).first()
    if decision is None:
        if expected_version:
            raise VersionConflict(obj=None, current_version=0)
        decision = Decision(item=item, outcome=outcome, text=text)
        decision.full_clean()
        decision.save()
    else:
        version_check(decision, expected_version=expected_version)
        decision.outcome, decision.text = outcome, text
        decision.full_clean()
        decision.save(update_fields=["outcome", "text", "version", "updated_at"])
    existing = {vote.party: vote for vote in decision.votes.all()}
    for row in votes:
        party = row["party"].strip()
        vote = existing.pop(party, None) or DecisionVote(decision=decision, party=party)
        vote.votes_for = row.get("votes_for") or 0
        vote.votes_against = row.get("votes_against") or 0
        vote.votes_abstained = row.get("votes_abstained") or 0
        vote.full_clean()
        vote.save()
    for vote in existing.values():
        vote.delete()
    return decision


def _votes_assert_within_seats(meeting: Meeting, votes: list[dict]) -> None:
    """Refuse votes a party could not have cast: for + against + abstained at most its
    seats in the committee on the meeting's day minus its members recorded absent
    (``committees.selectors.meeting_seats_by_party``, which says why substitutes add
    none). Parties are matched as written on the members, ignoring case and the spaces
    around; every party over its limit is named with both numbers."""
    seats = {party.casefold(): counts for party, counts in meeting_seats_by_party(meeting).items()}
    errors = []
    for row in votes:
        party = row["party"].strip()
        cast = sum(row.get(key) or 0 for key in ("votes_for", "votes_against", "votes_abstained"))
        total, absent = seats.get(party.casefold(), (0, 0))
        allowed = total - absent
        if cast <= allowed:
            continue
        values = {"party": party, "seats": total, "absent": absent, "allowed": allowed}
        errors.append(
            ngettext(
                "%(party)s has %(seats)s seat, %(absent)s absent: at most %(allowed)s votes, "
                "not %(cast)s.",
                "%(party)s has %(seats)s seats, %(absent)s absent: at most %(allowed)s votes, "
                "not %(cast)s.",
                total,
            )
            % {**values, "cast": cast}
        )
    if errors:
        raise ValidationError({"votes": errors})


def _correct(*, obj, item: AgendaItem, decision, field: str, new_value: str, reason: str, user):
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    old_value = getattr(obj, field)
    if str(old_value) == new_value:
        raise ValidationError({"new_value": _("The new text is the same as the old one.")})
    setattr(obj, field, new_value)
    obj.full_clean()
    version_bump(obj)
    obj.save(update_fields=[field, "updated_at"])
    correction = Correction(
        item=item,
        decision=decision,
        field=field,
        old_value=str(old_value),
        new_value=new_value,
        reason=reason.strip(),
        corrected_by=user,
    )
    correction.full_clean()
    correction.save()
    return correction


@transaction.atomic
def agenda_item_correct(
    *, item: AgendaItem, field: str, new_value: str, reason: str, user=None
) -> Correction:
    """Correct an item's text once its meeting has been held, with a recorded reason."""
    if field not in CORRECTABLE_ITEM_FIELDS:
        raise ValidationError({"field": _("This field cannot be corrected.")})
    if item.meeting_id is None:
        raise ValidationError(_("Only items on a held meeting are corrected; edit the item."))
    meeting = meeting_lock(item.meeting)
    if meeting.status not in (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED):
        raise ValidationError(_("Until the meeting is held the item is edited, not corrected."))
    return _correct(
        obj=item,
        item=item,
        decision=None,
        field=field,
        new_value=new_value,
        reason=reason,
        user=user,
    )


@transaction.atomic
def decision_correct(
    *, decision: Decision, field: str, new_value: str, reason: str, user=None
) -> Correction:
    """Correct a decision in approved minutes, with a recorded reason."""
    if field not in CORRECTABLE_DECISION_FIELDS:
        raise ValidationError({"field": _("This field cannot be corrected.")})
    item = decision.item
    meeting = meeting_lock(item.meeting)
    if meeting.status != Meeting.Status.MINUTES_APPROVED:
        raise ValidationError(
            _("Until the minutes are approved the decision is changed, not corrected.")
        )
    return _correct(
        obj=decision,
        item=item,
        decision=decision,
        field=field,
        new_value=new_value,
        reason=reason,
        user=user,
    )


# -- member inquiries -----------------------------------------------------------------------


INQUIRY_STATUSES = (Meeting.Status.PUBLISHED, Meeting.Status.HELD)


def member_inquiry_assert_possible(meeting: Meeting) -> None:
    """Refuse an inquiry where none is registered: a member asks at a meeting whose agenda
    is published (before or after it is held), never on a draft or in approved minutes.
    The meeting page offers the form, and the form opens, only where this passes."""
    meeting_assert_unlocked(meeting)
    if meeting.status not in INQUIRY_STATUSES:
        raise ValidationError(
            _("Inquiries are registered at a meeting with a published agenda."),
            code="not_published",
        )


def member_inquiry_possible(meeting: Meeting) -> bool:
    try:
        member_inquiry_assert_possible(meeting)
    except ValidationError:
        return False
    return True


@transaction.atomic
def member_inquiry_register(
    *, meeting: Meeting, member: Person, text: str, title: str, administration: Administration
) -> MemberInquiry:
    """Register a member's inquiry at a meeting; it becomes a new case a later item answers."""
    meeting = meeting_lock(meeting)
    member_inquiry_assert_possible(meeting)
    case = case_create(
        title=title,
        administration=administration,
        description=text,
        opened_on=timezone.localtime(meeting.starts_at).date(),
    )
    inquiry = MemberInquiry(meeting=meeting, member=member, text=text, case=case)
    inquiry.full_clean()
    inquiry.save()
    return inquiry
