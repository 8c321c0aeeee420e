"""The policy layer for plans and co-financing: each administration writes its own.

- A plan is its **lead administration's** (``Plan.lead_administration``): that
  administration's caseworkers edit the plan, its estates, its housing contributions and
  move it through its lifecycle. Participating administrations read the plan and write
  their own commitments to it, not the plan itself.
- A co-financing commitment is its **administration's** (``CoFinancing.administration``):
  only that administration's caseworkers create, change, grant, pay, withdraw or correct
  it.
- An administrator may grant a caseworker every administration
  (``committees.act_for_all_administrations``); administrators may do everything;
  secretaries and politicians write nothing here.
- Indicators and the plans an agenda item concerns are not scoped per administration:
  indicators are shared reference data (model permissions decide), and an item's plans
  follow the item's own rule (``cases.edit_item``).
- An indicator import (an uploaded file being checked or saved) is its **uploader's**:
  only they (and administrators) follow it, confirm it or run it again; to anybody
  else it does not exist (404).

Asked with the object: ``user.has_perm("helhedsplaner.edit_plan", plan)``.
"""

import rules

from committees.rules import (
    has_an_administration,
    has_model_perms,
    is_administrator,
    is_own_administration_id,
    serves_any_committee,
    serves_group_committee,
)
from core import roles

CREATE_PLAN = ("helhedsplaner.add_plan", "helhedsplaner.add_estate")
EDIT_PLAN = (
    "helhedsplaner.change_plan",
    "helhedsplaner.add_estate",
    "helhedsplaner.change_estate",
    "helhedsplaner.delete_estate",
)
MOVE_PLAN = ("helhedsplaner.change_plan", "helhedsplaner.add_planstatuschange")
EDIT_INDICATORS = ("helhedsplaner.add_indicatorvalue", "helhedsplaner.change_indicatorvalue")


@rules.predicate
def is_lead_administration(user, plan) -> bool:
    return plan is not None and is_own_administration_id(user, plan.lead_administration_id)


@rules.predicate
def is_commitment_administration(user, commitment) -> bool:
    return commitment is not None and is_own_administration_id(user, commitment.administration_id)


@rules.predicate
def is_import_uploader(user, indicator_import) -> bool:
    return indicator_import is not None and indicator_import.uploaded_by_id == user.pk


rules.add_perm(
    "helhedsplaner.create_plan",
    has_model_perms(*CREATE_PLAN) & (is_administrator | has_an_administration),
)
# Edits some plans (the register links such a user to the plan pages, not the status pages).
rules.add_perm(
    "helhedsplaner.edit_plans",
    has_model_perms(*EDIT_PLAN) & (is_administrator | has_an_administration),
)
rules.add_perm(
    "helhedsplaner.edit_plan",
    has_model_perms(*EDIT_PLAN) & (is_administrator | is_lead_administration),
)
rules.add_perm(
    "helhedsplaner.move_plan",
    has_model_perms(*MOVE_PLAN) & (is_administrator | is_lead_administration),
)
rules.add_perm(
    "helhedsplaner.add_housing_contribution",
    has_model_perms("helhedsplaner.add_housingcontribution")
    & (is_administrator | is_lead_administration),
)
rules.add_perm(
    "helhedsplaner.create_commitment",
    has_model_perms("helhedsplaner.add_cofinancing") & (is_administrator | has_an_administration),
)
rules.add_perm(
    "helhedsplaner.change_commitment",
    has_model_perms("helhedsplaner.change_cofinancing")
    & (is_administrator | is_commitment_administration),
)
rules.add_perm(
    "helhedsplaner.correct_commitment",
    has_model_perms("helhedsplaner.change_cofinancing", "helhedsplaner.add_commitmentcorrection")
    & (is_administrator | is_commitment_administration),
)
# Follow, confirm and run again an indicator import (object: an IndicatorImport).
rules.add_perm(
    "helhedsplaner.follow_indicator_import",
    has_model_perms(*EDIT_INDICATORS) & (is_administrator | is_import_uploader),
)


# -- reference data and the common policy (issue 17) --------------------------------------------
# Housing organisations, areas, LBF periods and their focus areas are the administrations'
# own reference data: administrators and caseworkers of an administration maintain them.
# The common policy and its goals are the committees' political policy: the secretariat
# (a secretary of at least one committee) and administrators maintain them. Everybody
# with view access reads both; politicians change neither.


@rules.predicate
def is_caseworker(user) -> bool:
    return roles.CASEWORKER in roles.user_roles(user)


@rules.predicate
def is_secretary(user) -> bool:
    return roles.SECRETARY in roles.user_roles(user)


REFERENCE_MODELS = ("area", "housingorganisation", "lbfperiod", "focusarea", "indicator")
MANAGE_REFERENCE_DATA = tuple(
    f"helhedsplaner.{action}_{model}"
    for model in REFERENCE_MODELS
    for action in ("add", "change", "delete")
)
MANAGE_POLICY = (
    "helhedsplaner.add_policy",
    "helhedsplaner.change_policy",
    "helhedsplaner.add_policygoal",
    "helhedsplaner.change_policygoal",
)

rules.add_perm(
    "helhedsplaner.manage_reference_data",
    has_model_perms(*MANAGE_REFERENCE_DATA)
    & (is_administrator | (is_caseworker & has_an_administration)),
)
rules.add_perm(
    "helhedsplaner.manage_policy",
    has_model_perms(*MANAGE_POLICY) & (is_administrator | (is_secretary & serves_any_committee)),
)


# -- political follow-up groups (issue 17) ------------------------------------------------------
# A formal group (a § 17, stk. 4 committee) is the secretariat's of its own committee or of
# the committee that formed it; an informal group is the whole secretariat's (any
# secretary). Administrators may do everything; caseworkers and politicians read.


@rules.predicate
def is_formal_group(user, group) -> bool:
    return group is not None and group.kind == "formal"


@rules.predicate
def serves_any_secretariat(user) -> bool:
    from committees.selectors import secretary_committee_ids_for_user

    return bool(secretary_committee_ids_for_user(user))


serves_group = (is_formal_group & serves_group_committee) | (
    ~is_formal_group & serves_any_secretariat
)
GROUP_MEMBERS = (
    "committees.add_followupgroupmembership",
    "committees.change_followupgroupmembership",
    "committees.delete_followupgroupmembership",
)
GROUP_MEETINGS = ("committees.add_followupgroupmeeting", "committees.change_followupgroupmeeting")

rules.add_perm(
    "helhedsplaner.create_follow_up_group",
    has_model_perms("committees.add_followupgroup") & (is_administrator | serves_any_secretariat),
)
# Edit the group itself and choose the plans it follows (object: a FollowUpGroup).
rules.add_perm(
    "helhedsplaner.edit_follow_up_group",
    has_model_perms("committees.change_followupgroup") & (is_administrator | serves_group),
)
rules.add_perm(
    "helhedsplaner.manage_follow_up_members",
    has_model_perms(*GROUP_MEMBERS) & (is_administrator | serves_group),
)
rules.add_perm(
    "helhedsplaner.record_follow_up_meeting",
    has_model_perms(*GROUP_MEETINGS) & (is_administrator | serves_group),
)


# -- co-financing pools (issue 17) --------------------------------------------------------------
# A pool is a shared budget the administrations grant from; only administrators set one up,
# change its budget or period, or remove it. Everybody with view access reads it.
rules.add_perm(
    "helhedsplaner.manage_pools",
    has_model_perms("helhedsplaner.add_cofinancingpool", "helhedsplaner.change_cofinancingpool")
    & is_administrator,
)
