"""Which cached pages a change to a case, an agenda item or a meeting reaches (core.pagecache).

An agenda item shows on its own page, as a block of its own on its meeting's agenda and
its case's page (fragments under ``item:N``, ``core.fragments``), on those pages
themselves and on the status pages of the plans it concerns; its points, attachments,
decision and corrections show wherever it does. A case that arose from a member inquiry
shows, with its items, on the agenda of the meeting where the inquiry was raised (what
answers it), and that meeting's date shows on the case's page. A meeting's date, status
(publishing opens its items to readers) and committee show on all of that for every item
on it. ``Meeting`` is the committees app's model, registered here because only this app
knows the items on it.
"""

from committees.models import Meeting
from core import pagecache
from core.pagecache import case_scope, item_scope, meeting_scope, plan_scope

from .models import (
    AgendaItem,
    AgendaVersion,
    Attachment,
    Case,
    Correction,
    Decision,
    DecisionVote,
    MemberInquiry,
    RecommendationBlock,
    RecommendationParty,
    RecommendationPoint,
)


def item_facts_scope(pk) -> str:
    """What an agenda item's own rows show (the item, its points, attachments, decision,
    votes and corrections, its case and meeting), without what refers to it from other
    apps (the commitments its decision granted, which its own pages list). Raised with
    ``item:N`` by :func:`item_scopes`; the plan status page keeps the item's entry
    under it, so that a commitment does not render that again."""
    return f"item-facts:{pk}"


def case_facts_scope(number) -> str:
    """What a case's page shows of the case itself (its heading, facts, description and
    the inquiry it arose from, with that meeting's date): raised with ``case:<number>``
    by a change to the case, its inquiry or that meeting, not by its items."""
    return f"case-facts:{number}"


def item_body_scope(pk) -> str:
    """An agenda item's block without its heading (number, title, case, meeting, type):
    the body the agenda and the case page keep as a fragment of its own. Raised with
    ``item:N`` by :func:`item_scopes` (every change to what belongs to the item), except
    by a save of the item that changes nothing but :data:`HEADING_FIELDS`, which the
    pages print from the item's row (a new title, a new number)."""
    return f"item-body:{pk}"


# The item's own columns its body does not show (the heading prints them from the row,
# or nobody does): a save that changes only these leaves item-body:N alone.
HEADING_FIELDS = ("title", "number", "version", "updated_at", "created_at")
BODY_FIELDS = tuple(
    field.attname
    for field in AgendaItem._meta.concrete_fields
    if field.attname not in HEADING_FIELDS
)


def item_scopes(item_ids) -> set[str]:
    """The scopes of the pages that show these agenda items (three queries)."""
    ids = {pk for pk in item_ids if pk is not None}
    if not ids:
        return set()
    # The items sent on from these print their decisions (send videre), so they show them.
    frontier = ids
    while frontier:
        frontier = (
            set(AgendaItem.objects.filter(sent_from_id__in=frontier).values_list("pk", flat=True))
            - ids
        )
        ids |= frontier
    scopes = {item_scope(pk) for pk in ids} | {item_facts_scope(pk) for pk in ids}
    scopes |= {item_body_scope(pk) for pk in ids}
    case_ids = set()
    rows = AgendaItem.objects.filter(pk__in=ids).values_list(
        "meeting_id", "case_id", "case__number", "plans", "sent_from_id"
    )
    for meeting_id, case_id, number, plan_id, sent_from_id in rows:
        if sent_from_id is not None:
            # The item it was sent on from names it ("Sagen er sendt videre: …").
            scopes.add(item_scope(sent_from_id))
        if meeting_id is not None:
            scopes.add(meeting_scope(meeting_id))
        if case_id is not None:
            case_ids.add(case_id)
            scopes.add(case_scope(number))
        if plan_id is not None:
            scopes.add(plan_scope(plan_id))
    # No other item of the case shows these: an item's page and its blocks show the item
    # alone. The agenda of a meeting where an inquiry became one of these cases lists the
    # case's items (what answers the inquiry).
    scopes |= _inquiry_meeting_scopes(case_ids)
    # The plans whose commitments these items' decisions granted (their status pages name
    # the granting meeting, and their latest activity is its date).
    granted = AgendaItem.objects.filter(pk__in=ids, granted_commitments__isnull=False)
    scopes.update(
        plan_scope(pk)
        for pk in granted.values_list("granted_commitments__plan_id", flat=True).distinct()
    )
    return scopes


def _inquiry_meeting_scopes(case_ids) -> set[str]:
    """The agendas that show these cases as the answer to an inquiry raised there."""
    if not case_ids:
        return set()
    meetings = MemberInquiry.objects.filter(case_id__in=case_ids).values_list(
        "meeting_id", flat=True
    )
    return {meeting_scope(pk) for pk in meetings}


def _of_items(instances) -> set[str]:
    """Everything :func:`item_scopes` raises but the items' bodies (:func:`_bodies`)."""
    return item_scopes(instance.pk for instance in instances) - _bodies(instances)


def _bodies(instances) -> set[str]:
    """The items' bodies: raised by a save that changes one of :data:`BODY_FIELDS`, and
    when an item is made or deleted (``core.pagecache.register(others=)``)."""
    return {item_body_scope(instance.pk) for instance in instances}


def _of_item_parts(instances) -> set[str]:
    return item_scopes(instance.item_id for instance in instances)


def _of_parties(instances) -> set[str]:
    blocks = {instance.block_id for instance in instances}
    return item_scopes(
        RecommendationBlock.objects.filter(pk__in=blocks).values_list("item_id", flat=True)
    )


def _of_votes(instances) -> set[str]:
    decisions = {instance.decision_id for instance in instances}
    return item_scopes(Decision.objects.filter(pk__in=decisions).values_list("item_id", flat=True))


def _of_cases(instances) -> set[str]:
    ids = [instance.pk for instance in instances]
    return (
        {case_scope(instance.number) for instance in instances}
        | {case_facts_scope(instance.number) for instance in instances}
        | item_scopes(AgendaItem.objects.filter(case_id__in=ids).values_list("pk", flat=True))
        | _inquiry_meeting_scopes(ids)
    )


def _of_meetings(instances) -> set[str]:
    ids = [instance.pk for instance in instances]
    # The cases that arose from an inquiry at these meetings name the meeting and its date.
    arisen = Case.objects.filter(originating_inquiry__meeting_id__in=ids).values_list(
        "number", flat=True
    )
    return (
        {meeting_scope(pk) for pk in ids}
        | {scope for number in arisen for scope in (case_scope(number), case_facts_scope(number))}
        | item_scopes(AgendaItem.objects.filter(meeting_id__in=ids).values_list("pk", flat=True))
    )


def _of_meeting_parts(instances) -> set[str]:
    return {meeting_scope(instance.meeting_id) for instance in instances}


def _of_inquiries(instances) -> set[str]:
    scopes = _of_meeting_parts(instances)
    cases = [instance.case_id for instance in instances if instance.case_id is not None]
    return scopes | _of_cases(list(Case.objects.filter(pk__in=cases)))


def register() -> None:
    pagecache.register(AgendaItem, _of_items, others=_bodies, others_show=BODY_FIELDS)
    for model in (RecommendationPoint, RecommendationBlock, Attachment, Decision, Correction):
        pagecache.register(model, _of_item_parts)
    pagecache.register(RecommendationParty, _of_parties)
    pagecache.register(DecisionVote, _of_votes)
    pagecache.register(Case, _of_cases)
    pagecache.register(Meeting, _of_meetings)
    pagecache.register(AgendaVersion, _of_meeting_parts)
    pagecache.register(MemberInquiry, _of_inquiries)
