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
from django.db.models.functions import Coalesce, Concat
from django.utils.safestring import SafeString, mark_safe

from cases.models import AgendaItem, Attachment, Case, Decision
from cases.selectors import (
    agenda_item_visibility,
    agenda_items_visible_to,
    closed_readable_by,
    user_can_see_closed,
)

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


def _match(queryset: QuerySet, fields, query: str) -> QuerySet:
    if _is_postgres():
        search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
        # The best LIMIT_PER_KIND ids by rank first; the headline (which re-reads the text)
        # only for those, in the same query.
        best = (
            queryset.annotate(search=StoredVector())
            .filter(search=search_query)
            .annotate(rank=SearchRank(F("search"), search_query))
            .order_by("-rank", "pk")
            .values("pk")[:LIMIT_PER_KIND]
        )
        return (
            queryset.filter(pk__in=best)
            .annotate(
                rank=SearchRank(StoredVector(), search_query),
                headline=SearchHeadline(
                    _concat(fields),
                    search_query,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                ),
            )
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


def search(
    *, query: str, user, committee_id: int | None = None, year: int | None = None
) -> Results:
    query = query.strip()
    results = Results(query=query)
    if not terms(query):
        return results

    # Cases: found by their own text; year = the case number's year.
    cases = Case.objects.select_related("administration")
    if year:
        cases = cases.filter(number__startswith=f"{year}-")
    if committee_id:
        cases = cases.filter(agenda_items__meeting__committee_id=committee_id).distinct()
    results.groups["cases"] = [
        Hit(
            "cases",
            f"{c.number} {c.title}",
            c.get_absolute_url(),
            _snippet(c, CASE_FIELDS, query),
            c.administration.code,
            c,
        )
        for c in _match(cases, CASE_FIELDS, query)[:LIMIT_PER_KIND]
    ]

    # Agenda items: only those the user may know of, and closed ones only for their readers.
    items = agenda_items_visible_to(user, AgendaItem.objects.filter(meeting__isnull=False))
    items = closed_readable_by(
        user, items, closed_field="is_closed", committee_field="meeting__committee_id"
    )
    items = _filter_meeting(items, "meeting", committee_id, year)
    items = items.select_related("case", "meeting__committee")
    results.groups["items"] = [
        Hit(
            "items",
            f"{i.number}. {i.title}",
            f"{i.case.get_absolute_url()}#punkt-{i.pk}",
            _snippet(i, ITEM_FIELDS, query),
            f"{i.meeting.committee.short_name} {i.meeting.starts_at:%d.%m.%Y} · {i.case.number}",
            i,
        )
        for i in _match(items, ITEM_FIELDS, query)[:LIMIT_PER_KIND]
    ]

    decisions = _item_visible(user, Decision.objects.filter(item__meeting__isnull=False))
    decisions = closed_readable_by(
        user,
        decisions,
        closed_field="item__is_closed",
        committee_field="item__meeting__committee_id",
    )
    decisions = _filter_meeting(decisions, "item__meeting", committee_id, year)
    decisions = decisions.select_related("item__case", "item__meeting__committee")
    results.groups["decisions"] = [
        Hit(
            "decisions",
            f"{d.item.number}. {d.item.title}",
            f"{d.item.case.get_absolute_url()}#punkt-{d.item_id}",
            _snippet(d, DECISION_FIELDS, query),
            f"{d.item.meeting.committee.short_name} {d.item.meeting.starts_at:%d.%m.%Y} · "
            f"{d.get_outcome_display()}",
            d,
        )
        for d in _match(decisions, DECISION_FIELDS, query)[:LIMIT_PER_KIND]
    ]

    attachments = _item_visible(user, Attachment.objects.filter(item__meeting__isnull=False))
    attachments = closed_readable_by(
        user, attachments, closed_field="is_closed", committee_field="item__meeting__committee_id"
    )
    attachments = closed_readable_by(
        user,
        attachments,
        closed_field="item__is_closed",
        committee_field="item__meeting__committee_id",
    )
    attachments = _filter_meeting(attachments, "item__meeting", committee_id, year)
    attachments = attachments.select_related("item__case", "item__meeting__committee")
    results.groups["attachments"] = [
        Hit(
            "attachments",
            a.title,
            f"{a.item.case.get_absolute_url()}#punkt-{a.item_id}",
            _snippet(a, ATTACHMENT_FIELDS, query),
            f"{a.item.meeting.committee.short_name} · {a.case_number or a.item.case.number}",
            a,
        )
        for a in _match(attachments, ATTACHMENT_FIELDS, query)[:LIMIT_PER_KIND]
    ]

    plans = Plan.objects.select_related("area", "lbf_period")
    if year:
        plans = plans.filter(Q(period_start__year__lte=year) | Q(period_start__isnull=True)).filter(
            Q(period_end__year__gte=year) | Q(period_end__isnull=True)
        )
    results.groups["plans"] = [
        Hit(
            "plans",
            p.name,
            _plan_url(p),
            _snippet(p, PLAN_FIELDS, query),
            f"{p.get_status_display()} · {p.lbf_period}",
            p,
        )
        for p in _match(plans, PLAN_FIELDS, query)[:LIMIT_PER_KIND]
    ]
    return results


def _item_visible(user, queryset: QuerySet) -> QuerySet:
    """Decisions or attachments whose agenda item the user may know exist: the rule of
    ``cases.selectors.agenda_items_visible_to``, on the joined item (a subquery of all
    visible items made the planner's work the larger part of these queries)."""
    condition = agenda_item_visibility(user, prefix="item__")
    return queryset if condition is None else queryset.filter(condition)


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


__all__ = ["Results", "Hit", "search", "danish_stem", "user_can_see_closed"]
