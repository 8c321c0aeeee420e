"""Reads for political follow-up groups: what the members read before a meeting."""

from django.db.models import Count, Max, Prefetch
from django.shortcuts import get_object_or_404

from cases.models import AgendaItem
from cases.selectors import agenda_items_visible_to
from committees.models import FollowUpGroup, FollowUpGroupMeeting, FollowUpGroupMembership
from core.history import history_entries

from ..cofinancing.selectors import ITEM_RELATED, add_money_facts, mark_items
from ..cofinancing.selectors import plans_with_money as _plans_with_money
from ..models import Plan

RECENT_DECISIONS = 3


def follow_up_groups_list():
    return (
        FollowUpGroup.objects.select_related("committee", "formed_by")
        .annotate(
            plan_count=Count("plans", distinct=True),
            member_count=Count("memberships", distinct=True),
            last_meeting=Max("meetings__date"),
        )
        .order_by("name")
    )


def follow_up_group_get_for_page(*, pk: int, user) -> dict:
    """The group, its members and meetings, and each followed plan at a glance:
    status, its latest decisions (closed items masked) and money. Fixed queries."""
    group = get_object_or_404(FollowUpGroup.objects.select_related("committee", "formed_by"), pk=pk)
    members = list(
        FollowUpGroupMembership.objects.filter(group=group)
        .select_related("person")
        .order_by("-is_chair", "person__name")
    )
    meetings = list(FollowUpGroupMeeting.objects.filter(group=group).order_by("-date"))
    decided = (
        agenda_items_visible_to(
            user, AgendaItem.objects.filter(meeting__isnull=False, decision__isnull=False)
        )
        .select_related("decision", *ITEM_RELATED)
        .order_by("-meeting__starts_at", "-number")
    )
    plans = list(
        _plans_with_money(group.plans.select_related("housing_organisation", "lbf_period"))
        .prefetch_related(
            Prefetch(
                "agenda_items", queryset=decided[:RECENT_DECISIONS], to_attr="recent_decisions"
            )
        )
        .order_by("name")
    )
    for plan in plans:
        add_money_facts(plan)
    mark_items(user, [item for plan in plans for item in plan.recent_decisions])
    history = history_entries(
        FollowUpGroup.history.filter(id=group.pk),
        FollowUpGroupMembership.history.filter(group_id=group.pk),
        FollowUpGroupMeeting.history.filter(group_id=group.pk),
        hide=("group",),
    )
    return {
        "group": group,
        "members": members,
        "meetings": meetings,
        "plans": plans,
        "history": history,
    }


def follow_up_members(*, group: FollowUpGroup) -> list[FollowUpGroupMembership]:
    """The group's members, the chair first."""
    return list(
        FollowUpGroupMembership.objects.filter(group=group)
        .select_related("person")
        .order_by("-is_chair", "person__name")
    )


def plans_to_follow(*, query: str = ""):
    """The plans a group may follow, narrowed by name (the plans form's filter)."""
    plans = Plan.objects.select_related("area").order_by("name")
    if query:
        plans = plans.filter(name__icontains=query.strip())
    return plans
