"""Reads for the common policy: its goals, their plans and whether they are funded."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404

from core.history import history_entries

from ..cofinancing.selectors import (
    COMMITTED,
    _percent,
    add_money_facts,
    plans_with_money,
)
from ..models import CoFinancing, HousingContribution, Plan, Policy, PolicyGoal

ZERO = Decimal(0)


def _funding(row: dict) -> dict:
    row["local_share"] = row["budget"] - row["lbf_grant"]
    row["local_committed"] = row["municipal_committed"] + row["housing_total"]
    row["local_committed_percent"] = _percent(row["local_committed"], row["budget"])
    return row


def policies_overview() -> list[Policy]:
    """Every policy with its goals, each goal with plan count and money (four queries)."""
    policies = list(
        Policy.objects.prefetch_related(
            Prefetch("goals", queryset=PolicyGoal.objects.order_by("number"))
        )
    )
    plan_sums = {
        row["policy_goals"]: row
        for row in Plan.objects.filter(policy_goals__isnull=False)
        .order_by()
        .values("policy_goals")
        .annotate(plans=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant"))
    }
    municipal = dict(
        CoFinancing.objects.filter(status__in=COMMITTED, plan__policy_goals__isnull=False)
        .order_by()
        .values("plan__policy_goals")
        .annotate(total=Sum("amount"))
        .values_list("plan__policy_goals", "total")
    )
    housing = dict(
        HousingContribution.objects.filter(plan__policy_goals__isnull=False)
        .order_by()
        .values("plan__policy_goals")
        .annotate(total=Sum("amount"))
        .values_list("plan__policy_goals", "total")
    )
    for policy in policies:
        for goal in policy.goals.all():
            sums = plan_sums.get(goal.pk, {})
            goal.money = _funding(
                {
                    "plans": sums.get("plans", 0),
                    "budget": sums.get("budget") or ZERO,
                    "lbf_grant": sums.get("lbf_grant") or ZERO,
                    "municipal_committed": municipal.get(goal.pk, ZERO),
                    "housing_total": housing.get(goal.pk, ZERO),
                }
            )
    return policies


def policy_goal_get_for_page(*, pk: int, user) -> dict:
    goal = get_object_or_404(PolicyGoal.objects.select_related("policy"), pk=pk)
    plans = [
        add_money_facts(plan)
        for plan in plans_with_money(
            goal.plans.select_related("housing_organisation", "lead_administration")
        ).order_by("name")
    ]
    totals = _funding(
        {
            "plans": len(plans),
            "budget": sum((p.budget for p in plans), ZERO),
            "lbf_grant": sum((p.lbf_grant for p in plans), ZERO),
            "municipal_committed": sum((p.municipal_committed for p in plans), ZERO),
            "municipal_paid": sum((p.municipal_paid for p in plans), ZERO),
            "municipal_proposed": sum((p.municipal_proposed for p in plans), ZERO),
            "housing_total": sum((p.housing_total for p in plans), ZERO),
            "met": sum(1 for p in plans if p.requirement_met),
        }
    )
    return {
        "goal": goal,
        "plans": plans,
        "totals": totals,
        "history": history_entries(PolicyGoal.history.filter(id=goal.pk)),
    }
