"""Recommendation blocks (indstillinger) of an agenda item: reading, writing, the route.

An item holds one or more blocks, each "<administrations> indstiller, at <committees>
over for <addressees> anbefaler," with its points; the points are numbered through the
whole item. The case's route (sagsgang) is the item's committee followed by the first
block's addressees, then the committee where it is finally decided.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from committees.models import Administration, Committee

from .models import AgendaItem, RecommendationBlock, RecommendationParty, RecommendationPoint

Role = RecommendationParty.Role

# A case climbs: standing (and special) committees recommend to ØU, ØU to BR.
_KIND_RANK = {
    Committee.Kind.STANDING_COMMITTEE: 0,
    Committee.Kind.SPECIAL_COMMITTEE: 0,
    Committee.Kind.FINANCE_COMMITTEE: 1,
    Committee.Kind.CITY_COUNCIL: 2,
}

# The blocks with their parties (and those parties' administrations and committees).
BLOCKS_PREFETCH = Prefetch(
    "recommendation_blocks",
    queryset=RecommendationBlock.objects.order_by("position").prefetch_related(
        Prefetch(
            "parties",
            queryset=RecommendationParty.objects.select_related("administration", "committee"),
        )
    ),
)


def committee_order(committees) -> list[Committee]:
    """Committees in the order a case travels through them (then by name)."""
    return sorted(committees, key=lambda c: (_KIND_RANK.get(c.kind, 0), c.name))


def join_names(names: list[str]) -> str:
    """ "A", "A og B", "A, B og C" (the interface language's "and")."""
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


@dataclass
class BlockData:
    """One block as the form gives it and the service writes it."""

    administrations: list[Administration]
    committees: list[Committee] = field(default_factory=list)
    addressees: list[Committee] = field(default_factory=list)
    points: list[str] = field(default_factory=list)


def _parties(block: RecommendationBlock, role: str) -> list:
    rows = sorted((p for p in block.parties.all() if p.role == role), key=lambda p: p.position)
    return [p.administration if role == Role.ADMINISTRATION else p.committee for p in rows]


def blocks_of(item: AgendaItem) -> list[BlockData]:
    """The item's blocks as data (uses prefetched rows where the caller loaded them)."""
    result = []
    for block in sorted(item.recommendation_blocks.all(), key=lambda b: b.position):
        result.append(
            BlockData(
                administrations=_parties(block, Role.ADMINISTRATION),
                committees=_parties(block, Role.COMMITTEE),
                addressees=_parties(block, Role.ADDRESSEE),
                points=[p.text for p in sorted(block.points.all(), key=lambda p: p.position)],
            )
        )
    return result


def block_sentence(block: BlockData, *, default_committee: Committee | None) -> str:
    """ "A og B indstiller, at C over for D og E anbefaler," (or "A indstiller,")."""
    administrations = join_names([a.name for a in block.administrations])
    if not block.addressees:
        return _("%(administrations)s recommends,") % {"administrations": administrations}
    committees = block.committees or ([default_committee] if default_committee else [])
    return _("%(administrations)s recommends that %(committees)s recommend to %(addressees)s,") % {
        "administrations": administrations,
        "committees": join_names([c.name for c in committees]) or _("the committee"),
        "addressees": join_names([c.name for c in block.addressees]),
    }


def display_blocks(item: AgendaItem) -> list[dict]:
    """For the templates: each block's sentence and its numbered points.

    The points come from ``item.recommendation_points`` (prefetched by the pages), grouped
    by their block; a point without a block belongs to the first. An item whose old
    free-text route could not be read as committees prints it as before.
    """
    default = item.meeting.committee if item.meeting_id else None
    blocks = sorted(item.recommendation_blocks.all(), key=lambda b: b.position)
    points = sorted(item.recommendation_points.all(), key=lambda p: p.position)
    first_id = blocks[0].pk if blocks else None
    rows = []
    for block in blocks:
        data = BlockData(
            administrations=_parties(block, Role.ADMINISTRATION),
            committees=_parties(block, Role.COMMITTEE),
            addressees=_parties(block, Role.ADDRESSEE),
        )
        sentence = block_sentence(data, default_committee=default)
        if block.pk == first_id and not data.addressees and item.route:
            sentence = _(
                "%(administrations)s recommends that %(committee)s %(route)s recommends,"
            ) % {
                "administrations": join_names([a.name for a in data.administrations]),
                "committee": default.name if default else _("the committee"),
                "route": item.route,
            }
        mine = [p for p in points if (p.block_id or first_id) == block.pk]
        rows.append({"sentence": sentence, "points": mine})
    if not blocks:
        administration = item.recommending_administration
        rows.append(
            {
                "sentence": _("%(administrations)s recommends,")
                % {"administrations": administration.name if administration else ""},
                "points": points,
            }
        )
    return rows


def recommendation_text(item: AgendaItem) -> str:
    """The whole recommendation as plain text, for snapshots and comparisons."""
    lines = []
    for block in display_blocks(item):
        lines.append(block["sentence"])
        lines.extend(f"{point.position}. {point.text}" for point in block["points"])
    return "\n".join(lines)


def route_of(item: AgendaItem) -> list[Committee]:
    """The committees the item's case passes: the first block's recommending committees
    (the item's own committee when none is named) and addressees, then the committee that
    finally decides. An item sent on keeps the route it was sent on with."""
    blocks = sorted(item.recommendation_blocks.all(), key=lambda b: b.position)
    first = blocks[0] if blocks else None
    committees = _parties(first, Role.COMMITTEE) if first else []
    addressees = _parties(first, Role.ADDRESSEE) if first else []
    own = item.meeting.committee if item.meeting_id is not None else None
    route: list[Committee] = []
    for committee in [*(committees or ([own] if own else [])), *addressees]:
        if committee.pk not in {c.pk for c in route}:
            route.append(committee)
    if own is not None and own.pk not in {c.pk for c in route}:
        route.insert(0, own)
    if item.decided_by_id and item.decided_by_id not in {c.pk for c in route}:
        route.append(item.decided_by)
    return route


def next_committee(item: AgendaItem) -> Committee | None:
    """The committee after the item's own on its route, or None at the end of it."""
    if item.meeting_id is None:
        return None
    route = route_of(item)
    pks = [c.pk for c in route]
    here = item.meeting.committee_id
    if here not in pks:
        return None
    index = pks.index(here)
    return route[index + 1] if index + 1 < len(route) else None


def blocks_clean(blocks: list[BlockData]) -> list[BlockData]:
    """Drop empty blocks; refuse a block with points but nobody recommending."""
    kept = []
    for index, block in enumerate(blocks, start=1):
        points = [p.strip() for p in block.points if p and p.strip()]
        if not block.administrations and not points and index > 1:
            continue
        if not block.administrations:
            raise ValidationError(
                _("Recommendation %(number)s needs at least one recommending administration.")
                % {"number": index}
            )
        kept.append(
            BlockData(
                administrations=list(dict.fromkeys(block.administrations)),
                committees=committee_order(set(block.committees)),
                addressees=committee_order(set(block.addressees)),
                points=points,
            )
        )
    return kept


def _parties_set(block: RecommendationBlock, role: str, objects: list) -> None:
    existing = {p.position: p for p in block.parties.all() if p.role == role}
    attr = "administration" if role == Role.ADMINISTRATION else "committee"
    for position, obj in enumerate(objects, start=1):
        party = existing.pop(position, None)
        if party is None:
            party = RecommendationParty(block=block, role=role, position=position, **{attr: obj})
            party.full_clean()
            party.save()
        elif getattr(party, f"{attr}_id") != obj.pk:
            setattr(party, attr, obj)
            party.save(update_fields=[attr, "updated_at"])
    for party in existing.values():
        party.delete()


def recommendations_set(item: AgendaItem, blocks: list[BlockData]) -> None:
    """Make the item's blocks, parties and points exactly ``blocks``, in place.

    Rows that stay the same are not written, so the history shows only what changed.
    """
    blocks = blocks_clean(blocks)
    existing_blocks = {b.position: b for b in item.recommendation_blocks.all()}
    existing_points = {p.position: p for p in item.recommendation_points.all()}
    number = 0
    for position, data in enumerate(blocks, start=1):
        block = existing_blocks.pop(position, None)
        if block is None:
            block = RecommendationBlock(item=item, position=position)
            block.full_clean()
            block.save()
        _parties_set(block, Role.ADMINISTRATION, data.administrations)
        _parties_set(block, Role.COMMITTEE, data.committees)
        _parties_set(block, Role.ADDRESSEE, data.addressees)
        for text in data.points:
            number += 1
            point = existing_points.pop(number, None)
            if point is None:
                point = RecommendationPoint(item=item, block=block, position=number, text=text)
                point.full_clean()
                point.save()
            elif point.text != text or point.block_id != block.pk:
                point.text = text
                point.block = block
                point.full_clean()
                point.save(update_fields=["text", "block", "updated_at"])
    for point in existing_points.values():
        point.delete()
    for block in existing_blocks.values():
        block.delete()


@dataclass
class EarlierDecision:
    """An earlier committee's decision on the case, printed on the item sent on."""

    committee: Committee
    date: object
    decision: object


def attach_earlier_decisions(items) -> None:
    """Give each item its ``earlier_decisions``: one query per step back along the route
    (TMU → ØU → BR is two), however many items. A closed earlier item's decision is left
    out of an open item, so sending on never opens what was closed."""
    items = [item for item in items if "_earlier_decisions" not in item.__dict__]
    known: dict[int, AgendaItem] = {}
    wanted = {item.sent_from_id for item in items if item.sent_from_id}
    while wanted - set(known):
        rows = AgendaItem.objects.filter(pk__in=wanted - set(known)).select_related(
            "meeting__committee", "decision"
        )
        for row in rows:
            known[row.pk] = row
        wanted = {row.sent_from_id for row in known.values() if row.sent_from_id}
    for item in items:
        chain, seen = [], set()
        step = known.get(item.sent_from_id)
        while step is not None and step.pk not in seen:
            seen.add(step.pk)
            decision = getattr(step, "decision", None) if hasattr(step, "decision") else None
            if (
                step.meeting_id is not None
                and decision is not None
                and (item.is_closed or not step.is_closed)
            ):
                chain.append(
                    EarlierDecision(step.meeting.committee, step.meeting.starts_at, decision)
                )
            step = known.get(step.sent_from_id)
        item.__dict__["_earlier_decisions"] = list(reversed(chain))


def case_route(items) -> list[dict]:
    """The case's route with where it stands: each committee with its item on the case
    (the latest on that committee's meetings), "decided", "current" or "pending".

    ``items``: the case's items on meetings, with ``meeting__committee``, ``decision``
    and the blocks loaded. The route is that of the latest item (an item sent on carries
    its route along).
    """
    placed = sorted(
        (item for item in items if item.meeting_id is not None),
        key=lambda item: (item.meeting.starts_at, item.pk),
    )
    if not placed:
        return []
    route = route_of(placed[-1])
    if len(route) < 2:
        return []
    latest = {}
    for item in placed:
        latest[item.meeting.committee_id] = item
    steps, current_found = [], False
    for committee in route:
        item = latest.get(committee.pk)
        decision = getattr(item, "decision", None) if item is not None else None
        if item is not None and decision is not None:
            state = "decided"
        elif item is not None and not current_found:
            state, current_found = "current", True
        else:
            state = "pending"
        steps.append(
            {
                "committee": committee,
                "item": item,
                "state": state,
                "date": item.meeting.starts_at if item is not None else None,
                "link": item is not None,
            }
        )
    return steps
