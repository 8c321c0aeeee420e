"""Agenda snapshots and what changed between two of them (pure functions, no queries).

A snapshot is what a published agenda said: the meeting's time and place and,
per item, its number and every section. Comparing the snapshot of the current
agenda with the last published one tells whether the agenda must be published
again, and the structured changes are shown as "Punkt 19 tilføjet",
"Punkt 3 ændret: titel". Only numbers and field names leave a snapshot, never
content, so a closed item's text cannot leak through a version list.
"""

from bisect import bisect_left

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.templatetags.dk import date_text

ITEM_FIELDS = (
    "title",
    "case",
    "item_type",
    "is_closed",
    "summary",
    "recommending_administration",
    "route",
    "decided_by",
    "problem",
    "solution",
    "economy",
    "further_process",
    "points",
    "recommendation",
    "attachments",
)

FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "case": gettext_lazy("case number"),
    "item_type": gettext_lazy("item type"),
    "is_closed": gettext_lazy("open or closed"),
    "summary": gettext_lazy("summary"),
    "recommending_administration": gettext_lazy("recommending administration"),
    "route": gettext_lazy("route"),
    "decided_by": gettext_lazy("decided in"),
    "problem": gettext_lazy("problem"),
    "solution": gettext_lazy("solution"),
    "economy": gettext_lazy("economy"),
    "further_process": gettext_lazy("further process"),
    "points": gettext_lazy("recommendation"),
    "recommendation": gettext_lazy("who recommends"),
    "attachments": gettext_lazy("attachments"),
}


def item_snapshot(item) -> dict:
    """One item as it stands; needs ``recommendation_points`` and ``attachments`` prefetched."""
    return {
        "id": item.pk,
        "number": item.number,
        "title": item.title,
        "case": item.case.number,
        "item_type": item.item_type,
        "is_closed": item.is_closed,
        "summary": item.summary,
        "recommending_administration": item.recommending_administration_id,
        "route": item.route,
        "decided_by": item.decided_by_id,
        "problem": item.problem,
        "solution": item.solution,
        "economy": item.economy,
        "further_process": item.further_process,
        "points": [
            p.text for p in sorted(item.recommendation_points.all(), key=lambda p: p.position)
        ],
        "recommendation": _blocks_snapshot(item),
        "attachments": [
            [a.position, a.title, a.case_number, a.is_closed, a.original_filename, a.size]
            for a in sorted(item.attachments.all(), key=lambda a: a.position)
        ],
    }


def _blocks_snapshot(item) -> list:
    """Per block: administration ids, committee ids, addressee ids, its points' numbers.

    An item without blocks (made before them, or by a bulk load) is printed as one block
    of its recommending administration (cases.recommendations.display_blocks), and kept so.
    """
    if not item.recommendation_blocks.all():
        numbers = sorted(p.position for p in item.recommendation_points.all())
        return [[[item.recommending_administration_id], [], [], numbers]]
    rows = []
    for block in sorted(item.recommendation_blocks.all(), key=lambda b: b.position):
        parties = sorted(block.parties.all(), key=lambda p: p.position)
        rows.append(
            [
                [p.administration_id for p in parties if p.role == "administration"],
                [p.committee_id for p in parties if p.role == "committee"],
                [p.committee_id for p in parties if p.role == "addressee"],
                [
                    p.position
                    for p in item.recommendation_points.all()
                    if p.block_id == block.pk or (p.block_id is None and block.position == 1)
                ],
            ]
        )
    return rows


def agenda_snapshot(meeting, items) -> dict:
    return {
        "meeting": {
            "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
            "location": meeting.location,
        },
        "items": [item_snapshot(item) for item in sorted(items, key=lambda i: i.number or 0)],
    }


def _stable_ids(previous_order: list[int]) -> set[int]:
    """Indexes (into ``previous_order``) forming a longest increasing subsequence.

    Items in it kept their relative order; the others were moved.
    """
    tails: list[int] = []
    tails_index: list[int] = []
    parent = [-1] * len(previous_order)
    for index, value in enumerate(previous_order):
        position = bisect_left(tails, value)
        if position == len(tails):
            tails.append(value)
            tails_index.append(index)
        else:
            tails[position] = value
            tails_index[position] = index
        parent[index] = tails_index[position - 1] if position else -1
    stable = set()
    index = tails_index[-1] if tails_index else -1
    while index != -1:
        stable.add(index)
        index = parent[index]
    return stable


def agenda_changes(previous: dict, current: dict) -> list[dict]:
    """Structured differences from ``previous`` to ``current`` (both snapshots)."""
    changes: list[dict] = []
    old_meeting, new_meeting = previous.get("meeting", {}), current.get("meeting", {})
    if old_meeting.get("starts_at") != new_meeting.get("starts_at"):
        changes.append({"kind": "time"})
    if old_meeting.get("location") != new_meeting.get("location"):
        changes.append({"kind": "location"})

    old_items = {item["id"]: item for item in previous.get("items", [])}
    new_items = {item["id"]: item for item in current.get("items", [])}
    for item in previous.get("items", []):
        if item["id"] not in new_items:
            changes.append({"kind": "removed", "number": item["number"]})

    kept = [item for item in current.get("items", []) if item["id"] in old_items]
    stable = _stable_ids([old_items[item["id"]]["number"] for item in kept])
    renumbered = False
    for index, item in enumerate(kept):
        old_number = old_items[item["id"]]["number"]
        if index not in stable:
            changes.append({"kind": "moved", "from": old_number, "to": item["number"]})
        elif old_number != item["number"]:
            renumbered = True
    if renumbered:
        changes.append({"kind": "renumbered"})

    for item in current.get("items", []):
        old = old_items.get(item["id"])
        if old is None:
            changes.append({"kind": "added", "number": item["number"]})
            continue
        # A key an older snapshot did not keep yet ("recommendation") counts as unchanged.
        fields = [
            name
            for name in ITEM_FIELDS
            if (name in old or name not in item) and old.get(name) != item.get(name)
        ]
        if fields:
            changes.append({"kind": "changed", "number": item["number"], "fields": fields})
    return changes


def only_additions(changes: list[dict]) -> bool:
    return bool(changes) and all(change["kind"] == "added" for change in changes)


def change_lines(changes: list[dict]) -> list[str]:
    """The changes as sentences in the active language."""
    lines = []
    for change in changes:
        kind = change.get("kind")
        if kind == "added":
            lines.append(_("Item %(number)s added") % {"number": change["number"]})
        elif kind == "removed":
            lines.append(_("Item %(number)s removed") % {"number": change["number"]})
        elif kind == "moved":
            lines.append(
                _("Item %(old)s moved to item %(new)s")
                % {"old": change["from"], "new": change["to"]}
            )
        elif kind == "renumbered":
            lines.append(_("The other items were renumbered to follow the order"))
        elif kind == "changed":
            fields = ", ".join(str(FIELD_LABELS.get(name, name)) for name in change["fields"])
            lines.append(
                _("Item %(number)s changed: %(fields)s")
                % {"number": change["number"], "fields": fields}
            )
        elif kind == "time":
            lines.append(_("Meeting date or time changed"))
        elif kind == "location":
            lines.append(_("Meeting place changed"))
    return lines


# -- a version as printed -----------------------------------------------------------------------


def snapshot_has_closed_content(snapshot: dict) -> bool:
    """A closed item or a closed attachment in the snapshot."""
    return any(
        item.get("is_closed") or any(attachment[3] for attachment in item.get("attachments", []))
        for item in snapshot.get("items", [])
    )


def _day(moment) -> str:
    return date_text(moment, "j. F Y")


def version_label(version) -> str:
    """The line a version's PDF prints on its cover and in its running footer."""
    values = {"number": version.number, "date": _day(version.published_at)}
    if version.kind == "supplementary":
        return _("Supplementary agenda, version %(number)s of %(date)s") % values
    return _("Version %(number)s of %(date)s") % values


class _Named:
    """A reference the item template reads by its name (an administration, a committee)."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __str__(self) -> str:
        return str(getattr(self, "name", "") or getattr(self, "number", ""))


class _Points(list):
    """A list read like a related manager (``.all``), as the templates read a live item."""

    def all(self):
        return self


class SnapshotItem:
    """An agenda item as a version's snapshot kept it, with the attributes the PDF's item
    template reads from a live item (``item.case.number``, ``recommendation_points.all``,
    ``recommending_administration.name`` …). ``names``: administration and committee ids
    to their names, read once for the whole snapshot."""

    def __init__(self, data: dict, names: dict):
        self.pk = data.get("id")
        self.number = data.get("number")
        for name in ITEM_FIELDS:
            if name not in (
                "case",
                "points",
                "attachments",
                "recommending_administration",
                "recommendation",
            ):
                setattr(self, name, data.get(name) or ("" if name != "is_closed" else False))
        self.is_closed = bool(data.get("is_closed"))
        self.decided_by_id = data.get("decided_by")
        self.case = _Named(number=data.get("case", ""))
        administration = data.get("recommending_administration")
        self.recommending_administration = (
            _Named(name=names["administrations"].get(administration, ""))
            if administration
            else None
        )
        self.recommending_administration_id = administration
        self.decided_by = (
            _Named(name=names["committees"].get(self.decided_by_id, ""))
            if self.decided_by_id
            else None
        )
        self.recommendation_points = _Points(
            _Named(position=position, text=text)
            for position, text in enumerate(data.get("points", []), start=1)
        )
        self.attachments = _Points(
            _Named(position=a[0], title=a[1], case_number=a[2], is_closed=bool(a[3]))
            for a in data.get("attachments", [])
        )
        self.decision = None  # an agenda as published has no decisions yet
        self.earlier_decisions = []
        self._blocks = data.get("recommendation")
        self._names = names
        self._committee = names.get("meeting_committee")

    @property
    def recommendation_display(self) -> list[dict]:
        """The blocks' sentences and points as the snapshot kept them (a snapshot from
        before the blocks existed: one block, the recommending administration)."""
        from cases.recommendations import BlockData, block_sentence

        points = {p.position: p for p in self.recommendation_points}
        administrations, committees = self._names["administrations"], self._names["committees"]
        if not self._blocks:
            name = getattr(self.recommending_administration, "name", "")
            data = BlockData(administrations=[_Named(name=name)])
            return [
                {
                    "sentence": block_sentence(data, default_committee=None),
                    "points": list(points.values()),
                }
            ]
        rows = []
        for admins, comms, addressees, numbers in self._blocks:
            data = BlockData(
                administrations=[_Named(name=administrations.get(pk, "")) for pk in admins],
                committees=[_Named(name=committees.get(pk, "")) for pk in comms],
                addressees=[_Named(name=committees.get(pk, "")) for pk in addressees],
            )
            sentence = block_sentence(data, default_committee=self._committee)
            rows.append(
                {"sentence": sentence, "points": [points[n] for n in numbers if n in points]}
            )
        return rows

    def get_item_type_display(self) -> str:
        from cases.models import AgendaItem

        return str(dict(AgendaItem.ItemType.choices).get(self.item_type, self.item_type))
