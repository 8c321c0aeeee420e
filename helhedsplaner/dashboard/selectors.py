"""Reads for the dashboard, the politicians' front page: all plans at a glance.

A fixed number of queries whatever the number of plans, items or commitments:
the lists are capped, and the figures over all plans are read as they were stored
when the plans changed (``helhedsplaner.dashboard.figures``: the money of each plan,
its last activity, whether it needs attention, and the sums by status and area),
not computed from every plan at each reading. The closed-item rule and the draft
rule come from ``cases.selectors``; the 25 % check and the money sums from
``helhedsplaner.cofinancing.selectors``; staleness from ``helhedsplaner.status.selectors``
(both applied when the figures are stored).
"""

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Prefetch, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cases.models import AgendaItem, Attachment
from cases.selectors import (
    agenda_items_of_my_administration,
    agenda_items_ready,
    agenda_items_visible_to,
    mark_visibility,
)
from committees.models import Meeting
from core.roles import CASEWORKER, SECRETARY, user_roles

from ..models import Area, Plan, PlanFigures, PlanFiguresSummary
from ..plans.selectors import LIFECYCLE_ORDER
from ..status.selectors import FINAL_STATUSES, STALE_AFTER_DAYS
from . import figures

UPCOMING_ITEMS = 20
RECENT_DECISIONS = 8
ZERO = Decimal(0)


@dataclass
class MeetingWithItems:
    meeting: Meeting
    items: list = field(default_factory=list)


# What the page shows of an item, its meeting, case and decision (the items' texts, a few
# kilobytes each, are not read).
ITEM_COLUMNS = (
    "number",
    "title",
    "is_closed",
    "meeting__starts_at",
    "meeting__status",
    "meeting__committee__name",
    "case__number",
)


def _plan_items(user, queryset, *, decision: bool = False):
    """Visible items that concern at least one plan, with their plans, visibility marked."""
    linked = Plan.agenda_items.through.objects.values("agendaitem_id")
    related = ("meeting__committee", "case", *(("decision",) if decision else ()))
    columns = (*ITEM_COLUMNS, *(("decision__outcome", "decision__text") if decision else ()))
    return (
        agenda_items_visible_to(user, queryset.filter(pk__in=linked))
        .select_related(*related)
        .only(*columns)
        .prefetch_related(
            Prefetch("plans", queryset=Plan.objects.only("pk", "name").order_by("name")),
            # The dashboard lists no attachments: an empty prefetch keeps mark_visibility cheap.
            Prefetch("attachments", queryset=Attachment.objects.none()),
        )
    )


def upcoming_meetings(*, user) -> list[MeetingWithItems]:
    """Coming meetings with items about plans, soonest first (drafts only for staff)."""
    now = timezone.now()
    items = mark_visibility(
        user,
        _plan_items(user, AgendaItem.objects.filter(meeting__starts_at__gte=now)).order_by(
            "meeting__starts_at", "meeting__committee__name", "number"
        )[:UPCOMING_ITEMS],
    )
    meetings: dict[int, MeetingWithItems] = {}
    for item in items:
        meetings.setdefault(item.meeting_id, MeetingWithItems(item.meeting)).items.append(item)
    return list(meetings.values())


def recent_decisions(*, user) -> list:
    """The latest decisions on items about plans, newest first."""
    now = timezone.now()
    return mark_visibility(
        user,
        _plan_items(
            user,
            AgendaItem.objects.filter(decision__isnull=False, meeting__starts_at__lt=now),
            decision=True,
        ).order_by("-meeting__starts_at", "meeting__committee__name", "number")[:RECENT_DECISIONS],
    )


# -- the figures over all plans (the same for every reader) -------------------------------------


@dataclass
class Shared:
    """What the figures below are read from: the summary over all plans (its ``front``:
    what the front page shows; ``by_area``: every area's figures, None unless asked for)
    and the plans that have no stored figures yet (computed on the fly)."""

    summary: dict
    by_area: list | None = None
    missing: list = field(default_factory=list)  # plan_facts of plans without PlanFigures
    today: date = field(default_factory=timezone.localdate)

    @property
    def with_figures(self) -> bool:
        return bool(self.summary.get("with_figures"))


def _amount(value) -> Decimal:
    return ZERO if value is None else Decimal(value)


# The keys of the front page's part of the summary the longest release had not stored
# yet (a summary stored before is computed afresh until the next refresh).
NEWEST_KEYS = ("top_areas", "other_areas", "stale")


@functools.cache
def _stored_summary(areas: bool):
    """The query of :func:`shared_figures`, built once (building it cost more than the
    database takes to answer it); never evaluated itself, only copied."""
    columns = ["data__front", *(["data__by_area"] if areas else [])]
    return (
        PlanFiguresSummary.objects.filter(pk=PlanFiguresSummary.ROW)
        .annotate(last_now=Subquery(Plan.objects.order_by("-pk").values("pk")[:1]))
        .values_list("plan_count", "last_plan_id", "last_now", *columns)
    )


@functools.cache
def _area_names():
    return Area.objects.order_by("name").values_list("pk", "name", "district")


def shared_figures(*, areas: bool = False) -> Shared:
    """The stored summary when it covers the plans there are now (one query), else the
    summary computed afresh, with the plans that have no stored figures computed on the
    fly rather than refreshed here (a read does not write; their refresh is the writer's
    after-commit hook's, or ``refresh_plan_figures``'s after a bulk load).

    Whether the stored summary covers the plans: the newest plan's id against the one it
    was computed with (an index lookup, whatever the number of plans; plan ids only
    grow), and every plan it counted had figures when it was made (``with_figures``).
    A plan removed is always seen by a refresh: through the ORM its delete raises the
    plan's scopes and so the writer's refresh, and in SQL it cannot be removed while its
    stored figures refer to it (their foreign key), so whoever removes both by hand runs
    ``refresh_plan_figures`` (docs/deploy.md). Counting the plans here instead was a
    pass over the plan table on every rendering of the front page, which grew with it.

    Of the stored summary the front page's part is read (``front``: one JSON value of a
    fixed size, whatever the number of plans and areas), and with ``areas`` every area's
    figures as well (``by_area``, for the page of all areas)."""
    stored = _stored_summary(areas).first()
    if stored is not None:
        plan_count, last_plan_id, last_now, front, *by_area = stored
        if (
            front is not None
            and all(front.get(key) is not None for key in NEWEST_KEYS)
            and last_plan_id == last_now
            and front.get("with_figures") == plan_count
        ):
            return Shared(summary=front, by_area=by_area[0] if areas else None)
    today = timezone.localdate()
    ids = Plan.objects.filter(figures__isnull=True).values_list("pk", flat=True)
    data = figures.summarise()
    return Shared(
        summary=data["front"],
        by_area=data["by_area"],
        missing=list(figures.compute(list(ids), today).values()),
        today=today,
    )


def plans_by_status(shared: Shared | None = None) -> list[dict]:
    shared = shared or shared_figures()
    rows = {row["status"]: row for row in shared.summary["by_status"]}
    labels = dict(Plan.Status.choices)
    return [
        {
            "status": status,
            "label": labels[status],
            "count": rows[status]["count"],
            "budget": _amount(rows[status]["budget"]),
            "lbf_grant": _amount(rows[status]["lbf_grant"]),
        }
        for status in LIFECYCLE_ORDER
        if status in rows
    ]


def _area_rows(rows: list[dict]) -> list[dict]:
    """The summary's ``rows`` of areas with the areas' names, read now (reference data),
    by the areas' names."""
    rows = {row["area_id"]: row for row in rows}
    areas = _area_names().filter(pk__in=list(rows))
    return [
        {
            "area_id": area_id,
            "area__name": name,
            "area__district": district,
            "count": rows[area_id]["count"],
            "budget": _amount(rows[area_id]["budget"]),
            "lbf_grant": _amount(rows[area_id]["lbf_grant"]),
        }
        for area_id, name, district in areas
    ]


def plans_by_area(shared: Shared | None = None) -> list[dict]:
    """Per area with plans, by the area's name: plans, budget, LBF grant (the names are
    read now, the figures are the summary's). Every area: the page of all areas."""
    shared = shared or shared_figures(areas=True)
    return _area_rows(shared.by_area)


def front_areas(shared: Shared | None = None) -> dict:
    """The areas the front page lists (``figures.front_areas``: those with the most
    plans), most plans first, and the sums over the other areas (``other``; its
    ``areas`` is 0 when every area is listed)."""
    shared = shared or shared_figures()
    ranked = {row["area_id"]: n for n, row in enumerate(shared.summary["top_areas"])}
    rows = sorted(_area_rows(shared.summary["top_areas"]), key=lambda row: ranked[row["area_id"]])
    other = shared.summary["other_areas"]
    return {
        "rows": rows,
        "other": {
            "areas": other["areas"],
            "count": other["count"],
            "budget": _amount(other["budget"]),
            "lbf_grant": _amount(other["lbf_grant"]),
        },
    }


def plan_totals(shared: Shared | None = None) -> dict:
    """All plans: count, budget, LBF grant, municipal money (granted incl. paid, and
    paid), tenancies, and how many still run."""
    shared = shared or shared_figures()
    summary, rows = shared.summary, shared.summary["by_status"]
    return {
        "count": summary["plan_count"],
        "budget": sum((_amount(row["budget"]) for row in rows), ZERO),
        "lbf_grant": sum((_amount(row["lbf_grant"]) for row in rows), ZERO),
        "committed": _amount(summary["committed"])
        + sum((plan.municipal_committed for plan in shared.missing), ZERO),
        "paid": _amount(summary["paid"])
        + sum((plan.municipal_paid for plan in shared.missing), ZERO),
        "tenancies": summary["tenancies"],
        "running": sum(row["count"] for row in rows if row["status"] not in FINAL_STATUSES),
    }


ATTENTION_SHOWN = figures.ATTENTION_SHOWN  # the summary's lists (figures.attention_rows)
# A row of an attention list: the plan's own columns, its stored money and activity.
ROW_COLUMNS = {
    **{name: f"plan__{name}" for name in figures.PLAN_COLUMNS},
    **{name: name for name in (*figures.MONEY, "last_activity")},
}


def _attention_list(queryset, order: tuple[str, ...], extra: list, key) -> list:
    """The first ATTENTION_SHOWN plans of ``queryset`` (PlanFigures) in ``order``, as
    plan_facts, merged with the plans computed on the fly (``extra``, sorted by ``key``)."""
    rows = queryset.order_by(*order).values_list(*ROW_COLUMNS.values())[:ATTENTION_SHOWN]
    shown = [figures.plan_facts(dict(zip(ROW_COLUMNS, row, strict=True))) for row in rows]
    if extra:
        shown = sorted(shown + extra, key=key)[:ATTENTION_SHOWN]
    return shown


def _stored_facts(row: list, today: date) -> SimpleNamespace:
    """:func:`figures.plan_facts` of a row of the summary's attention lists (as the JSON
    column gives it back: amounts and dates as text)."""
    values = dict(zip(STORED_COLUMNS, row, strict=True))
    # A summary computed just now (not read back) holds the values themselves.
    for name in ("budget", "lbf_grant", *figures.MONEY):
        values[name] = Decimal(values[name])
    if isinstance(values["created_at"], str):
        values["created_at"] = parse_datetime(values["created_at"])
    if isinstance(values["last_activity"], str):
        values["last_activity"] = parse_date(values["last_activity"])
    return figures.plan_facts({name: values[name] for name in ROW_COLUMNS}, today)


# The columns of the summary's attention rows (figures.ATTENTION_COLUMNS), by name.
STORED_COLUMNS = tuple(name.removeprefix("plan__") for name in figures.ATTENTION_COLUMNS)


def _stored_attention(shared: Shared, cutoff: date) -> dict | None:
    """The three lists from the summary, when it covers every plan (no plan without
    stored figures): no query. The summary holds the first ATTENTION_SHOWN running plans
    by activity and of each other list; the stale plans shown are the prefix of the
    first that is quiet since before ``cutoff``, whatever the day."""
    rows = shared.summary.get("attention")
    if rows is None or shared.missing or not shared.with_figures:
        return None
    lists = {name: [_stored_facts(row, shared.today) for row in rows[name]] for name in rows}
    lists["stale"] = [plan for plan in lists["stale"] if plan.active_on < cutoff]
    return lists


def plans_needing_attention(shared: Shared | None = None) -> dict:
    """Running plans (not closed, rejected or withdrawn) that are stale, over budget or
    short of the 25 % local co-financing.

    Over budget: the LBF grant plus the municipal commitments granted or paid plus the
    housing organisation's contribution exceed the plan's budget: more money is promised
    than the plan has planned to spend.

    A large municipality has thousands of plans: the first ATTENTION_SHOWN of each list
    are shown, with the count of all of them. The conditions are decided when a plan's
    figures are stored (``figures.plan_facts``) and indexed, so a list is read in the
    order shown and stops after ATTENTION_SHOWN. Stale depends on the day: its count is
    read now, the other two counts are the summary's.
    """
    shared = shared or shared_figures()
    cutoff = shared.today - timedelta(days=STALE_AFTER_DAYS)
    missing = shared.missing
    extra = {
        "stale": [plan for plan in missing if plan.stale],
        "over_budget": [plan for plan in missing if plan.running and plan.over_budget],
        "missing_cofinancing": [
            plan for plan in missing if plan.running and plan.missing_cofinancing
        ],
    }
    stale = PlanFigures.objects.filter(running=True, active_on__lt=cutoff)
    order = figures.ATTENTION_ORDER
    lists = {
        "stale": (stale, order["stale"], lambda p: (p.active_on, p.name)),
        "over_budget": (
            PlanFigures.objects.filter(running=True, over_budget=True),
            order["over_budget"],
            lambda p: p.name,
        ),
        "missing_cofinancing": (
            PlanFigures.objects.filter(running=True, missing_cofinancing=True),
            order["missing_cofinancing"],
            lambda p: p.name,
        ),
    }
    counts = {
        "stale": 0,
        "over_budget": shared.summary["over_budget_count"] or 0,
        "missing_cofinancing": shared.summary["missing_cofinancing_count"] or 0,
    }
    result = {"stale_after_days": STALE_AFTER_DAYS}
    stored = _stored_attention(shared, cutoff)
    if shared.with_figures:  # depends on the day: counted now unless stored for today
        kept = shared.summary.get("stale") or {}
        if kept.get("cutoff") == cutoff.isoformat():
            counts["stale"] = kept["count"]
        else:
            counts["stale"] = stale.count()
    for name, (queryset, order, key) in lists.items():
        if stored is not None:
            result[name] = stored[name]
        # With no stored figures at all (nothing refreshed yet) there is nothing to read.
        elif shared.with_figures:
            result[name] = _attention_list(queryset, order, extra[name], key)
        else:
            result[name] = sorted(extra[name], key=key)[:ATTENTION_SHOWN]
        result[f"{name}_count"] = counts[name] + len(extra[name])
    return result


def work_queues(*, user) -> dict:
    """Counts for the staff's own queues (secretaries: ready items; caseworkers: own items)."""
    roles = user_roles(user)
    queues = {}
    if SECRETARY in roles:
        queues["ready"] = agenda_items_ready(user=user).count()
    if CASEWORKER in roles:
        queues["mine"] = agenda_items_of_my_administration(user=user).count()
    return queues


def dashboard_get(*, user) -> dict:
    # The figures over all plans are the same for every reader, read from the plans'
    # stored figures (helhedsplaner.dashboard.figures): a few milliseconds, no cache.
    shared = shared_figures(areas=True)
    return {
        "by_status": plans_by_status(shared),
        "by_area": plans_by_area(shared),
        "totals": plan_totals(shared),
        "attention": plans_needing_attention(shared),
        "upcoming": upcoming_meetings(user=user),
        "decisions": recent_decisions(user=user),
        "queues": work_queues(user=user),
        "today": shared.today,
    }
