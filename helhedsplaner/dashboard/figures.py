"""The front page's figures, computed when what they are made of changes, not when read.

Every reader of the front page shares the same figures: per plan, the municipal
commitments and the housing organisation's contribution (``plans_with_money``) and the
date of the latest thing that happened to it (``plans_last_activity``); over all plans,
the counts and sums by status and area. Computed at read time they cost most of a second
at the scale of a large municipality and grew with the data. They are kept instead in
``PlanFigures`` (one row per plan) and ``PlanFiguresSummary`` (one row), and
:func:`refresh` recomputes them after a write has committed. It reuses the selectors
and rules of the status page and the co-financing overviews (``add_money_facts``,
``activity_facts``), so the stored figures mean exactly what those pages show.

Which changes must call :func:`refresh`, and for which plans:

- ``Plan`` created, deleted, or changed in ``status``, ``budget``, ``lbf_grant`` or
  ``area``: that plan (for a deleted plan the call recomputes the summary; its row goes
  with the plan, ``on_delete=CASCADE``).
- ``Estate`` created, deleted, or changed in ``tenancies`` or ``plan``: its plan(s)
  (the summary's tenancies).
- ``CoFinancing`` created, deleted, or changed in ``amount``, ``status``, ``plan`` (the
  old and the new plan) or ``granted_by_item``: its plan(s) (money; last activity is
  the meeting whose decision granted a commitment).
- ``HousingContribution`` created, deleted, or changed in ``amount`` or ``plan``: its
  plan(s).
- ``PlanStatusChange`` created, deleted, or changed in ``date`` or ``plan``: its plan(s).
- ``Plan.agenda_items`` added, removed or cleared, from either side, or an agenda item
  deleted: the plans linked.
- ``AgendaItem.meeting`` changed (placed on, moved to or taken off a meeting): the plans
  linked to the item and the plans whose commitments it granted.
- ``Meeting.starts_at`` changed, or ``Meeting.status`` changed to or from draft: the plans
  linked to the meeting's items and the plans whose commitments those items granted.
- ``Plan.follow_up_groups`` added, removed or cleared, a ``FollowUpGroupMeeting``
  created, deleted or changed in ``date`` or ``group``, a ``FollowUpGroup`` deleted: the
  plans of the group(s).

Nothing else enters. Names (of plans and areas) are read live by the page.

The front page keeps its sections of figures as fragments (``core.fragments``) under the
scope :data:`SCOPE`, which :func:`refresh` raises whenever it writes a plan's row or the
summary: the figures are derived data, so a write that changes none of them (a
commitment's note) leaves those sections cached, and one that changes any of them
renders them afresh. For that the summary also holds what the lists of plans needing
attention show (their first plans with their names: ``attention``), so a plan renamed or
re-budgeted changes the summary when it changes a list.
"""

import functools
import json
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from types import SimpleNamespace

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Subquery, Sum
from django.utils import timezone

from core import pagecache

from ..cofinancing.selectors import add_money_facts, plans_with_money
from ..models import Estate, Plan, PlanFigures, PlanFiguresSummary
from ..status.selectors import (
    FINAL_STATUSES,
    STALE_AFTER_DAYS,
    activity_facts,
    plans_last_activity,
)

# Plans per transaction: keeps the row locks short and the IN lists small.
BATCH = 500
# A plan's own columns that its figures are computed from (and the page shows).
PLAN_COLUMNS = ("pk", "name", "status", "budget", "lbf_grant", "created_at")
MONEY = ("municipal_committed", "municipal_paid", "municipal_proposed", "housing_total")
# The columns of PlanFigures that refresh writes (besides refreshed_at).
FIELDS = (
    *MONEY,
    "local_committed",
    "last_activity",
    "active_on",
    "running",
    "over_budget",
    "missing_cofinancing",
)


# The fragments of the front page that show these figures are kept under this scope.
SCOPE = "figures"
# How many plans each list of plans needing attention shows, and in which order.
ATTENTION_SHOWN = 10
ATTENTION_ORDER = {
    "stale": ("active_on", "plan__name"),
    "over_budget": ("plan__name",),
    "missing_cofinancing": ("plan__name",),
}


# -- a plan's figures ------------------------------------------------------------------------


def plan_facts(values: dict, today: date | None = None) -> SimpleNamespace:
    """A plan's figures and the facts the pages derive from them, by the shared rules.

    ``values``: the plan's PLAN_COLUMNS, its MONEY and ``last_activity`` (the recorded
    date, or None). Adds ``local_committed``, ``requirement_met``, ``local_missing`` and
    the other facts of ``add_money_facts``, ``active_on`` and ``days_since`` (from
    ``activity_facts``), ``stale``, ``running``, ``funding_total``, ``over_by``,
    ``over_budget`` and ``missing_cofinancing``.
    """
    plan = add_money_facts(SimpleNamespace(**values))
    facts = activity_facts(plan, plan.last_activity, today)
    plan.active_on, plan.days_since, plan.stale = (
        facts["last_activity"],
        facts["days_since"],
        facts["stale"],
    )
    plan.running = plan.status not in FINAL_STATUSES
    plan.funding_total = plan.lbf_grant + plan.local_committed
    plan.over_by = plan.funding_total - plan.budget
    plan.over_budget = plan.over_by > 0
    plan.missing_cofinancing = not plan.requirement_met
    return plan


@functools.cache
def _money_rows():
    """The plans' own columns and money, for every plan: built once (its four
    subqueries cost more to build than to run for the one plan a save refreshes).
    Never evaluated itself, only filtered."""
    return plans_with_money(Plan.objects.order_by()).values(*PLAN_COLUMNS, *MONEY)


def compute(plan_ids: Iterable[int], today: date | None = None) -> dict[int, SimpleNamespace]:
    """Plan id -> :func:`plan_facts` from the data as it is now, nothing written (five
    queries whatever the number of plans). Plans that do not exist are left out."""
    ids = list(plan_ids)
    if not ids:
        return {}
    rows = _money_rows().filter(pk__in=ids)
    last = plans_last_activity(plan_ids=ids)
    return {
        row["pk"]: plan_facts({**row, "last_activity": last.get(row["pk"])}, today) for row in rows
    }


def _stored_values(plan: SimpleNamespace) -> dict:
    return {name: getattr(plan, name) for name in FIELDS}


def _lock_plans(ids: list[int]) -> list[int]:
    no_key = {"no_key": True} if connection.features.has_select_for_no_key_update else {}
    return list(
        Plan.objects.select_for_update(**no_key)
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _refresh_rows(ids: list[int]) -> int:
    """Recompute and write the rows of these plans (one transaction); rows written.

    Why two processes refreshing the same plan at once cannot leave old figures behind:
    each refresh runs after the commit of the write that called for it, in a transaction
    of its own that first locks the plans' rows (``FOR NO KEY UPDATE``, in primary-key
    order), then computes, then writes. The locks serialise the refreshes of a plan: the
    second waits until the first has committed. Under READ COMMITTED (PostgreSQL's
    default, and ours) each statement sees what was committed before it started, and the
    computing statements start only once the lock is held. So the last refresh of a plan
    to get its lock (the last to write its row) computes from a snapshot taken after
    every earlier refresh of the plan had got the lock, hence after every write that
    called for one had committed: the row it leaves includes them all. Two refreshes never
    wait for each other in a circle: each takes all its locks in one statement, in the
    same order.

    ``NO KEY`` leaves inserts that merely reference the plan free (a new commitment
    takes a key-share lock on it); an UPDATE or DELETE of the plan waits for the refresh,
    so a plan cannot vanish between the computing and the writing (its row would break
    the foreign key). A plan already gone is skipped. SQLite has no row locks, but it
    lets only one transaction write at a time.
    """
    with transaction.atomic():
        locked = _lock_plans(ids)
        fresh = compute(locked)
        stored = {
            row.pop("plan_id"): row
            for row in PlanFigures.objects.filter(plan_id__in=locked).values("plan_id", *FIELDS)
        }
        # Only rows that changed are written: a refresh that changes nothing writes
        # nothing, and so leaves the page cache's generation where it was.
        now = timezone.now()
        changed = [
            PlanFigures(plan_id=pk, refreshed_at=now, **values)
            for pk, plan in fresh.items()
            if stored.get(pk) != (values := _stored_values(plan))
        ]
        if changed:
            PlanFigures.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["plan"],
                update_fields=[*FIELDS, "refreshed_at"],
            )
        return len(changed)


# -- the figures over all plans ---------------------------------------------------------------


def summarise(today: date | None = None) -> dict:
    """The aggregates of the front page over all plans, from the plans and their stored
    figures as they are now (six queries: one pass over the plans, grouped by status and
    area; one over the stored figures; one over the estates; the three lists).

    ``by_status`` and ``by_area`` count every plan; the money and the counts of plans
    over budget or missing co-financing cover the plans with stored figures
    (``with_figures`` of them). In two parts: ``front``, what the front page shows (of a
    fixed size), and ``by_area``, every area's figures. JSON-ready (amounts as Decimals,
    encoded by DjangoJSONEncoder).
    """
    by_status, by_area = _plans_grouped()
    cutoff = stale_cutoff(today)
    money = PlanFigures.objects.aggregate(
        with_figures=Count("pk"),
        committed=Sum("municipal_committed"),
        paid=Sum("municipal_paid"),
        over_budget_count=Count("pk", filter=Q(running=True, over_budget=True)),
        missing_cofinancing_count=Count("pk", filter=Q(running=True, missing_cofinancing=True)),
        stale_count=Count("pk", filter=Q(running=True, active_on__lt=cutoff)),
    )
    stale = {"cutoff": cutoff.isoformat(), "count": money.pop("stale_count")}
    tenancies = Estate.objects.aggregate(total=Sum("tenancies"))["total"] or 0
    lasts = [row.pop("last") for row in by_status]
    return {
        # What the front page shows, read as one value (a fixed size: the areas with the
        # most plans, the first plans of each list).
        "front": {
            "attention": attention_rows(),
            "plan_count": sum(row["count"] for row in by_status),
            "last_plan_id": max(lasts, default=None),
            "by_status": by_status,
            **front_areas(by_area),
            "tenancies": tenancies,
            "stale": stale,
            **money,
        },
        # Every area (the page of all areas).
        "by_area": by_area,
    }


def _plans_grouped() -> tuple[list[dict], list[dict]]:
    """Count, budget and LBF grant of the plans by status (with the newest plan's id) and
    by area, in status and area order, from one pass over the plans grouped by both (at
    most statuses x areas rows; what two passes, one per grouping, gave)."""
    statuses: dict[str, dict] = {}
    areas: dict[int, dict] = {}
    for status, area_id, count, budget, lbf_grant, last in _plan_groups().all():
        row = statuses.setdefault(
            status, {"status": status, "count": 0, "budget": None, "lbf_grant": None, "last": None}
        )
        _add(row, count, budget, lbf_grant)
        row["last"] = last if row["last"] is None else max(row["last"], last)
        _add(
            areas.setdefault(
                area_id, {"area_id": area_id, "count": 0, "budget": None, "lbf_grant": None}
            ),
            count,
            budget,
            lbf_grant,
        )
    return (
        [statuses[key] for key in sorted(statuses)],
        [areas[key] for key in sorted(areas, key=lambda pk: (pk is None, pk))],
    )


def _add(row: dict, count: int, budget, lbf_grant) -> None:
    """Add a group's sums to ``row``: a sum stays None (as SQL's SUM over no value) until
    a group has one."""
    row["count"] += count
    for name, value in (("budget", budget), ("lbf_grant", lbf_grant)):
        if value is not None:
            row[name] = value if row[name] is None else row[name] + value


@functools.cache
def _plan_groups():
    """The plans grouped by status and area (built once, only copied)."""
    return (
        Plan.objects.order_by()
        .values("status", "area_id")
        .annotate(
            count=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant"), last=Max("pk")
        )
        .values_list("status", "area_id", "count", "budget", "lbf_grant", "last")
    )


# How many areas the front page lists (the rest are summed up in one row).
FRONT_AREAS = 12


def front_areas(by_area: list[dict]) -> dict:
    """The areas the front page lists, those with the most plans (then the largest
    budget), and the sums over the others: so that the front page does not grow with the
    number of areas (a shared installation has hundreds); the page of all areas lists
    every one."""
    ranked = sorted(by_area, key=lambda row: (-row["count"], -(row["budget"] or 0), row["area_id"]))
    shown, rest = ranked[:FRONT_AREAS], ranked[FRONT_AREAS:]
    return {
        "top_areas": shown,
        "other_areas": {
            "areas": len(rest),
            "count": sum(row["count"] for row in rest),
            "budget": sum((row["budget"] or 0 for row in rest), 0),
            "lbf_grant": sum((row["lbf_grant"] or 0 for row in rest), 0),
        },
    }


def stale_cutoff(today: date | None = None) -> date:
    """Running plans with nothing recorded since before this day are stale."""
    return (today or timezone.localdate()) - timedelta(days=STALE_AFTER_DAYS)


def stale_count(today: date | None = None) -> dict:
    """How many running plans are stale today, with the day it holds for: it changes
    with the day as well as with the figures, so the front page counts again on a day
    the summary was not refreshed on."""
    cutoff = stale_cutoff(today)
    count = PlanFigures.objects.filter(running=True, active_on__lt=cutoff).count()
    return {"cutoff": cutoff.isoformat(), "count": count}


def attention_lists() -> dict:
    """The running plans each list of plans needing attention may show, in its order:
    ``{list: queryset of PlanFigures}`` (stale: all running plans, oldest activity first;
    the page shows those of them quiet for longer than the limit, a prefix of this order)."""
    running = PlanFigures.objects.filter(running=True)
    querysets = {
        "stale": running,
        "over_budget": running.filter(over_budget=True),
        "missing_cofinancing": running.filter(missing_cofinancing=True),
    }
    return {name: querysets[name].order_by(*ATTENTION_ORDER[name]) for name in querysets}


# What the attention lists show of a plan: its own columns and its stored figures.
ATTENTION_COLUMNS = (*(f"plan__{name}" for name in PLAN_COLUMNS), *FIELDS)


@functools.cache
def _attention_queries() -> dict:
    """The queries of :func:`attention_rows`, built once (only copied)."""
    return {
        name: queryset.values_list(*ATTENTION_COLUMNS)[:ATTENTION_SHOWN]
        for name, queryset in attention_lists().items()
    }


def attention_rows() -> dict:
    """The first ATTENTION_SHOWN plans of each list with what the page shows of them
    (three queries): part of the summary, so that the summary (and with it :data:`SCOPE`)
    changes whenever a list would show something else."""
    queries = _attention_queries()
    return {name: [list(row) for row in query.all()] for name, query in queries.items()}


def _as_json(data: dict) -> dict:
    """``data`` as it reads back from the JSON column (amounts as strings)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _refresh_summary(*, skip_locked: bool = False) -> tuple[bool, int] | None:
    """Recompute the summary row and write it if it changed (one transaction): whether
    it changed, and the count of summaries asked for (:data:`ASKED`) read once the row
    was locked. With ``skip_locked``, None at once (nothing done) when another process
    holds the row.

    The same argument as for the rows (``_refresh_rows``): the summary row is locked
    before anything is computed, so summaries are computed one after the other, and the
    last one computes after every refresh before it had committed its plans' rows, and
    after every write that called for a refresh had committed. The row is made first if
    it is missing (``ON CONFLICT DO NOTHING``: of two first refreshes, one makes it, the
    other waits for that and then locks it). Only then: the insert is a write, which
    would start a new page cache generation every time.
    """
    now = timezone.now()
    rows = PlanFiguresSummary.objects.select_for_update(skip_locked=skip_locked)
    with transaction.atomic():
        stored = rows.filter(pk=PlanFiguresSummary.ROW).first()
        if stored is None and skip_locked and _summary_exists():
            return None  # somebody else holds it
        if stored is None:
            PlanFiguresSummary.objects.bulk_create(
                [
                    PlanFiguresSummary(
                        pk=PlanFiguresSummary.ROW, plan_count=0, data={}, refreshed_at=now
                    )
                ],
                ignore_conflicts=True,
            )
            stored = rows.filter(pk=PlanFiguresSummary.ROW).first()
            if stored is None:
                return None  # made and held by somebody else (skip_locked only)
        asked = _asked()
        data = _as_json(summarise())
        front = data["front"]
        if stored.data == data and stored.plan_count == front["plan_count"]:
            return False, asked
        stored.plan_count, stored.last_plan_id = front["plan_count"], front["last_plan_id"]
        stored.data, stored.refreshed_at = data, now
        stored.save()
        return True, asked


def _summary_exists() -> bool:
    return PlanFiguresSummary.objects.filter(pk=PlanFiguresSummary.ROW).exists()


# How many summaries were asked for: a counter in the page cache's version table (no page
# is kept under it), raised in a statement of its own before each refresh of the summary.
ASKED = "figures-summary-asked"


def _asked() -> int:
    return pagecache.versions([ASKED])[ASKED]


def refresh_summary() -> bool:
    """Recompute the summary over all plans, or leave it to the process that is doing
    so; whether this call wrote it.

    A write's refresh used to wait for the summary row's lock while another write's
    refresh recomputed it, and then recompute it once more: with writes a few times a
    second the refreshes queued up behind the lock, holding the web server's workers.
    Now a refresh first counts itself (:data:`ASKED`, committed at once), then tries the
    lock without waiting (``SKIP LOCKED``). If another process holds it, this one is
    done: that process reads the count after its commit, finds it raised and computes
    once more, from data committed after this write's plans' rows were. The holder
    loops until the count it read with the lock held is still the count after its
    commit. Why nothing is lost: a refresh that found the row locked had raised the
    count before trying, so before the holder released the lock, so before the
    holder's check; a holder computes only after it has read the count, so from data
    that includes every write whose count it read. Without ``SKIP LOCKED`` (SQLite,
    which lets one transaction write at a time) the refresh waits, as before.
    """
    if not connection.features.has_select_for_update_skip_locked:
        outcome = _refresh_summary()
        return bool(outcome and outcome[0])
    pagecache.raise_now(ASKED)
    wrote = False
    while True:
        outcome = _refresh_summary(skip_locked=True)
        if outcome is None:
            return wrote
        changed, asked = outcome
        wrote |= changed
        if _asked() == asked:
            return wrote


# -- the interface -----------------------------------------------------------------------------


def _without_figures() -> list[int]:
    """The plans that have no stored figures (made by a path that did not refresh).

    None when the stored summary covered every plan there is (one query: the newest
    plan's id is the one it was computed with, and every plan it counted had figures;
    plan ids only grow, and a plan's figures go only with the plan), else a pass over
    the plans: so a write's refresh does not scan every plan each time."""
    covered = (
        PlanFiguresSummary.objects.filter(pk=PlanFiguresSummary.ROW)
        .annotate(newest=Subquery(Plan.objects.order_by("-pk").values("pk")[:1]))
        .values_list("plan_count", "last_plan_id", "newest", "data__front__with_figures")
        .first()
    )
    if covered is not None:
        plan_count, last_plan_id, newest, with_figures = covered
        if last_plan_id == newest and with_figures == plan_count:
            return []
    return list(
        Plan.objects.filter(figures__isnull=True).order_by("pk").values_list("pk", flat=True)
    )


def refresh(plan_ids: Iterable[int]) -> int:
    """Recompute and store the figures of these plans, and then the summary over all plans.

    Call it after the transaction that changed their data has committed, with the plans
    the change concerned (the module docstring lists which); inside that transaction it
    would see uncommitted data and keep the plans locked to its end. Plans that have no
    figures yet (made by a path that did not refresh) are computed too. Ids of plans that
    no longer exist are ignored; ``refresh([])`` recomputes the summary only. Safe to
    call twice, or from two processes at once (``_refresh_rows``, :func:`refresh_summary`).
    A fixed number of queries: one or two to find plans without figures, seven per 500
    plans and nine for the summary (none when another process is computing it, and
    nine more each time that process finds more asked of it), and one more for each
    that changed (nothing is written when nothing changed, so the page cache keeps its
    pages), and one to raise :data:`SCOPE` when anything was written. Returns the number
    of plan rows written.
    """
    ids = sorted(set(plan_ids) | set(_without_figures()))
    written = sum(_refresh_rows(ids[start : start + BATCH]) for start in range(0, len(ids), BATCH))
    if refresh_summary() or written:
        pagecache.touch(SCOPE)
    return written


def refresh_all(*, progress: Callable[[str], None] | None = None) -> int:
    """Recompute every plan's figures in batches, then the summary; rows written."""
    say = progress or (lambda line: None)
    ids = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    total, written = len(ids), 0
    for start in range(0, total, BATCH):
        written += _refresh_rows(ids[start : start + BATCH])
        done = min(start + BATCH, total)
        say(f"  {100 * done // total:3d} %  {done:,} of {total:,} plans")
    if refresh_summary() or written:
        pagecache.touch(SCOPE)
    say(f"  {written:,} of {total:,} plans' figures changed; summary over all plans done")
    return written
