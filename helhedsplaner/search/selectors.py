"""Search across cases, agenda items, decisions, attachment titles and plans.

On PostgreSQL: full-text search with the Danish configuration (stemming, so
"helhedsplanerne" finds "helhedsplan"), ranked, on stored vectors with GIN
indexes (generated columns, see migration ``0005_perf_search_vectors``). On SQLite: a simpler
fallback that strips common Danish endings and matches the stems with LIKE.

The closed-item rule holds: a closed item, its decision and closed attachments
are searched only for those who may see them, so a search never reveals that a
confidential text contains a word.
"""

import html
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cases.models import AgendaItem, Attachment, Case, Decision
from cases.selectors import user_can_see_closed
from committees.models import Meeting
from committees.selectors import administration_id_for_user, committee_ids_for_user
from core.pagecache import case_scope, item_scope, plan_scope
from core.roles import CASEWORKER, SECRETARY, is_administrator, user_roles

from ..models import Plan

CONFIG = "danish"
START, STOP = "\x02", "\x03"  # sentinels, replaced by <mark> after escaping
LIMIT_PER_KIND = 25

# Fields searched per kind; the stored vectors (migration 0005_perf_search_vectors) use
# exactly these.
CASE_FIELDS = ("number", "title", "description")
ITEM_FIELDS = ("title", "summary", "problem", "solution", "economy", "further_process")
DECISION_FIELDS = ("text",)
ATTACHMENT_FIELDS = ("title", "case_number")
PLAN_FIELDS = ("name", "description")

DANISH_ENDINGS = ("ernes", "erne", "ene", "ens", "ers", "er", "en", "et", "es", "e", "s")


def danish_stem(word: str) -> str:
    """A crude Danish stemmer for the SQLite fallback: strip one common ending."""
    word = word.lower()
    for ending in DANISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def terms(query: str) -> list[str]:
    return [t for t in re.findall(r"[\wæøåÆØÅ-]+", query) if len(t) >= 2][:8]


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: SafeString
    meta: str = ""
    obj: object = None


@dataclass
class Results:
    query: str
    groups: dict[str, list[Hit]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(hits) for hits in self.groups.values())


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def vector(*fields: str) -> SearchVector:
    return SearchVector(*fields, config=CONFIG)


def _concat(fields):
    parts = []
    for name in fields:
        parts += [Coalesce(name, Value(""), output_field=TextField()), Value(" ")]
    parts = parts[:-1]
    if len(parts) == 1:
        return parts[0]
    return Concat(*parts, output_field=TextField())


class StoredVector(Expression):
    """The row's stored search vector: ``vector(*FIELDS)`` kept by PostgreSQL in a generated
    column (migration ``0005_perf_search_vectors``), so ranking does not re-parse the text.

    Compiled against the query's own base-table alias, so it also works in a subquery.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_da", []


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, config=CONFIG, search_type="websearch")


def _headline(fields, search_query: SearchQuery) -> SearchHeadline:
    return SearchHeadline(
        _concat(fields),
        search_query,
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
    )


def _ranked(queryset: QuerySet, fields, query: str) -> QuerySet:
    """The rows of ``queryset`` that match ``query``, best first (on SQLite: matching by
    stems, in the model's order)."""
    if _is_postgres():
        search_query = _search_query(query)
        return (
            queryset.annotate(search=StoredVector())
            .filter(search=search_query)
            .annotate(rank=SearchRank(F("search"), search_query))
            .order_by("-rank", "pk")
        )
    condition = Q()
    for term in terms(query):
        stem = danish_stem(term)
        term_condition = Q()
        for name in fields:
            term_condition |= Q(**{f"{name}__icontains": stem})
        condition &= term_condition
    return queryset.filter(condition) if condition else queryset.none()


def _match(queryset: QuerySet, fields, query: str) -> QuerySet:
    if _is_postgres():
        search_query = _search_query(query)
        # The best LIMIT_PER_KIND ids by rank first; the headline (which re-reads the text)
        # only for those, in the same query.
        best = _ranked(queryset, fields, query).values("pk")[:LIMIT_PER_KIND]
        return (
            queryset.filter(pk__in=best)
            .annotate(
                rank=SearchRank(StoredVector(), search_query),
                headline=_headline(fields, search_query),
            )
            .order_by("-rank", "pk")
        )
    return _ranked(queryset, fields, query)


def _snippet(obj, fields, query: str) -> SafeString:
    """Escaped text with the matching words in <mark>; never raw user HTML."""
    if getattr(obj, "headline", None):
        text = html.escape(obj.headline)
    else:
        text = " ".join(str(getattr(obj, name) or "") for name in fields)
        text = _window(text, query)
        text = html.escape(text)
        for term in terms(query):
            stem = re.escape(html.escape(danish_stem(term)))
            text = re.sub(rf"(?i)(\w*{stem}\w*)", rf"{START}\1{STOP}", text)
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _window(text: str, query: str, width: int = 220) -> str:
    lowered = text.lower()
    positions = [lowered.find(danish_stem(t)) for t in terms(query)]
    positions = [p for p in positions if p >= 0]
    start = max(0, (min(positions) if positions else 0) - 60)
    snippet = text[start : start + width]
    return ("… " if start else "") + snippet + (" …" if start + width < len(text) else "")


KINDS = ("cases", "items", "decisions", "attachments", "plans")
# Per kind: the fields searched, and the column (of the ranked rows) that names the scope
# a hit shows, with the scope it names (core.pagecache): a case's page, an agenda item's
# (its decision and attachments show under it; the item's case and meeting raise it too)
# and a plan's.
FIELDS = {
    "cases": CASE_FIELDS,
    "items": ITEM_FIELDS,
    "decisions": DECISION_FIELDS,
    "attachments": ATTACHMENT_FIELDS,
    "plans": PLAN_FIELDS,
}
SCOPE_COLUMNS = {
    "cases": ("number", case_scope),
    "items": ("pk", item_scope),
    "decisions": ("item_id", item_scope),
    "attachments": ("item_id", item_scope),
    "plans": ("pk", plan_scope),
}


def _searched(*, user, committee_id: int | None, year: int | None) -> dict[str, QuerySet]:
    """Per kind, the rows the user may find with these filters (the closed-item rule)."""
    cases = Case.objects.all()
    if year:
        cases = cases.filter(number__startswith=f"{year}-")
    if committee_id:
        cases = cases.filter(agenda_items__meeting__committee_id=committee_id).distinct()

    # Agenda items, decisions and attachments: only those whose item the user may know of,
    # and closed ones only for their readers.
    items = _findable(
        user, AgendaItem.objects.filter(meeting__isnull=False), prefix="", closed=("is_closed",)
    )
    items = _filter_meeting(items, "meeting", committee_id, year)

    decisions = _findable(
        user,
        Decision.objects.filter(item__meeting__isnull=False),
        prefix="item__",
        closed=("item__is_closed",),
    )
    decisions = _filter_meeting(decisions, "item__meeting", committee_id, year)

    attachments = _findable(
        user,
        Attachment.objects.filter(item__meeting__isnull=False),
        prefix="item__",
        closed=("is_closed", "item__is_closed"),
    )
    attachments = _filter_meeting(attachments, "item__meeting", committee_id, year)

    plans = Plan.objects.all()
    if year:
        plans = plans.filter(Q(period_start__year__lte=year) | Q(period_start__isnull=True)).filter(
            Q(period_end__year__gte=year) | Q(period_end__isnull=True)
        )
    return {
        "cases": cases,
        "items": items,
        "decisions": decisions,
        "attachments": attachments,
        "plans": plans,
    }


# What a hit shows besides its own row (read with it).
RELATED = {
    "cases": ("administration",),
    "items": ("case", "meeting__committee"),
    "decisions": ("item__case", "item__meeting__committee"),
    "attachments": ("item__case", "item__meeting__committee"),
    "plans": ("area", "lbf_period"),
}


def _hit(kind: str, obj, query: str) -> Hit:
    """A found row as the page shows it."""
    snippet = _snippet(obj, FIELDS[kind], query)
    if kind == "cases":
        return Hit(
            kind,
            f"{obj.number} {obj.title}",
            obj.get_absolute_url(),
            snippet,
            obj.administration.code,
            obj,
        )
    if kind == "items":
        meeting = obj.meeting
        return Hit(
            kind,
            f"{obj.number}. {obj.title}",
            f"{obj.case.get_absolute_url()}#punkt-{obj.pk}",
            snippet,
            f"{meeting.committee.short_name} {meeting.starts_at:%d.%m.%Y} · {obj.case.number}",
            obj,
        )
    if kind == "decisions":
        item = obj.item
        return Hit(
            kind,
            f"{item.number}. {item.title}",
            f"{item.case.get_absolute_url()}#punkt-{obj.item_id}",
            snippet,
            f"{item.meeting.committee.short_name} {item.meeting.starts_at:%d.%m.%Y} · "
            f"{obj.get_outcome_display()}",
            obj,
        )
    if kind == "attachments":
        item = obj.item
        return Hit(
            kind,
            obj.title,
            f"{item.case.get_absolute_url()}#punkt-{obj.item_id}",
            snippet,
            f"{item.meeting.committee.short_name} · {obj.case_number or item.case.number}",
            obj,
        )
    return Hit(
        kind,
        obj.name,
        _plan_url(obj),
        snippet,
        f"{obj.get_status_display()} · {obj.lbf_period}",
        obj,
    )


def hit_html(hit: Hit) -> SafeString:
    """One hit as an item of the page's result list."""
    meta = format_html(' <span class="muted">· {}</span>', hit.meta) if hit.meta else ""
    return format_html(
        '<li><a href="{}">{}</a>{}<p class="snippet">{}</p></li>',
        hit.url,
        hit.title,
        meta,
        hit.snippet,
    )


def search(
    *, query: str, user, committee_id: int | None = None, year: int | None = None
) -> Results:
    """The best LIMIT_PER_KIND hits of each kind, read and built in one query per kind."""
    query = query.strip()
    results = Results(query=query)
    if not terms(query):
        return results
    for kind, queryset in _searched(user=user, committee_id=committee_id, year=year).items():
        found = _match(queryset.select_related(*RELATED[kind]), FIELDS[kind], query)
        results.groups[kind] = [_hit(kind, obj, query) for obj in found[:LIMIT_PER_KIND]]
    return results


def find(
    *, query: str, user, committee_id: int | None = None, year: int | None = None
) -> dict[str, list[tuple[int, str]]]:
    """The first phase of :func:`search` for a page that keeps its hits as fragments:
    per kind, the best LIMIT_PER_KIND rows in the same order, as ``(pk, scope)`` (the
    scope whose pages show the row, see SCOPE_COLUMNS), without reading or building
    them: :func:`read_hits` does that for the hits that are not cached."""
    query = query.strip()
    if not terms(query):
        return {}
    searched = _searched(user=user, committee_id=committee_id, year=year)
    if not _is_postgres():
        found = {}
        for kind, queryset in searched.items():
            column, scope = SCOPE_COLUMNS[kind]
            rows = _ranked(queryset, FIELDS[kind], query).values_list("pk", column)
            found[kind] = [(pk, scope(value)) for pk, value in rows[:LIMIT_PER_KIND]]
        return found
    # On PostgreSQL the five kinds in one query (UNION ALL of each kind's best rows, as
    # the bare view reads them), ordered again here as each part was: by rank, then pk.
    parts = [
        _ranked(queryset, FIELDS[kind], query).values_list(
            Value(kind, output_field=TextField()),
            "pk",
            Cast(SCOPE_COLUMNS[kind][0], output_field=TextField()),
            "rank",
        )[:LIMIT_PER_KIND]
        for kind, queryset in searched.items()
    ]
    rows = sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (-row[3], row[1]))
    found = {kind: [] for kind in searched}
    for kind, pk, value, _rank in rows:
        column, scope = SCOPE_COLUMNS[kind]
        found[kind].append((pk, scope(value if column == "number" else int(value))))
    return found


def read_hits(kind: str, pks, query: str) -> dict[int, Hit]:
    """The hits of ``kind`` with these primary keys (found by :func:`find` for ``query``,
    so already filtered for the reader), as :func:`search` builds them (one query)."""
    model = _searched_model(kind)
    rows = model.objects.filter(pk__in=list(pks)).select_related(*RELATED[kind])
    if _is_postgres():
        rows = rows.annotate(headline=_headline(FIELDS[kind], _search_query(query.strip())))
    return {obj.pk: _hit(kind, obj, query.strip()) for obj in rows}


def _searched_model(kind: str):
    return {
        "cases": Case,
        "items": AgendaItem,
        "decisions": Decision,
        "attachments": Attachment,
        "plans": Plan,
    }[kind]


def _findable(user, queryset: QuerySet, *, prefix: str, closed: tuple[str, ...]) -> QuerySet:
    """The rows of ``queryset`` (agenda items on a meeting, or decisions or attachments of
    such items: the item at ``prefix``) that ``user`` may find: the item is one they may
    know of (``cases.selectors.agenda_item_visibility``) and each of the ``closed`` flags
    is off or the meeting's committee is one whose closed content they may read
    (``cases.selectors.closed_readable_by``).

    The same rule, written for items that are on a meeting, with the meeting's columns
    tested through subqueries of meeting ids (the few draft meetings; the meetings of the
    reader's committees, by index) instead of a join to every meeting: a search matches
    thousands of items, and hashing every meeting to join them was a third of the
    items' query. ``tests/helhedsplaner/test_search_fragments.py`` checks that it finds
    what the rule of ``cases.selectors`` lets each kind of reader see.
    """
    if is_administrator(user):
        return queryset
    meeting = f"{prefix}meeting_id"
    roles = user_roles(user)
    # A secretary may know of every item on a meeting, drafts included.
    if SECRETARY not in roles:
        drafts = Meeting.objects.filter(status=Meeting.Status.DRAFT).values("pk")
        visible = ~Q(**{f"{meeting}__in": drafts})
        administration_id = administration_id_for_user(user) if CASEWORKER in roles else None
        if administration_id is not None:
            visible |= Q(**{f"{prefix}recommending_administration_id": administration_id})
        queryset = queryset.filter(visible)
    readable = Meeting.objects.filter(committee_id__in=committee_ids_for_user(user)).values("pk")
    for flag in closed:
        queryset = queryset.filter(Q(**{flag: False}) | Q(**{f"{meeting}__in": readable}))
    return queryset


def _plan_url(plan) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("helhedsplaner:plan_detail", args=[plan.pk])
    except NoReverseMatch:
        return "#"


def _filter_meeting(queryset: QuerySet, prefix: str, committee_id, year) -> QuerySet:
    if committee_id:
        queryset = queryset.filter(**{f"{prefix}__committee_id": committee_id})
    if year:
        queryset = queryset.filter(**{f"{prefix}__starts_at__year": year})
    return queryset


__all__ = [
    "Results",
    "Hit",
    "search",
    "find",
    "read_hits",
    "hit_html",
    "danish_stem",
    "user_can_see_closed",
]
