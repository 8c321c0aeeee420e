"""Every route × every role, with the expected HTTP outcome, on the demo data.

The table below is the contract: a route that is not in it fails the test, so a
new view cannot land without someone deciding who may use it. GET is requested
for every route; POST (with an empty body, which must never succeed for a role
without permission) for every route that changes something.

Roles: anonymous, caseworker (BIF), a caseworker of another administration (KFF,
which owns none of the sample objects), secretary (BIU, TMU, ØU), a secretary of
another committee (the demo's KFU secretary), a politician who is a member of TMU
(where the closed item sits), a politician who is not (the demo's BIU member), and
the administrator. The sample plan is led by TMF (so BIF's caseworker may not edit
it), the sample commitment is BIF's, the draft is BIF's, and the item for placing
is a ready item in the secretariat's common queue.

Set MATRIX_PRINT=1 to print the observed table (for reviewing a change).
"""

import os

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from cases.models import AgendaItem, Attachment
from committees.models import (
    Administration,
    CalendarFeed,
    Committee,
    FollowUpGroup,
    Meeting,
    Membership,
    Person,
)
from core import roles
from helhedsplaner.indicators.services import indicator_import_start
from helhedsplaner.models import (
    Area,
    CoFinancing,
    CoFinancingPool,
    FocusArea,
    HousingOrganisation,
    Indicator,
    LbfPeriod,
    Plan,
    PolicyGoal,
)
from tests.urlwalk import _walk

ROLES = (
    "anonymous",
    "caseworker",
    "caseworker_other",
    "secretary",
    "secretary_other",
    "member",
    "nonmember",
    "admin",
)

# route name (or name#variant) -> (GET codes, POST codes or None), in ROLES order.
# "L" = redirect to the login page; other values are status codes.
EXPECTED = {
    "home": ("L 200 200 200 200 200 200 200", None),
    "plans_by_area": ("L 200 200 200 200 200 200 200", None),
    "login": ("200 200 200 200 200 200 200 200", None),
    "logout": ("L 405 405 405 405 405 405 405", None),
    "accessibility": ("200 200 200 200 200 200 200 200", None),
    "set_language": ("302 302 302 302 302 302 302 302", None),
    # cases
    "cases:case_list": ("L 200 200 200 200 200 200 200", None),
    "cases:case_detail": ("L 200 200 200 200 200 200 200", None),
    "cases:case_history": ("L 200 200 200 200 200 200 200", None),
    "cases:item_create": ("L 200 200 200 200 403 403 200", "L 200 200 200 200 403 403 200"),
    "cases:ready_items": ("L 403 403 200 200 403 403 200", None),
    "cases:my_items": ("L 200 200 200 200 403 403 403", None),
    "cases:item_detail": ("L 200 200 200 200 200 200 200", None),
    "cases:item_detail#closed": ("L 200 200 200 200 200 200 200", None),
    "cases:item_edit": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "cases:item_edit#draft": ("L 200 404 404 404 403 403 200", "L 200 404 404 404 403 403 200"),
    "cases:item_mark_ready": ("L 405 405 405 405 405 405 405", "L 403 403 302 403 403 403 302"),
    "cases:item_schedule#ready": ("L 403 403 200 200 403 403 200", "L 403 403 200 200 403 403 200"),
    "cases:item_return#ready": ("L 403 403 200 200 403 403 200", "L 403 403 200 200 403 403 200"),
    "cases:item_unschedule": ("L 405 405 405 405 405 405 405", "L 403 403 302 403 403 403 302"),
    "cases:item_move": ("L 405 405 405 405 405 405 405", "L 403 403 302 403 403 403 302"),
    "cases:attachment_create": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "cases:decision_record": ("L 403 403 302 403 403 403 302", "L 403 403 302 403 403 403 302"),
    "cases:item_correct": ("L 403 403 200 403 403 403 200", "L 403 403 404 403 403 403 404"),
    "cases:item_send_on": ("L 403 403 200 403 403 403 200", "L 403 403 403 403 403 403 302"),
    "cases:decision_correct": ("L 403 403 404 403 403 403 404", "L 403 403 404 403 403 403 404"),
    # The sample item has no decision (404 for those who may read a decision's history).
    "cases:decision_history": ("L 403 403 404 403 403 403 404", None),
    "cases:attachment_download": ("L 200 200 200 200 200 200 200", None),
    "cases:attachment_download#closed": ("L 404 404 200 404 200 404 200", None),
    "agenda_item_plans": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    # meetings and committees
    "meetings:meeting_list": ("L 200 200 200 200 200 200 200", None),
    "meetings:meeting_create": ("L 403 403 200 200 403 403 200", "L 403 403 200 200 403 403 200"),
    # The year's meeting plan: any serving secretary (for their own committees) and admins.
    "meetings:meeting_plan": ("L 403 403 200 200 403 403 200", "L 403 403 200 200 403 403 200"),
    # History tabs: the meeting's secretariat and administrators only.
    "meetings:meeting_history": ("L 403 403 200 403 403 403 200", None),
    "meetings:meeting_detail": ("L 200 200 200 200 200 200 200", None),
    "meetings:meeting_edit": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "meetings:meeting_publish": ("L 405 405 405 405 405 405 405", "L 403 403 302 403 403 403 302"),
    "meetings:meeting_mark_held": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 302 403 403 403 302",
    ),
    "meetings:meeting_minutes_approve": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 302 403 403 403 302",
    ),
    "meetings:meeting_group_closed_last": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 302 403 403 403 302",
    ),
    "meetings:meeting_absences": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "meetings:inquiry_create": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "committees:committee_list": ("L 200 200 200 200 200 200 200", None),
    "committees:committee_detail": ("L 200 200 200 200 200 200 200", None),
    # Committees, people and memberships (issue 17): administrators set up committees and
    # people; the committee's own secretariat (TMU) keeps its mandate and its memberships.
    "committees:committee_history": ("L 200 200 200 200 200 200 200", None),
    "committees:committee_create": (
        "L 403 403 403 403 403 403 200",
        "L 403 403 403 403 403 403 200",
    ),
    # POST: an empty mandate is a valid mandate for the secretariat's form.
    "committees:committee_edit": ("L 403 403 200 403 403 403 200", "L 403 403 302 403 403 403 200"),
    "committees:committee_end": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 200"),
    "committees:membership_create": (
        "L 403 403 200 403 403 403 200",
        "L 403 403 200 403 403 403 200",
    ),
    "committees:membership_edit": (
        "L 403 403 200 403 403 403 200",
        "L 403 403 200 403 403 403 200",
    ),
    "committees:membership_end": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "committees:person_list": ("L 200 200 200 200 200 200 200", None),
    "committees:person_history": ("L 200 200 200 200 200 200 200", None),
    "committees:person_create": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 200"),
    "committees:person_edit": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 200"),
    # Administrations (issue 17): read by every role, kept by administrators only.
    "committees:administration_list": ("L 200 200 200 200 200 200 200", None),
    "committees:administration_create": (
        "L 403 403 403 403 403 403 200",
        "L 403 403 403 403 403 403 400",
    ),
    "committees:administration_history": ("L 200 200 200 200 200 200 200", None),
    "committees:administration_edit": (
        "L 403 403 403 403 403 403 200",
        "L 403 403 403 403 403 403 400",
    ),
    "committees:administration_remove": (
        "L 403 403 403 403 403 403 200",
        "L 403 403 403 403 403 403 200",
    ),
    # Users and roles (issue 17): administrators only; the sample login is KFF's caseworker.
    # POST: an empty form is refused with its errors (400); ending and reactivating need none.
    "users:user_list": ("L 403 403 403 403 403 403 200", None),
    "users:user_create": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 400"),
    "users:user_history": ("L 403 403 403 403 403 403 200", None),
    "users:user_edit": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 400"),
    "users:user_password": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 400"),
    "users:user_deactivate": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 302"),
    "users:user_reactivate": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 302"),
    # pdf
    # POST: have a PDF made again (after a failure): the meeting's secretariat only.
    "pdf:meeting_agenda": ("L 200 200 200 200 200 200 200", "L 403 403 302 403 403 403 302"),
    "pdf:meeting_package": ("L 200 200 200 200 200 200 200", "L 403 403 302 403 403 403 302"),
    # A published version's agenda (version 1 of the seed meeting); the POST asks again.
    "pdf:meeting_version_agenda": (
        "L 200 200 200 200 200 200 200",
        "L 403 403 302 403 403 403 302",
    ),
    "pdf:meeting_minutes": ("L 404 404 404 404 404 404 404", None),
    "pdf:agenda_item": ("L 200 200 200 200 200 200 200", None),
    "pdf:agenda_item#closed": ("L 200 200 200 200 200 200 200", None),
    # plans
    "helhedsplaner:plan_list": ("L 200 200 200 200 200 200 200", None),
    "helhedsplaner:plan_create": ("L 200 200 403 403 403 403 200", "L 200 200 403 403 403 403 200"),
    "helhedsplaner:plan_detail": ("L 200 200 200 200 200 200 200", None),
    "helhedsplaner:plan_edit": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 200"),
    "helhedsplaner:plan_transition": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 403 403 403 403 400",
    ),
    "planstatus:plan_status": ("L 200 200 200 200 200 200 200", None),
    "planstatus:plan_status_pdf": (
        "L 200 200 200 200 200 200 200",
        "L 302 302 302 302 302 302 302",
    ),
    "helhedsplaner:plan_history": ("L 200 200 200 200 200 200 200", None),
    "helhedsplaner:indicator_register": (
        "L 200 200 403 403 403 403 200",
        "L 200 200 403 403 403 403 200",
    ),
    "helhedsplaner:indicator_import": (
        "L 200 200 403 403 403 403 200",
        "L 400 400 403 403 403 403 400",
    ),
    # Plans from a spreadsheet: for those who may register plans; without a file in the
    # session the later steps send back to the upload.
    "helhedsplaner:plan_import": (
        "L 200 200 403 403 403 403 200",
        "L 400 400 403 403 403 403 400",
    ),
    "helhedsplaner:plan_import_mapping": (
        "L 302 302 403 403 403 403 302",
        "L 302 302 403 403 403 403 302",
    ),
    "helhedsplaner:plan_import_preview": ("L 302 302 403 403 403 403 302", None),
    "helhedsplaner:plan_import_commit": (
        "L 405 405 405 405 405 405 405",
        "L 302 302 403 403 403 403 302",
    ),
    # An import is its uploader's (the caseworker's): others who may import get 404.
    "helhedsplaner:indicator_import_job": ("L 200 404 403 403 403 403 200", None),
    "helhedsplaner:indicator_import_confirm": (
        "L 405 405 405 405 405 405 405",
        "L 302 404 403 403 403 403 302",
    ),
    "helhedsplaner:indicator_import_retry": (
        "L 405 405 405 405 405 405 405",
        "L 302 404 403 403 403 403 302",
    ),
    "helhedsplaner:indicator_import_map": (
        "L 405 405 405 405 405 405 405",
        "L 302 404 403 403 403 403 302",
    ),
    "helhedsplaner:indicator_import_columns": (
        "L 405 405 405 405 405 405 405",
        "L 302 404 403 403 403 403 302",
    ),
    # co-financing, follow-up groups, policy
    "cofinancing:commitment_list": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:commitment_create": (
        "L 200 200 403 403 403 403 200",
        "L 200 200 403 403 403 403 200",
    ),
    "cofinancing:commitment_detail": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:commitment_edit": (
        "L 200 403 403 403 403 403 200",
        "L 200 403 403 403 403 403 200",
    ),
    "cofinancing:commitment_grant": (
        "L 200 403 403 403 403 403 200",
        "L 200 403 403 403 403 403 200",
    ),
    "cofinancing:commitment_mark_paid": (
        "L 405 405 405 405 405 405 405",
        "L 302 403 403 403 403 403 302",
    ),
    "cofinancing:commitment_withdraw": (
        "L 200 403 403 403 403 403 200",
        "L 200 403 403 403 403 403 200",
    ),
    "cofinancing:commitment_correct": (
        "L 200 403 403 403 403 403 200",
        "L 200 403 403 403 403 403 200",
    ),
    "cofinancing:item_commitments": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:plan_detail": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:housing_contribution_create": (
        "L 403 403 403 403 403 403 200",
        "L 403 403 403 403 403 403 200",
    ),
    "cofinancing:pool_detail": ("L 200 200 200 200 200 200 200", None),
    # Pools are the administrators' (helhedsplaner.manage_pools); everybody reads the history.
    "cofinancing:pool_create": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 200"),
    "cofinancing:pool_edit": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 200"),
    "cofinancing:pool_history": ("L 200 200 200 200 200 200 200", None),
    # The demo pool has commitments: the confirm page says why it stays (an empty POST
    # confirms nothing).
    "cofinancing:pool_remove": ("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 200"),
    "cofinancing:overview_administrations": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_administrations_xlsx": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_administrations_csv": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_plans": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_plans_xlsx": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_plans_csv": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_years": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_years_xlsx": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_years_csv": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_pools": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_pools_xlsx": ("L 200 200 200 200 200 200 200", None),
    "cofinancing:overview_pools_csv": ("L 200 200 200 200 200 200 200", None),
    "followup:group_list": ("L 200 200 200 200 200 200 200", None),
    "followup:group_detail": ("L 200 200 200 200 200 200 200", None),
    "followup:meeting_create": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "followup:group_create": ("L 403 403 200 200 403 403 200", "L 403 403 200 200 403 403 200"),
    "followup:group_edit": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "followup:members": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "followup:member_remove": ("L 405 405 405 405 405 405 405", "L 403 403 302 403 403 403 302"),
    "followup:member_make_chair": (
        "L 405 405 405 405 405 405 405",
        "L 403 403 302 403 403 403 302",
    ),
    "followup:group_plans": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "followup:meeting_edit": ("L 403 403 200 403 403 403 200", "L 403 403 200 403 403 403 200"),
    "policy:policy_overview": ("L 200 200 200 200 200 200 200", None),
    "policy:goal_detail": ("L 200 200 200 200 200 200 200", None),
    "policy:goal_edit": ("L 403 403 200 200 403 403 200", "L 403 403 400 400 403 403 400"),
    "policy:policy_create": ("L 403 403 200 200 403 403 200", "L 403 403 400 400 403 403 400"),
    "policy:policy_edit": ("L 403 403 200 200 403 403 200", "L 403 403 400 400 403 403 400"),
    "policy:policy_history": ("L 200 200 200 200 200 200 200", None),
    "policy:policy_goal_create": ("L 403 403 200 200 403 403 200", "L 403 403 400 400 403 403 400"),
    "policy:policy_goals_renumber": (
        "L 403 403 200 200 403 403 200",
        "L 403 403 400 400 403 403 400",
    ),
    # reference data (issue 17): read by all, changed by caseworkers and administrators
    "reference:index": ("L 200 200 200 200 200 200 200", None),
    "reference:organisation_list": ("L 200 200 200 200 200 200 200", None),
    "reference:organisation_create": (
        "L 200 200 403 403 403 403 200",
        "L 400 400 403 403 403 403 400",
    ),
    "reference:organisation_edit": (
        "L 200 200 403 403 403 403 200",
        "L 400 400 403 403 403 403 400",
    ),
    "reference:organisation_history": ("L 200 200 200 200 200 200 200", None),
    "reference:organisation_remove": (
        "L 200 200 403 403 403 403 200",
        "L 200 200 403 403 403 403 200",
    ),
    "reference:area_list": ("L 200 200 200 200 200 200 200", None),
    "reference:area_create": ("L 200 200 403 403 403 403 200", "L 400 400 403 403 403 403 400"),
    "reference:area_edit": ("L 200 200 403 403 403 403 200", "L 400 400 403 403 403 403 400"),
    "reference:area_history": ("L 200 200 200 200 200 200 200", None),
    "reference:area_remove": ("L 200 200 403 403 403 403 200", "L 200 200 403 403 403 403 200"),
    "reference:period_list": ("L 200 200 200 200 200 200 200", None),
    "reference:period_detail": ("L 200 200 200 200 200 200 200", None),
    "reference:period_create": ("L 200 200 403 403 403 403 200", "L 400 400 403 403 403 403 400"),
    "reference:period_edit": ("L 200 200 403 403 403 403 200", "L 400 400 403 403 403 403 400"),
    "reference:period_history": ("L 200 200 200 200 200 200 200", None),
    "reference:period_remove": ("L 200 200 403 403 403 403 200", "L 200 200 403 403 403 403 200"),
    "reference:period_focus_area_create": (
        "L 405 405 405 405 405 405 405",
        "L 400 400 403 403 403 403 400",
    ),
    "reference:focus_area_edit": ("L 200 200 403 403 403 403 200", "L 400 400 403 403 403 403 400"),
    "reference:focus_area_remove": (
        "L 200 200 403 403 403 403 200",
        "L 200 200 403 403 403 403 200",
    ),
    "reference:indicator_list": ("L 200 200 200 200 200 200 200", None),
    "reference:indicator_create": (
        "L 200 200 403 403 403 403 200",
        "L 400 400 403 403 403 403 400",
    ),
    "reference:indicator_edit": (
        "L 200 200 403 403 403 403 200",
        "L 400 400 403 403 403 403 400",
    ),
    "reference:indicator_history": ("L 200 200 200 200 200 200 200", None),
    "reference:indicator_remove": (
        "L 200 200 403 403 403 403 200",
        "L 200 200 403 403 403 403 200",
    ),
    # search and calendars
    "search": ("L 200 200 200 200 200 200 200", None),
    "calendar_settings": ("L 200 200 200 200 200 200 200", None),
    "calendar_renew": ("L 405 405 405 405 405 405 405", "L 302 302 302 302 302 302 302"),
    "calendar_mine": ("200 200 200 200 200 200 200 200", None),
    "calendar_committee": ("200 200 200 200 200 200 200 200", None),
}


def route_names() -> set[str]:
    from django.urls import get_resolver

    return {
        name for name, route in _walk(get_resolver().url_patterns) if not route.startswith("admin/")
    }


def test_every_route_has_an_entry():
    documented = {key.split("#")[0] for key in EXPECTED}
    missing = route_names() - documented
    assert not missing, f"routes without an entry in the permission matrix: {sorted(missing)}"
    stale = documented - route_names()
    assert not stale, f"entries for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(db):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    users = {
        "caseworker": User.objects.get(username="sagsbehandler"),
        "secretary": User.objects.get(username="sekretaer"),
        "nonmember": User.objects.get(username="politiker"),
        "admin": User.objects.get(username="admin"),
        "secretary_other": User.objects.get(username="sekretaer-kfu"),
    }
    roles.ensure_roles()
    other = User.objects.create_user("sagsbehandler-kff", password="pw")
    other.groups.add(roles_group(roles.CASEWORKER))
    Person.objects.create(
        name="KFF-sagsbehandler",
        user=other,
        administration=Administration.objects.get(code="KFF"),
    )
    users["caseworker_other"] = other
    member = User.objects.create_user("politiker-tmu", password="pw")
    roles.ensure_roles()
    member.groups.add(roles_group(roles.POLITICIAN))
    person = Person.objects.create(name="TMU-medlem", party="Venstre (V)", user=member)
    Membership.objects.create(
        person=person, committee=Committee.objects.get(short_name="TMU"), start_date="2006-01-01"
    )
    users["member"] = member

    seed_item = AgendaItem.objects.get(case__number="2009-68440", number=18)
    closed_item = AgendaItem.objects.filter(is_closed=True).first()
    closed_attachment = Attachment(
        item=closed_item,
        position=1,
        title="Fortrolig vurdering",
        is_closed=True,
        original_filename="vurdering.pdf",
        content_type="application/pdf",
    )
    closed_attachment.file.save("vurdering.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    draft = AgendaItem.objects.create(
        case=seed_item.case,
        title="Udkast fra BIF",
        status=AgendaItem.Status.DRAFT,
        recommending_administration=seed_item.recommending_administration,
    )
    commitment = CoFinancing.objects.filter(
        status=CoFinancing.Status.PROPOSED, administration__code="BIF"
    ).first()
    ready = AgendaItem.objects.create(
        case=seed_item.case,
        title="Klar til placering",
        status=AgendaItem.Status.READY,
        recommending_administration=seed_item.recommending_administration,
    )
    area, indicator = Area.objects.first(), Indicator.objects.first()
    indicator_import = indicator_import_start(  # checked at once (the immediate backend)
        upload=ContentFile(
            f"område;indikator;år;værdi\n{area.code};{indicator.code};2024;12,5\n".encode(),
            name="indikatorer.csv",
        ),
        user=users["caseworker"],
    )
    group_members = FollowUpGroup.objects.first().memberships.filter(is_chair=False)
    objects = {
        "item": seed_item.pk,
        "item#closed": closed_item.pk,
        "item#draft": draft.pk,
        "item#ready": ready.pk,
        "attachment": seed_item.attachments.first().pk,
        "attachment#closed": closed_attachment.pk,
        "case": "2009-68440",
        "meeting": seed_item.meeting_id,
        "plan": Plan.objects.get(name="Helhedsplan Tingbjerg 2019").pk,
        "commitment": commitment.pk,
        "pool": CoFinancingPool.objects.first().pk,
        "group": FollowUpGroup.objects.first().pk,
        "groupmember": group_members[0].pk,
        "groupmember#chair": group_members[1].pk,
        "groupmeeting": FollowUpGroup.objects.first().meetings.first().pk,
        "goal": PolicyGoal.objects.first().pk,
        "policy": PolicyGoal.objects.first().policy_id,
        "organisation": HousingOrganisation.objects.first().pk,
        "referencearea": Area.objects.first().pk,
        "period": LbfPeriod.objects.first().pk,
        "focusarea": FocusArea.objects.first().pk,
        "indicator": indicator.pk,
        "administration": Administration.objects.get(code="BIF").pk,
        "committee": "tmu",
        "membership": Membership.objects.filter(
            committee__short_name="TMU", role=Membership.Role.MEMBER, end_date__isnull=True
        )
        .order_by("pk")
        .first()
        .pk,
        "person": Person.objects.filter(party="Venstre (V)").order_by("pk").first().pk,
        "user": users["caseworker_other"].pk,
        "indicatorimport": indicator_import.pk,
    }
    return users, objects


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)


def path_for(key: str, objects: dict, token: str) -> str:
    name, _, variant = key.partition("#")
    if name in ("calendar_mine",):
        return reverse(name, args=[token])
    if name == "pdf:meeting_version_agenda":
        return reverse(name, args=[objects["meeting"], 1])
    if name == "calendar_committee":
        return reverse(name, args=[token, "tmu"])
    if name == "committees:committee_detail":
        return reverse(name, args=["tmu"])
    if name.startswith("cases:case_"):
        if name == "cases:case_list":
            return reverse(name)
        return reverse(name, args=[objects["case"]])
    kinds = {
        "committees:committee_": "committee",
        "committees:membership_create": "committee",
        "committees:membership_": "membership",
        "committees:person_": "person",
        "users:user_": "user",
        "cases:attachment_download": "attachment",
        "meetings:": "meeting",
        "pdf:meeting": "meeting",
        "pdf:agenda_item": "item",
        "cases:": "item",
        "agenda_item_plans": "item",
        "cofinancing:item_commitments": "item",
        "cofinancing:plan_detail": "plan",
        "cofinancing:housing_contribution_create": "plan",
        "cofinancing:pool_": "pool",
        "cofinancing:commitment_": "commitment",
        "helhedsplaner:plan_": "plan",
        "followup:member_remove": "groupmember",
        "followup:member_make_chair": "groupmember#chair",
        "followup:meeting_edit": "groupmeeting",
        "followup:": "group",
        "planstatus:": "plan",
        "policy:goal": "goal",
        "policy:policy_": "policy",
        "reference:organisation_": "organisation",
        "reference:area_": "referencearea",
        "reference:period_": "period",
        "reference:focus_area_": "focusarea",
        "reference:indicator_": "indicator",
        "committees:administration_": "administration",
        "helhedsplaner:indicator_import_": "indicatorimport",
    }
    try:
        return reverse(name)
    except Exception:  # noqa: BLE001 - needs an argument: find which
        pass
    for prefix, kind in kinds.items():
        if name.startswith(prefix):
            lookup = f"{kind}#{variant}" if variant and f"{kind}#{variant}" in objects else kind
            return reverse(name, args=[objects[lookup]])
    raise AssertionError(f"no sample object for {key}")


def outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "L"
    return str(response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    users, objects = world
    user = users.get(role)
    token_owner = user or users["nonmember"]
    token = CalendarFeed.objects.get_or_create(user=token_owner)[0].token
    if user:
        client.force_login(user)
    index = ROLES.index(role)
    observed, wrong = {}, []
    for key, (get_codes, _post) in EXPECTED.items():
        path = path_for(key, objects, token)
        got = outcome(client.get(path))
        observed[key] = [got, None]
        if got != get_codes.split()[index]:
            wrong.append(f"GET {key} {path}: expected {get_codes.split()[index]}, got {got}")
    for key, (_get, post_codes) in EXPECTED.items():
        if post_codes is None:
            continue
        path = path_for(key, objects, token)
        got = outcome(client.post(path, {}))
        observed[key][1] = got
        if got != post_codes.split()[index]:
            wrong.append(f"POST {key} {path}: expected {post_codes.split()[index]}, got {got}")
    if os.environ.get("MATRIX_PRINT"):
        print(f"\n## {role}")
        for key, (get, post) in observed.items():
            print(f"{key}\t{get}\t{post or ''}")
    assert not wrong, "\n".join(wrong)


def test_draft_meeting_is_not_readable_by_politicians(client, world):
    users, objects = world
    meeting = Meeting.objects.filter(status=Meeting.Status.DRAFT).first()
    client.force_login(users["nonmember"])
    assert client.get(reverse("pdf:meeting_agenda", args=[meeting.pk])).status_code == 404


def test_every_form_is_protected_by_csrf(world):
    """A POST without the CSRF token is refused on every route that accepts POST."""
    from django.test import Client

    users, objects = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    token = CalendarFeed.objects.get_or_create(user=users["admin"])[0].token
    unprotected = []
    for key, (_get, post_codes) in EXPECTED.items():
        if post_codes is None:
            continue
        path = path_for(key, objects, token)
        if client.post(path, {}).status_code != 403:
            unprotected.append(path)
    assert unprotected == []


def test_every_page_form_carries_the_csrf_token(client, world):
    """Every POST form on the GET pages the administrator can open carries the token."""
    import re

    users, objects = world
    client.force_login(users["admin"])
    token = CalendarFeed.objects.get_or_create(user=users["admin"])[0].token
    missing = []
    for key, (get_codes, _post) in EXPECTED.items():
        if get_codes.split()[ROLES.index("admin")] != "200":
            continue
        path = path_for(key, objects, token)
        response = client.get(path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        for form in re.findall(
            r"<form[^>]*method=\"post\"[^>]*>.*?</form>",
            response.content.decode(),
            flags=re.S | re.I,
        ):
            if "csrfmiddlewaretoken" not in form:
                missing.append(f"{path}: {form[:80]}")
    assert missing == []
