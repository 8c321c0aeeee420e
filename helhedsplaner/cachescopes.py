"""Which cached pages a change to a plan and what belongs to it reaches (core.pagecache).

A plan shows on its own pages (plan page, status page), in the plan list, and by name on
the agenda items that concern it. Its estates, lifecycle steps, commitments, housing
contributions and corrections show on its pages; a commitment also on the item whose
decision granted it. Indicator values show on the status pages of the plans in their
area; a follow-up group's meetings on the pages of the plans it follows. Areas,
indicators, housing organisations, LBF periods and focus areas, policies and goals and
the co-financing pools are reference data. ``FollowUpGroupMeeting`` is the committees
app's model, registered here because only this app knows the plans a group follows.
"""

from cases.cachescopes import item_scopes
from committees.models import FollowUpGroupMeeting
from core import pagecache
from core.pagecache import plan_scope

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


def _of_plans(instances) -> set[str]:
    ids = [instance.pk for instance in instances]
    linked = Plan.agenda_items.through.objects.filter(plan_id__in=ids)
    return {plan_scope(pk) for pk in ids} | item_scopes(
        linked.values_list("agendaitem_id", flat=True)
    )


def _of_plan_parts(instances) -> set[str]:
    return {plan_scope(instance.plan_id) for instance in instances}


def _of_commitments(instances) -> set[str]:
    return _of_plan_parts(instances) | item_scopes(
        instance.granted_by_item_id for instance in instances
    )


def _of_corrections(instances) -> set[str]:
    commitments = {instance.commitment_id for instance in instances}
    plans = CoFinancing.objects.filter(pk__in=commitments).values_list("plan_id", flat=True)
    return {plan_scope(pk) for pk in plans} | item_scopes(
        instance.decided_by_item_id for instance in instances
    )


def _of_indicator_values(instances) -> set[str]:
    areas = {instance.area_id for instance in instances}
    plans = Plan.objects.filter(area_id__in=areas).values_list("pk", flat=True)
    return {plan_scope(pk) for pk in plans}


def _of_group_meetings(instances) -> set[str]:
    groups = {instance.group_id for instance in instances}
    plans = Plan.follow_up_groups.through.objects.filter(followupgroup_id__in=groups)
    return {plan_scope(pk) for pk in plans.values_list("plan_id", flat=True)}


def register() -> None:
    pagecache.register(
        Plan, _of_plans, linked=lambda instances: {plan_scope(i.pk) for i in instances}
    )
    for model in (Estate, PlanStatusChange, HousingContribution):
        pagecache.register(model, _of_plan_parts)
    pagecache.register(CoFinancing, _of_commitments)
    pagecache.register(CommitmentCorrection, _of_corrections)
    pagecache.register(IndicatorValue, _of_indicator_values)
    pagecache.register(FollowUpGroupMeeting, _of_group_meetings)
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
