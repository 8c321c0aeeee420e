"""Reads for the dashboard, the politicians' front page: all plans at a glance.

A fixed number of queries whatever the number of plans, items or commitments:
the lists are capped, and the figures are aggregates. The closed-item rule and
the draft rule come from ``cases.selectors``; the 25 % check and the money sums
from ``helhedsplaner.cofinancing.selectors``; staleness from ``helhedsplaner.status.selectors``.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from cases.models import AgendaItem, Attachment
from cases.selectors import (
    agenda_items_of_my_administration,
    agenda_items_ready,
    agenda_items_visible_to,
    mark_visibility,
)
from committees.models import Meeting
from core.roles import CASEWORKER, SECRETARY, user_roles

from ..cofinancing.selectors import COMMITTED, add_money_facts, plans_with_money
from ..models import CoFinancing, Estate, Plan
from ..plans.selectors import LIFECYCLE_ORDER
from ..status.selectors import FINAL_STATUSES, STALE_AFTER_DAYS, activity_facts, plans_last_activity
from .cache import cached

UPCOMING_ITEMS = 20
RECENT_DECISIONS = 8
ZERO = Decimal(0)


@dataclass
class MeetingWithItems:
    meeting: Meeting
    items: list = field(default_factory=list)


def _plan_items(user, queryset):
    """Visible items that concern at least one plan, with their plans, visibility marked."""
    linked = Plan.agenda_items.through.objects.values("agendaitem_id")
    return (
        agenda_items_visible_to(user, queryset.filter(pk__in=linked))
        .select_related("meeting__committee", "case", "decision")
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
        ).order_by("-meeting__starts_at", "meeting__committee__name", "number")[:RECENT_DECISIONS],
    )


def plans_by_status() -> list[dict]:
    rows = {
        row["status"]: row
        for row in Plan.objects.order_by()
        .values("status")
        .annotate(count=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant"))
    }
    labels = dict(Plan.Status.choices)
    return [
        {
            "status": status,
            "label": labels[status],
            "count": rows[status]["count"],
            "budget": rows[status]["budget"] or ZERO,
            "lbf_grant": rows[status]["lbf_grant"] or ZERO,
        }
        for status in LIFECYCLE_ORDER
        if status in rows
    ]


def plans_by_area() -> list[dict]:
    return list(
        Plan.objects.order_by("area__name")
        .values("area_id", "area__name", "area__district")
        .annotate(count=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant"))
    )


def plan_totals() -> dict:
    totals = Plan.objects.aggregate(
        count=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant")
    )
    money = CoFinancing.objects.aggregate(
        committed=Sum("amount", filter=Q(status__in=COMMITTED)),
        paid=Sum("amount", filter=Q(status=CoFinancing.Status.PAID)),
    )
    totals["tenancies"] = Estate.objects.aggregate(total=Sum("tenancies"))["total"] or 0
    totals["running"] = Plan.objects.exclude(status__in=FINAL_STATUSES).count()
    for key in ("budget", "lbf_grant"):
        totals[key] = totals[key] or ZERO
    totals["committed"] = money["committed"] or ZERO
    totals["paid"] = money["paid"] or ZERO
    return totals


ATTENTION_SHOWN = 10


def plans_needing_attention() -> dict:
    """Running plans (not closed, rejected or withdrawn) that are stale, over budget or
    short of the 25 % local co-financing.

    Over budget: the LBF grant plus the municipal commitments granted or paid plus the
    housing organisation's contribution exceed the plan's budget: more money is promised
    than the plan has planned to spend.
    """
    plans = [
        add_money_facts(plan)
        for plan in plans_with_money(
            Plan.objects.exclude(status__in=FINAL_STATUSES).select_related("area")
        ).order_by("name")
    ]
    last = plans_last_activity(plan_ids=None)
    today = timezone.localdate()
    stale, over_budget, missing = [], [], []
    for plan in plans:
        facts = activity_facts(plan, last.get(plan.pk), today)
        plan.last_activity, plan.days_since = facts["last_activity"], facts["days_since"]
        if facts["stale"]:
            stale.append(plan)
        plan.funding_total = plan.lbf_grant + plan.local_committed
        plan.over_by = plan.funding_total - plan.budget
        if plan.over_by > 0:
            over_budget.append(plan)
        if not plan.requirement_met:
            missing.append(plan)
    stale.sort(key=lambda plan: (plan.last_activity, plan.name))
    # A large municipality has thousands of plans: show the first few of each list, with
    # the count of all of them.
    return {
        "stale": stale[:ATTENTION_SHOWN],
        "stale_count": len(stale),
        "over_budget": over_budget[:ATTENTION_SHOWN],
        "over_budget_count": len(over_budget),
        "missing_cofinancing": missing[:ATTENTION_SHOWN],
        "missing_cofinancing_count": len(missing),
        "stale_after_days": STALE_AFTER_DAYS,
    }


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
    # The figures over all plans are the same for every reader: cached, see dashboard_cache.
    figures = cached(
        "figures",
        lambda: {
            "by_status": plans_by_status(),
            "by_area": plans_by_area(),
            "totals": plan_totals(),
            "attention": plans_needing_attention(),
        },
    )
    return {
        **figures,
        "upcoming": upcoming_meetings(user=user),
        "decisions": recent_decisions(user=user),
        "queues": work_queues(user=user),
        "today": timezone.localdate(),
    }
