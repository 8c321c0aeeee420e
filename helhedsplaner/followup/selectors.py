"""Reads for political follow-up groups: what the members read before a meeting."""

from django.db.models import Count, Max, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cases.models import AgendaItem
from cases.selectors import agenda_items_visible_to
from committees.models import FollowUpGroup, FollowUpGroupMeeting, FollowUpGroupMembership
from core.history import history_entries

from ..cofinancing.selectors import ITEM_RELATED, add_money_facts, mark_items
from ..cofinancing.selectors import plans_with_money as _plans_with_money
from ..models import Plan
from ..plans.selectors import plan_m2m_history

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
    history += group_plan_changes(group=group)
    history.sort(key=lambda entry: entry["when"], reverse=True)
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


def group_plan_changes(*, group: FollowUpGroup) -> list[dict]:
    """When the group began or stopped following which plans, and who chose it, as entries
    of the group's history tab (the shape of ``core.history.history_entries``).

    The link is tracked on the plan's side (``Plan.follow_up_groups``): each plan history
    row holds the plan's groups then, so a plan was added (or removed) where a row of the
    plan holds the group and its previous one did not (or the other way round). The
    changes one choice made share a moment and a user (``services.follow_up_group_plans_set``)
    and read as one entry. Two queries, however many plans and rows.
    """
    links, group_column = plan_m2m_history("follow_up_groups")
    holding = links.objects.filter(**{group_column: group.pk}).values_list(
        "history_id", "history__id"
    )
    held, plan_ids = set(), set()
    for history_id, plan_id in holding:
        held.add(history_id)
        plan_ids.add(plan_id)
    if not plan_ids:
        return []
    rows = (
        Plan.history.filter(id__in=plan_ids)
        .exclude(history_type="-")
        .select_related("history_user")
        .only("history_id", "id", "name", "history_date", "history_type", "history_user")
        .order_by("history_date", "history_id")
    )
    following: dict[int, bool] = {}
    choices: dict[tuple, dict] = {}
    for row in rows:
        now = row.history_id in held
        if now == following.get(row.id, False):
            continue
        following[row.id] = now
        choice = choices.setdefault(
            (row.history_date, row.history_user_id),
            {"row": row, "added": [], "removed": []},
        )
        choice["added" if now else "removed"].append(row.name)
    entries = []
    for choice in choices.values():
        row, user = choice["row"], choice["row"].history_user
        removed = ", ".join(f"− {name}" for name in sorted(choice["removed"]))
        added = ", ".join(f"+ {name}" for name in sorted(choice["added"]))
        entries.append(
            {
                "when": row.history_date,
                "who": (user.get_full_name() or user.username) if user else _("the system"),
                "what": str(FollowUpGroup._meta.verbose_name).capitalize(),
                "kind": _("Changed"),
                "changes": [(_("Plans followed"), removed or "–", added or "–")],
                "reason": "",
            }
        )
    return entries
