"""Which cached pages a change to a plan and what belongs to it reaches (core.pagecache).

A plan shows on its own pages (plan page, status page), in the plan list, and by name on
the agenda items that concern it. Its estates, lifecycle steps, commitments, housing
contributions and corrections show on its pages; a commitment also on the item whose
decision granted it (the item's pages: not ``item-facts:N``, the item's own rows, under
which plans' status pages keep its entry). Indicator values show on the status pages
of the plans in their area (and those of the city total on every plan's status page:
``area:city``); a follow-up group's meetings on the pages of the plans it follows. Areas,
indicators, housing organisations, LBF periods and focus areas, policies and goals and
the co-financing pools are reference data. ``FollowUpGroupMeeting`` is the committees
app's model, registered here because only this app knows the plans a group follows.
"""

import logging

from cases.cachescopes import item_facts_scope, item_scopes
from committees.models import FollowUpGroup, FollowUpGroupMeeting
from core import pagecache
from core.pagecache import DATA_PREFIXES, REFERENCE, plan_scope

from .models import (
    Area,
    CoFinancing,
    CoFinancingPool,
    CommitmentCorrection,
    Estate,
    FocusArea,
    HousingContribution,
    HousingOrganisation,
    Indicator,
    IndicatorValue,
    LbfPeriod,
    Plan,
    PlanStatusChange,
    Policy,
    PolicyGoal,
)


def plan_facts_scope(pk) -> str:
    """What a plan's own rows show: the plan, its estates, housing contributions (the
    status page's headline and money section); raised with ``plan:N`` by each of those
    and by everything that raises ``plan-story:N``, never by a commitment or a
    correction."""
    return f"plan-facts:{pk}"


def plan_story_scope(pk) -> str:
    """A plan's story without its items and commitments: its lifecycle steps, its
    follow-up groups' meetings and which agenda items it has (links to items and
    groups). Raised with ``plan:N`` by each of those and when the plan is made, deleted
    or renamed (``others``: its row shows in the story by nothing but its name), never by
    a change of its budget, period or other columns, which the story does not show."""
    return f"plan-story:{pk}"


def plan_estates_scope(pk) -> str:
    """A plan's estates (the status page's headline, with the columns of the plan's row
    that name it: ``facts:N:<digest>``); raised with ``plan:N`` and ``plan-facts:N`` by
    every change of them, and by nothing else."""
    return f"plan-estates:{pk}"


def _plan_and_facts(pk) -> set[str]:
    return {plan_scope(pk), plan_facts_scope(pk)}


def _plan_and_story(pk) -> set[str]:
    return {plan_scope(pk), plan_facts_scope(pk), plan_story_scope(pk)}


def _item_pages(item_ids) -> set[str]:
    """The pages of agenda items that show something of this app's (a plan's name, the
    commitments an item's decision granted): ``item_scopes`` without ``item-facts:N``,
    which stands for the item's own rows (its entry in a plan's story shows nothing of
    these)."""
    item_ids = list(item_ids)
    return item_scopes(item_ids) - {item_facts_scope(pk) for pk in item_ids}


def _of_plans(instances) -> set[str]:
    return {scope for instance in instances for scope in _plan_and_facts(instance.pk)}


# What the pages of the agenda items that concern a plan, and its story, show of its row
# (its name).
PLAN_FIELDS_ON_ITEMS = ("name",)


def _items_of_plans(instances) -> set[str]:
    """The agenda items that concern these plans, and the plans' stories: raised when
    their name changes, and when a plan is made or deleted."""
    ids = [instance.pk for instance in instances]
    linked = Plan.agenda_items.through.objects.filter(plan_id__in=ids)
    return _item_pages(linked.values_list("agendaitem_id", flat=True)) | {
        plan_story_scope(pk) for pk in ids
    }


def _of_plan_parts(instances) -> set[str]:
    return {scope for instance in instances for scope in _plan_and_facts(instance.plan_id)}


def _of_steps(instances) -> set[str]:
    return {scope for instance in instances for scope in _plan_and_story(instance.plan_id)}


# Every estate (the plan list's unfiltered total of tenancies).
ESTATES = "estates"


def _of_estates(instances) -> set[str]:
    return (
        _of_plan_parts(instances)
        | {plan_estates_scope(instance.plan_id) for instance in instances}
        | {ESTATES}
    )


def plan_commitments_scope(pk) -> str:
    """What the status page shows of a plan's commitments (COMMITMENT_FIELDS_SHOWN and
    their status history, for its money section and story); raised with ``plan:N`` by
    a new or deleted commitment of the plan, a save that changes one of those fields,
    and a correction, and by nothing else: a new note leaves it (the page reads the
    commitments' latest change with the plan's row)."""
    return f"plan-commitments:{pk}"


# The columns of a commitment that the status page's commitments fragment holds.
COMMITMENT_FIELDS_SHOWN = (
    "plan_id",
    "year",
    "amount",
    "status",
    "administration_id",
    "pool_id",
    "granted_by_item_id",
)


def _commitments_shown(instances) -> set[str]:
    return {plan_commitments_scope(instance.plan_id) for instance in instances}


def _of_commitment_rows(instances) -> set[str]:
    return {plan_scope(instance.plan_id) for instance in instances}


def _of_commitments(instances) -> set[str]:
    return _of_commitment_rows(instances) | _item_pages(
        instance.granted_by_item_id for instance in instances
    )


def _of_corrections(instances) -> set[str]:
    commitments = {instance.commitment_id for instance in instances}
    plans = CoFinancing.objects.filter(pk__in=commitments).values_list("plan_id", flat=True)
    return {
        scope for pk in plans for scope in (plan_scope(pk), plan_commitments_scope(pk))
    } | _item_pages(instance.decided_by_item_id for instance in instances)


def area_scope(pk) -> str:
    """The indicator values of one area (the status page's indicators section)."""
    return f"area:{pk}"


# The city total's indicator values: every plan's status page compares its area with them.
CITY_INDICATORS = "area:city"


def plan_links_scope(pk) -> str:
    """A plan's many-to-many links (its policy goals and follow-up groups, on its status
    page); raised with ``plan:N`` by every change of them, and by nothing else."""
    return f"plan-links:{pk}"


def _of_indicator_values(instances) -> set[str]:
    areas = {instance.area_id for instance in instances}
    plans = Plan.objects.filter(area_id__in=areas).values_list("pk", flat=True)
    scopes = {plan_scope(pk) for pk in plans} | {area_scope(pk) for pk in areas}
    if Area.objects.filter(pk__in=areas, is_city_total=True).exists():
        scopes.add(CITY_INDICATORS)
    return scopes


def _of_group_meetings(instances) -> set[str]:
    groups = {instance.group_id for instance in instances}
    plans = Plan.follow_up_groups.through.objects.filter(followupgroup_id__in=groups)
    return {
        scope for pk in plans.values_list("plan_id", flat=True) for scope in _plan_and_story(pk)
    }


def _of_groups(instances) -> set[str]:
    """A follow-up group is reference data (named on many pages); the plans it follows
    also show its meetings, which leave with it when it is deleted."""
    return {REFERENCE} | _of_group_meetings(
        [FollowUpGroupMeeting(group_id=instance.pk) for instance in instances]
    )


logger = logging.getLogger(__name__)


def refresh_figures(scopes: set[str], unaccounted: set[str]) -> None:
    """After a commit, before its scopes are raised: the front page's stored figures of
    the plans the write reached (``helhedsplaner.dashboard.figures``). The plan scopes a
    write raises cover every change the figures are made of (that module's docstring
    lists them). A write nobody accounted for may have changed any plan: all of them."""
    from .dashboard import figures

    if any(table.startswith(DATA_PREFIXES) for table in unaccounted):
        logger.warning(
            "Writes to %s were not accounted for (pagecache.changed): "
            "recomputing every plan's figures.",
            ", ".join(sorted(unaccounted)),
        )
        figures.refresh_all()
        return
    plans = [int(scope[5:]) for scope in scopes if scope.startswith("plan:")]
    if plans:
        figures.refresh(plans)


def register() -> None:
    pagecache.register(
        Plan,
        _of_plans,
        others=_items_of_plans,
        others_show=PLAN_FIELDS_ON_ITEMS,
        linked=lambda instances: {
            scope for i in instances for scope in (*_plan_and_story(i.pk), plan_links_scope(i.pk))
        },
    )
    pagecache.register(Estate, _of_estates)
    pagecache.register(PlanStatusChange, _of_steps)
    pagecache.register(HousingContribution, _of_plan_parts)
    pagecache.register(
        CoFinancing,
        _of_commitments,
        others=_commitments_shown,
        others_show=COMMITMENT_FIELDS_SHOWN,
    )
    pagecache.register(CommitmentCorrection, _of_corrections)
    pagecache.register(IndicatorValue, _of_indicator_values)
    pagecache.register(FollowUpGroupMeeting, _of_group_meetings)
    # Registered as reference data by the committees app; only this app knows its plans.
    pagecache.register(FollowUpGroup, _of_groups, follow_moves=False)
    pagecache.after_commit(refresh_figures)
    pagecache.register_reference(
        Area,
        Indicator,
        HousingOrganisation,
        LbfPeriod,
        FocusArea,
        Policy,
        PolicyGoal,
        CoFinancingPool,
    )
