"""The issue-17 rules ask the role's model permissions first, as every other rule does:
taking a model permission away from a role group closes the screen to that role, even for
a user the object rule would let in (an administrator narrowing a role in the groups is
obeyed everywhere, not only on the older pages)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core import roles
from tests import factories

pytestmark = pytest.mark.django_db


def _take_away(role: str, app_label: str, codename: str) -> None:
    Group.objects.get(name=role).permissions.remove(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


@pytest.mark.parametrize(
    "route, codename",
    [
        ("reference:area_create", "add_area"),
        ("reference:organisation_create", "change_housingorganisation"),
        ("reference:period_create", "add_lbfperiod"),
    ],
)
def test_reference_data_needs_the_caseworkers_model_permission(
    client_for, caseworker, route, codename
):
    client = client_for(caseworker)
    assert client.get(reverse(route)).status_code == 200
    _take_away(roles.CASEWORKER, "helhedsplaner", codename)
    assert client.get(reverse(route)).status_code == 403
    assert client.post(reverse(route), {"name": "Ny", "code": "NY"}).status_code == 403


def test_the_policy_needs_the_secretarys_model_permission(client_for, secretary):
    goal = factories.policy_goal("Flere i uddannelse og job")
    client = client_for(secretary)
    url = reverse("policy:policy_edit", args=[goal.policy_id])
    assert client.get(url).status_code == 200
    _take_away(roles.SECRETARY, "helhedsplaner", "change_policy")
    assert client.get(url).status_code == 403


def test_committee_mandate_and_memberships_need_the_secretarys_model_permissions(
    client_for, secretary
):
    committee = factories.committee("TMU")
    client = client_for(secretary)
    edit = reverse("committees:committee_edit", args=[committee.slug])
    add_member = reverse("committees:membership_create", args=[committee.slug])
    assert client.get(edit).status_code == 200
    assert client.get(add_member).status_code == 200
    _take_away(roles.SECRETARY, "committees", "add_membership")
    assert client.get(add_member).status_code == 403
    assert client.get(edit).status_code == 200
    _take_away(roles.SECRETARY, "committees", "change_committee")
    assert client.get(edit).status_code == 403


def test_the_roles_hold_the_new_model_permissions():
    def granted(role):
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }

    assert {
        "helhedsplaner.add_indicator",
        "helhedsplaner.change_lbfperiod",
        "helhedsplaner.delete_focusarea",
    } <= granted(roles.CASEWORKER)
    assert {
        "committees.change_committee",
        "committees.add_membership",
        "helhedsplaner.change_policygoal",
    } <= granted(roles.SECRETARY)
    assert "committees.change_committee" not in granted(roles.CASEWORKER)
    assert "helhedsplaner.change_policy" not in granted(roles.POLITICIAN)
