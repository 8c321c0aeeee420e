"""Reads for cases and agenda items, with the visibility rules applied.

Closed agenda items (and closed attachments) are confidential: only members of
the item's committee, its secretaries and administrators see their content.
Everybody else sees the number and "Lukket punkt". Items not yet on a
published agenda (drafts) are visible only to staff.
"""

import functools
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from committees.models import Administration, Committee, Meeting, MeetingAbsence
from committees.selectors import administration_id_for_user, committee_ids_for_user
from core.history import history_entries
from core.roles import CASEWORKER, SECRETARY, is_administrator, user_roles
from core.templatetags.dk import date_text

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
from .recommendations import BLOCKS_PREFETCH, attach_earlier_decisions, case_route
from .versions import agenda_changes, agenda_snapshot, change_lines


def user_can_see_closed(user, committee_id: int | None) -> bool:
    if is_administrator(user):
        return True
    return committee_id is not None and committee_id in committee_ids_for_user(user)


def closed_readable_by(
    user, queryset: QuerySet, *, closed_field: str, committee_field: str
) -> QuerySet:
    """The rows that are open, or closed in a committee whose closed content the user may
    read: :func:`user_can_see_closed` as a queryset filter (for searches and lists)."""
    if is_administrator(user):
        return queryset
    return queryset.filter(
        Q(**{closed_field: False}) | Q(**{f"{committee_field}__in": committee_ids_for_user(user)})
    )


def agenda_item_visibility(user, prefix: str = "") -> Q | None:
    """The condition of :func:`agenda_items_visible_to` on the agenda item at ``prefix``
    (``"item__"`` for a decision's or an attachment's item), or None: no condition
    (administrators). Lets a query about decisions or attachments join their item
    instead of testing it against a subquery of visible items."""
    if is_administrator(user):
        return None
    meeting, status = f"{prefix}meeting", f"{prefix}status"
    published = Q(**{f"{meeting}__isnull": False}) & ~Q(
        **{f"{meeting}__status": Meeting.Status.DRAFT}
    )
    roles = user_roles(user)
    condition = published
    if SECRETARY in roles:
        condition |= Q(**{f"{meeting}__isnull": False}) | Q(**{status: AgendaItem.Status.READY})
    if CASEWORKER in roles:
        administration_id = administration_id_for_user(user)
        if administration_id is not None:
            condition |= Q(**{f"{prefix}recommending_administration_id": administration_id})
    return condition


def agenda_items_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Items the user may know exist (closed content is masked separately).

    Politicians see items on agendas that have been published; staff also see
    drafts: caseworkers those of their own administration, secretaries those
    marked ready or placed on a meeting; administrators everything.
    """
    queryset = AgendaItem.objects.all() if queryset is None else queryset
    condition = agenda_item_visibility(user)
    return queryset if condition is None else queryset.filter(condition)


def mark_visibility(user, items) -> list:
    """Set ``item.content_visible`` and ``item.visible_attachments`` for templates."""
    items = list(items)
    for item in items:
        committee_id = item.meeting.committee_id if item.meeting_id else None
        if item.meeting_id is None:
            # A draft: only the people who may see drafts get here at all.
            item.content_visible = True
        else:
            item.content_visible = not item.is_closed or user_can_see_closed(user, committee_id)
        see_closed_attachments = item.content_visible and (
            item.meeting_id is None or user_can_see_closed(user, committee_id)
        )
        item.visible_attachments = [
            a for a in item.attachments.all() if not a.is_closed or see_closed_attachments
        ]
    return items


@dataclass(slots=True)
class RowMeeting:
    """What an item's heading shows of its meeting, from the item's row."""

    pk: int
    starts_at: object
    committee: object  # anything with .name


@dataclass(slots=True)
class AgendaRow:
    """What a page needs of an agenda item to list it, to name its fragment
    (``core.fragments``) and to print its heading (number, title, case, meeting, type),
    read as one row; the item itself is read only for the fragments that are not cached
    (:func:`agenda_items_for_page`). ``content_visible`` as :func:`mark_visibility` sets
    it. ``html`` is the item's rendered fragment, ``row_html`` its cells in the agenda's
    order table (a fragment too). The heading templates read it as they read an
    ``AgendaItem`` (``item.case.number``, ``item.meeting.committee.name``,
    ``item.get_item_type_display`` …)."""

    pk: int
    number: int | None
    title: str
    is_closed: bool
    content_visible: bool
    case_number: str = ""
    decision_pk: int | None = None
    outcome: str = ""
    item_type: str = ""
    status: str = ""
    meeting: object = None  # the Meeting or a RowMeeting; None for an item on no agenda
    html: str = ""
    row_html: str = ""

    @property
    def has_decision(self) -> bool:
        return self.decision_pk is not None

    @property
    def outcome_label(self) -> str:
        """The decision's outcome as ``Decision.get_outcome_display`` shows it."""
        return str(dict(Decision.Outcome.choices).get(self.outcome, self.outcome or ""))

    @property
    def case(self) -> SimpleNamespace:
        return SimpleNamespace(number=self.case_number)

    @property
    def decision(self) -> SimpleNamespace | None:
        if self.decision_pk is None:
            return None
        return SimpleNamespace(pk=self.decision_pk, get_outcome_display=self.outcome_label)

    def get_item_type_display(self) -> str:
        return str(dict(AgendaItem.ItemType.choices).get(self.item_type, self.item_type))

    def get_status_display(self) -> str:
        return str(dict(AgendaItem.Status.choices).get(self.status, self.status))


# The columns of an agenda row (:func:`agenda_rows`), as ``values_list`` names them.
AGENDA_ROW_COLUMNS = (
    "pk",
    "number",
    "title",
    "is_closed",
    "meeting_id",
    "meeting__committee_id",
    "case__number",
    "decision__id",
    "decision__outcome",
    "item_type",
    "status",
)
# With the meeting's date and committee's name, for a page of items on several meetings.
AGENDA_ROW_MEETING_COLUMNS = ("meeting__starts_at", "meeting__committee__name")


def agenda_rows(user, rows, *, meeting: Meeting | None = None) -> list[AgendaRow]:
    """:class:`AgendaRow` of each row of :data:`AGENDA_ROW_COLUMNS` (and, without
    ``meeting``, the one the items are all on, :data:`AGENDA_ROW_MEETING_COLUMNS`), its
    visibility marked as :func:`mark_visibility` does."""
    result = []
    seen = {}  # committee id -> whether the user may read its closed items
    for row in rows:
        pk, number, title, is_closed, meeting_id, committee_id, *rest = row
        if meeting_id is None or not is_closed:
            visible = True
        else:
            if committee_id not in seen:
                seen[committee_id] = user_can_see_closed(user, committee_id)
            visible = seen[committee_id]
        on = None
        if meeting_id is not None:
            if meeting is not None:
                on = meeting
            else:
                starts_at, committee_name = rest[5:7]
                on = RowMeeting(meeting_id, starts_at, SimpleNamespace(name=committee_name))
        result.append(AgendaRow(pk, number, title, is_closed, visible, *rest[:5], meeting=on))
    return result


def agenda_items_for_page(user, ids, *, meeting: Meeting | None = None) -> dict[int, AgendaItem]:
    """The agenda items ``ids`` with everything the agenda item partial shows (points,
    attachments, decision and votes, corrections, plans), visibility marked; by id.
    Callers have found the ids among the items the user may see; ``meeting`` (with its
    committee) is the one they are all on, if there is one.

    Read for the fragments that must be rendered after a write, often one item: each
    query costs more in Django than in the database, so the points, attachments and votes
    of all the items come in one query (:func:`_read_children`), and the item's row says
    whether it has corrections and plans (rare), read only for the items that do.
    """
    items = _read_items(ids, meeting=meeting)
    _read_children(items)
    prefetches = dict(zip(_ITEM_PREFETCH_NAMES, _item_prefetches(), strict=True))
    for name, wanted in (("corrections", "has_corrections"), ("plans", "has_plans")):
        having = [item for item in items if getattr(item, wanted)]
        prefetch_related_objects(having, prefetches[name])
        for item in items:
            if not getattr(item, wanted):
                # Known to be empty: cached as such, as a prefetch would leave it.
                cache = item.__dict__.setdefault("_prefetched_objects_cache", {})
                cache[name] = getattr(item, name).none()
    # The earlier committees' decisions of the items sent on, for all of them at once.
    attach_earlier_decisions(items)
    return {item.pk: item for item in mark_visibility(user, items)}


class _Joined:
    """One model read by a :class:`_Reading`: its table's alias, its columns in the order
    ``Model.from_db`` takes them, each column's database converters (what the ORM applies
    to a value as it comes from the database: a datetime made aware on SQLite …), and the
    relation it was reached by from the model before it (``parent``, an index)."""

    def __init__(self, model, alias: str, parent: int | None = None, relation=None):
        self.model, self.alias, self.parent, self.relation = model, alias, parent, relation
        self.fields = model._meta.concrete_fields
        self.names = [field.attname for field in self.fields]
        self.pk_index = self.fields.index(model._meta.pk)
        self.converters = [
            [
                (converter, field.get_col(alias))
                for converter in connection.ops.get_db_converters(field.get_col(alias))
                + field.get_db_converters(connection)
            ]
            for field in self.fields
        ]

    def build(self, values, db: str):
        values = list(values)
        for index, converters in enumerate(self.converters):
            for converter, expression in converters:
                values[index] = converter(values[index], expression, connection)
        return self.model.from_db(db, self.names, values)


class _Reading:
    """A model's rows with some of their relations, as ``select_related(*paths)`` reads
    them, and some flags (SQL expressions on the row, alias ``t0``), in one query written
    out from the models' fields: the ORM takes longer to build such a query than the
    database takes to answer it. Forward foreign keys and reverse one-to-one relations;
    every join a left join. Plain SQL for SQLite and PostgreSQL alike; built once per
    database vendor (:func:`_reading`), the values bound at each read."""

    def __init__(self, model, paths, flags):
        quote = connection.ops.quote_name
        self.tables = [_Joined(model, "t0")]
        self.flags = [name for name, _sql in flags]
        joins, where = [], {(): 0}
        for path in paths:
            steps = path.split("__")
            for depth in range(1, len(steps) + 1):
                key = tuple(steps[:depth])
                if key in where:
                    continue
                parent = self.tables[where[key[:-1]]]
                relation = parent.model._meta.get_field(key[-1])
                alias = f"t{len(self.tables)}"
                related = relation.related_model
                if relation.one_to_one and not relation.concrete:  # reverse one-to-one
                    mine, theirs = parent.model._meta.pk.column, relation.field.column
                else:
                    mine, theirs = relation.column, related._meta.pk.column
                on = f"{alias}.{quote(theirs)} = {parent.alias}.{quote(mine)}"
                joins.append(f"LEFT JOIN {quote(related._meta.db_table)} {alias} ON {on}")
                where[key] = len(self.tables)
                self.tables.append(_Joined(related, alias, where[key[:-1]], relation))
        columns = [
            f"{table.alias}.{quote(field.column)}"
            for table in self.tables
            for field in table.fields
        ]
        self.select = "SELECT {} FROM {} t0 {}".format(  # noqa: S608 (names from the models)
            ", ".join([*columns, *(sql for _name, sql in flags)]),
            quote(model._meta.db_table),
            " ".join(joins),
        )

    def read(self, where: str, params) -> list:
        """The rows ``WHERE <where>`` (on alias ``t0``, ``params`` bound), built."""
        with connection.cursor() as cursor:
            cursor.execute(f"{self.select} WHERE {where}", params)
            rows = cursor.fetchall()
        db, result = connection.alias, []
        for row in rows:
            built, start = [], 0
            for table in self.tables:
                end = start + len(table.fields)
                values = row[start:end]
                start = end
                # A left join that found nothing gives NULL for the primary key too.
                instance = None
                if table.parent is None or values[table.pk_index] is not None:
                    instance = table.build(values, db)
                built.append(instance)
                parent = built[table.parent] if table.parent is not None else None
                if parent is not None:
                    table.relation.set_cached_value(parent, instance)
                    if instance is not None and table.relation.one_to_one:
                        table.relation.remote_field.set_cached_value(instance, parent)
            for name, value in zip(self.flags, row[start:], strict=True):
                setattr(built[0], name, bool(value))
            result.append(built[0])
        return result


@functools.cache
def _reading(_vendor: str, model, paths: tuple[str, ...], flags: tuple = ()) -> _Reading:
    return _Reading(model, paths, flags)


def _exists(model, column: str) -> str:
    """A flag of :class:`_Reading`: whether ``model`` has a row whose ``column`` is the id."""
    return f"EXISTS (SELECT 1 FROM {model._meta.db_table} x WHERE x.{column} = t0.id)"  # noqa: S608


_ITEM_FLAGS = (
    ("has_corrections", _exists(Correction, "item_id")),
    ("has_plans", _exists(AgendaItem.plans.through, "agendaitem_id")),
)


def _read_items(ids, *, meeting: Meeting | None) -> list[AgendaItem]:
    """The items ``ids`` with their case, recommending administration, decided-by
    committee, decision and meeting with its committee (``meeting``, if given: the one they
    are all on), as ``select_related`` would leave them, and ``has_corrections`` and
    ``has_plans`` (:class:`_Reading`)."""
    ids = [int(pk) for pk in ids]
    if not ids:
        return []
    paths = ("case", "recommending_administration", "decided_by", "decision")
    reading = _reading(connection.vendor, AgendaItem, paths, _ITEM_FLAGS)
    items = reading.read(f"t0.id IN ({_marks(ids)})", ids)
    if meeting is not None:
        meetings = {meeting.pk: meeting}
    else:
        # Their meetings apart: PostgreSQL took longer to plan the join of seven tables
        # than to answer it and this small second query together.
        wanted = sorted({item.meeting_id for item in items if item.meeting_id is not None})
        meetings = {}
        if wanted:
            found = _reading(connection.vendor, Meeting, ("committee",)).read(
                f"t0.id IN ({_marks(wanted)})", wanted
            )
            meetings = {row.pk: row for row in found}
    field = AgendaItem._meta.get_field("meeting")
    for item in items:
        field.set_cached_value(item, meetings.get(item.meeting_id))
    return items


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


# The points, attachments and votes of some agenda items as rows of one shape, in one
# query: kind (0 point, 1 attachment, 2 vote), id, item (a vote's: its decision's item),
# position, text (a point's text, an attachment's title, a vote's party), an attachment's
# case number, closedness and file name, a vote's three counts. Written out (plain SQL,
# for SQLite and PostgreSQL alike) because the ORM took longer to build the union than
# the database took to answer it; the table and column names are fixed, the ids bound.
_POINT, _ATTACHMENT, _VOTE, _PARTY = 0, 1, 2, 3
_CHILDREN_SQL = """
SELECT 0, p.id, p.item_id, p.position, p.text, '', FALSE, '', COALESCE(p.block_id, 0), 0, 0
  FROM cases_recommendationpoint p WHERE p.item_id IN ({ids})
UNION ALL
SELECT 3, r.id, b.item_id, r.position, COALESCE(ad.name, co.name), r.role, FALSE, '',
       b.position, b.id, COALESCE(r.committee_id, r.administration_id)
  FROM cases_recommendationparty r
  JOIN cases_recommendationblock b ON b.id = r.block_id
  LEFT JOIN committees_administration ad ON ad.id = r.administration_id
  LEFT JOIN committees_committee co ON co.id = r.committee_id
 WHERE b.item_id IN ({ids})
UNION ALL
SELECT 1, a.id, a.item_id, a.position, a.title, a.case_number, a.is_closed, a.file, 0, 0, 0
  FROM cases_attachment a WHERE a.item_id IN ({ids})
UNION ALL
SELECT 2, v.id, d.item_id, 0, v.party, '', FALSE, '', v.votes_for, v.votes_against,
       v.votes_abstained
  FROM cases_decisionvote v JOIN cases_decision d ON d.id = v.decision_id
 WHERE d.item_id IN ({ids})
"""


def _children_rows(ids) -> list[tuple]:
    ids = [int(pk) for pk in ids]
    with connection.cursor() as cursor:
        cursor.execute(_CHILDREN_SQL.format(ids=_marks(ids)), ids * 4)
        return cursor.fetchall()


def _read_children(items) -> None:
    """Read the points, attachments and votes of ``items`` in one query and keep them as
    the prefetched ``recommendation_points``, ``attachments`` and ``decision.votes``
    (ordered as :func:`_item_prefetches` orders them), as a prefetch would. The rows are
    built with the fields the blocks show (``agenda_item.html``), no more."""
    if not items:
        return
    points, attachments, votes, blocks = {}, {}, {}, {}
    for (
        kind,
        pk,
        item_id,
        position,
        text,
        number,
        closed,
        file,
        yes,
        no,
        abstained,
    ) in _children_rows([item.pk for item in items]):
        if kind == _POINT:
            points.setdefault(item_id, []).append(
                RecommendationPoint(
                    id=pk, item_id=item_id, position=position, text=text, block_id=yes or None
                )
            )
        elif kind == _PARTY:
            block = blocks.setdefault(item_id, {}).get(no)
            if block is None:
                block = RecommendationBlock(id=no, item_id=item_id, position=yes)
                block.rows = []
                blocks[item_id][no] = block
            party = RecommendationParty(id=pk, block_id=no, role=number, position=position)
            if number == RecommendationParty.Role.ADMINISTRATION:
                party.administration = Administration(id=abstained, name=text)
            else:
                party.committee = Committee(id=abstained, name=text)
            block.rows.append(party)
        elif kind == _ATTACHMENT:
            attachments.setdefault(item_id, []).append(
                Attachment(
                    id=pk,
                    item_id=item_id,
                    position=position,
                    title=text,
                    case_number=number,
                    is_closed=bool(closed),
                    file=file,
                )
            )
        else:
            votes.setdefault(item_id, []).append(
                DecisionVote(
                    id=pk,
                    party=text,
                    votes_for=yes,
                    votes_against=no,
                    votes_abstained=abstained,
                )
            )
    for item in items:
        mine = sorted(blocks.get(item.pk, {}).values(), key=lambda block: block.position)
        for block in mine:
            _keep_prefetched(block, "parties", block.rows)
        _keep_prefetched(item, "recommendation_blocks", mine)
        _keep_prefetched(
            item,
            "recommendation_points",
            sorted(points.get(item.pk, ()), key=lambda point: point.position),
        )
        _keep_prefetched(
            item,
            "attachments",
            sorted(attachments.get(item.pk, ()), key=lambda attachment: attachment.position),
        )
        if _has_decision(item):
            decision = item.decision
            rows = sorted(votes.get(item.pk, ()), key=lambda vote: vote.party)
            for vote in rows:
                vote.decision_id = decision.pk
                vote.decision = decision
            _keep_prefetched(decision, "votes", rows)
        for point in points.get(item.pk, ()):
            point.item = item
        for attachment in attachments.get(item.pk, ()):
            attachment.item = item


def _keep_prefetched(instance, name: str, rows: list) -> None:
    """Keep ``rows`` as the prefetched value of ``instance.<name>.all()``."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def case_route_steps(*, number: str) -> list[dict]:
    """The case's route (sagsgang) with where it stands (cases.recommendations.case_route).

    Only committees, dates and item numbers: what any agenda shows of an item, closed or not.
    """
    items = (
        AgendaItem.objects.filter(case__number=number, meeting__isnull=False)
        .select_related("meeting__committee", "decision", "decided_by")
        .prefetch_related(BLOCKS_PREFETCH)
    )
    return case_route(list(items))


def case_get(*, number: str) -> Case:
    """The case with what its page's heading shows (its administration, the inquiry it
    arose from with the member and the meeting); 404 if there is none."""
    reading = _reading(
        connection.vendor,
        Case,
        (
            "administration",
            "originating_inquiry__member",
            "originating_inquiry__meeting__committee",
        ),
    )
    cases = reading.read("t0.number = %s", [number])
    if not cases:
        raise Http404("No Case matches the given query.")
    return cases[0]


def case_rows(*, number: str, user) -> list[AgendaRow]:
    """The items of case ``number`` that the user may see, in route order, as
    :class:`AgendaRow` (none for a case that does not exist)."""
    rows = (
        agenda_items_visible_to(user, AgendaItem.objects.filter(case__number=number))
        .order_by("meeting__starts_at", "pk")
        .values_list(*AGENDA_ROW_COLUMNS, *AGENDA_ROW_MEETING_COLUMNS)
    )
    return agenda_rows(user, rows)


def cases_list(*, user) -> QuerySet:
    return Case.objects.select_related("administration").order_by("-number")


def attachment_visible_to(user, attachment: Attachment) -> bool:
    item = attachment.item
    if not agenda_items_visible_to(user, AgendaItem.objects.filter(pk=item.pk)).exists():
        return False
    if item.meeting_id is None:
        return True
    if attachment.is_closed or item.is_closed:
        return user_can_see_closed(user, item.meeting.committee_id)
    return True


# -- items, meetings and queues -------------------------------------------------------------

ITEM_PAGE_RELATED = (
    "case",
    "meeting__committee",
    "recommending_administration",
    "decided_by",
    "decision",
)


def _item_prefetches(user=None):
    return (
        Prefetch(
            "recommendation_points", queryset=RecommendationPoint.objects.order_by("position")
        ),
        BLOCKS_PREFETCH,
        Prefetch("attachments", queryset=Attachment.objects.order_by("position")),
        Prefetch("decision__votes", queryset=DecisionVote.objects.order_by("party")),
        Prefetch(
            "corrections",
            queryset=Correction.objects.select_related("corrected_by").order_by("corrected_at"),
        ),
        "plans",
    )


# The names of the relations :func:`_item_prefetches` reads, in its order.
_ITEM_PREFETCH_NAMES = (
    "recommendation_points",
    "recommendation_blocks",
    "attachments",
    "votes",
    "corrections",
    "plans",
)


def agenda_item_get_for_page(*, pk: int, user) -> AgendaItem:
    """One item the user may know exists (404 otherwise), with its visibility marked."""
    queryset = (
        agenda_items_visible_to(user, AgendaItem.objects.filter(pk=pk))
        .select_related(*ITEM_PAGE_RELATED)
        .prefetch_related(*_item_prefetches())
        # Whether the case has been sent on from this item (its page then names where).
        .annotate(was_sent_on=Exists(AgendaItem.objects.filter(sent_from=OuterRef("pk"))))
    )
    item = get_object_or_404(queryset)
    return mark_visibility(user, [item])[0]


def agenda_item_editable_by(user, item: AgendaItem) -> bool:
    """May ``user`` change this item (its sections, points, attachments, place)?

    Needs ``item.content_visible`` (from :func:`mark_visibility`); the rest is the policy
    layer's ``cases.edit_item`` (``cases/rules.py``): the secretaries of the item's
    committee, any secretary for an item in the ready queue, the caseworkers of its
    administration while it is a draft, and administrators.
    """
    return item.content_visible and user.has_perm("cases.edit_item", item)


# A closed item, or a closed attachment of an open one: only then is there a members'
# edition that differs from the public one (cases.pdf.holds_closed_content).
_CLOSED_CONTENT = (
    "EXISTS (SELECT 1 FROM cases_agendaitem i WHERE i.meeting_id = t0.id AND (i.is_closed OR "
    "EXISTS (SELECT 1 FROM cases_attachment a WHERE a.item_id = i.id AND a.is_closed)))"
)

_MEETING_FLAGS = (
    ("has_closed_content", _CLOSED_CONTENT),
    ("has_versions", _exists(AgendaVersion, "meeting_id")),
    ("has_inquiries", _exists(MemberInquiry, "meeting_id")),
    ("has_absences", _exists(MeetingAbsence, "meeting_id")),
)


def meeting_get_for_page(*, pk: int, user) -> dict:
    """The meeting with its agenda as the user may see it, in a fixed number of queries.

    The agenda comes as slim rows (:class:`AgendaRow`: what the order table shows);
    :func:`agenda_items_for_page` reads the items themselves for the fragments that must
    be rendered. Also the published versions, the changes not yet published (so an edit
    after publishing is never silent; computed from the items, which are then read in
    full and passed on as ``loaded``), the absences and the inquiries raised at the
    meeting with the later items (visible to the user) that answer them.
    """
    # Whether there are versions, inquiries and absences at all comes with the meeting:
    # most meetings have no inquiries, many no absences, and a query for nothing costs a
    # round trip.
    if not -(2**63) <= int(pk) < 2**63:  # no such row (and none a database could bind)
        raise Http404("No Meeting matches the given query.")
    meetings = _reading(connection.vendor, Meeting, ("committee",), _MEETING_FLAGS).read(
        "t0.id = %s", [int(pk)]
    )
    if not meetings:
        raise Http404("No Meeting matches the given query.")
    meeting = meetings[0]
    visible = agenda_items_visible_to(user, meeting.agenda_items.all()).order_by("number")
    versions = []
    if meeting.has_versions:
        versions = list(meeting.agenda_versions.select_related("published_by").order_by("number"))
    pending, loaded = [], {}
    if versions and meeting.status == Meeting.Status.PUBLISHED:
        # A published agenda is visible in full to everybody who may read it, so the
        # visible items are the whole agenda here; only numbers and field names come out
        # of the comparison.
        items = mark_visibility(
            user, visible.select_related(*ITEM_PAGE_RELATED).prefetch_related(*_item_prefetches())
        )
        pending = agenda_changes(versions[-1].snapshot, agenda_snapshot(meeting, items))
        loaded = {item.pk: item for item in items}
        rows = [
            (
                item.pk,
                item.number,
                item.title,
                item.is_closed,
                item.meeting_id,
                meeting.committee_id,
                item.case.number,
                *((item.decision.pk, item.decision.outcome) if _has_decision(item) else (None, "")),
                item.item_type,
                item.status,
            )
            for item in items
        ]
    else:
        rows = visible.values_list(*AGENDA_ROW_COLUMNS)
    inquiries = []
    if meeting.has_inquiries:
        answering = Prefetch(
            "case__agenda_items",
            queryset=agenda_items_visible_to(user)
            .select_related("meeting__committee")
            .order_by("meeting__starts_at", "number"),
            to_attr="answering_items",
        )
        inquiries = list(
            meeting.member_inquiries.select_related("member", "case")
            .prefetch_related(answering)
            .order_by("pk")
        )
    absences = []
    if meeting.has_absences:
        absences = list(meeting.absences.select_related("person").order_by("person__name"))
    return {
        "meeting": meeting,
        "items": agenda_rows(user, rows, meeting=meeting),
        "loaded": loaded,
        "versions": versions,
        "pending_changes": change_lines(pending),
        "absences": absences,
        "inquiries": inquiries,
    }


def _has_decision(item: AgendaItem) -> bool:
    try:
        return item.decision is not None
    except Decision.DoesNotExist:
        return False


def meeting_get(*, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)


def agenda_items_ready(*, user) -> QuerySet:
    """The secretary's queue: items marked ready and not yet on an agenda."""
    return (
        agenda_items_visible_to(
            user,
            AgendaItem.objects.filter(status=AgendaItem.Status.READY, meeting__isnull=True),
        )
        .select_related("case", "recommending_administration")
        .order_by("updated_at", "pk")
    )


def agenda_items_of_my_administration(*, user) -> QuerySet:
    """A caseworker's items not yet on an agenda: drafts, returned and ready ones."""
    administration_id = administration_id_for_user(user)
    return (
        AgendaItem.objects.filter(
            recommending_administration_id=administration_id, meeting__isnull=True
        )
        .select_related("case")
        .order_by("status", "-updated_at")
    )


# -- the case page and its history ----------------------------------------------------------


HISTORY_SKIP = {
    "version",
    "id",
    "created_at",
    "updated_at",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
}


def _diff(record, previous) -> list[tuple[str, str, str]]:
    """(field label, old, new) for each field that changed between two history rows."""
    changes = []
    for field in record.instance_type._meta.concrete_fields:
        name = field.attname
        if field.name in HISTORY_SKIP or name in HISTORY_SKIP:
            continue
        old = getattr(previous, name, None) if previous is not None else None
        new = getattr(record, name, None)
        if old != new and not (previous is None and new in ("", None)):
            changes.append((str(field.verbose_name), _shown(field, old), _shown(field, new)))
    return changes


def _shown(field, value) -> str | None:
    if field.is_relation:
        return None  # the history names the field; the related row is on the page itself
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def case_history(*, number: str, user) -> tuple[Case, list[dict]]:
    """Every recorded change to the case, its items, their decisions, and the corrections.

    Visibility as on the case page: items the user may not know of are left out, and
    for closed items the user may not read only "changed" shows, never the content.
    A fixed number of queries.
    """
    case = get_object_or_404(Case.objects.select_related("administration"), number=number)
    items = mark_visibility(
        user,
        agenda_items_visible_to(user, case.agenda_items.all())
        .select_related("meeting__committee")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.none())),
    )
    by_id = {item.pk: item for item in items}

    entries = []

    def add(records, describe, masked=lambda record: False):
        previous_by_object = {}
        for record in records:
            previous = previous_by_object.get(record.id)
            previous_by_object[record.id] = record
            hidden = masked(record)
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "type": record.history_type,
                    "what": describe(record),
                    "masked": hidden,
                    "changes": [] if hidden else _diff(record, previous),
                }
            )

    add(
        case.history.select_related("history_user").order_by("history_date", "history_id"),
        lambda record: _("Case"),
    )

    def item_label(record):
        item = by_id[record.id]
        if not item.content_visible:
            return _("Closed item")
        return _("Agenda item “%(title)s”") % {"title": record.title}

    add(
        AgendaItem.history.filter(id__in=list(by_id))
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        item_label,
        masked=lambda record: not by_id[record.id].content_visible,
    )
    add(
        Decision.history.filter(item_id__in=list(by_id))
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        lambda record: (
            _("Decision on item %(number)s") % {"number": by_id[record.item_id].number or ""}
        ),
        masked=lambda record: not by_id[record.item_id].content_visible,
    )
    corrections = (
        Correction.objects.filter(item_id__in=list(by_id))
        .select_related("corrected_by", "decision")
        .order_by("corrected_at")
    )
    for correction in corrections:
        item = by_id[correction.item_id]
        entries.append(
            {
                "when": correction.corrected_at,
                "who": correction.corrected_by,
                "type": "correction",
                "what": _("Correction of item %(number)s") % {"number": item.number or ""},
                "masked": not item.content_visible,
                "correction": correction if item.content_visible else None,
                "changes": [],
            }
        )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return case, entries


def item_history_label(item: AgendaItem) -> str:
    """How an agenda item is named in a history (``core.history``): by committee, date and
    number only, so that a closed item's title never shows there."""
    if item.meeting_id is None:
        return _("Agenda item (draft)")
    date = date_text(item.meeting.starts_at, "j. F Y")
    return f"{item.meeting.committee.short_name} {date}, {_('item')} {item.number}"


# -- history tabs of a meeting and of a decision ------------------------------------------------

# An item in a meeting's history shows only its placing (meeting, number, status, open or
# closed), never its content: the meeting's history is about the agenda, the item's own
# content has its history on the case.
_ITEM_CONTENT_FIELDS = (
    "case",
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
    "return_comment",
    # An agenda version's snapshot and change list are the agenda's content: shown on the
    # meeting page's table of versions instead.
    "snapshot",
    "changes",
)


def meeting_history(*, meeting: Meeting) -> list[dict]:
    """The meeting's readable history: the meeting itself, its published agenda versions,
    the placing of the items on it and the absences recorded (``core.history``)."""
    return history_entries(
        Meeting.history.filter(id=meeting.pk),
        AgendaVersion.history.filter(meeting_id=meeting.pk),
        AgendaItem.history.filter(meeting_id=meeting.pk),
        MeetingAbsence.history.filter(meeting_id=meeting.pk),
        hide=_ITEM_CONTENT_FIELDS,
    )


def decision_history(*, decision) -> list[dict]:
    """The decision's readable history with its votes (``core.history``)."""
    return history_entries(
        Decision.history.filter(id=decision.pk),
        DecisionVote.history.filter(decision_id=decision.pk),
    )
