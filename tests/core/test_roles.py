import pytest
from django.contrib.auth.models import Group

from core import roles

pytestmark = pytest.mark.django_db


def perms(role):
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_migration_creates_the_four_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


def test_politician_only_reads():
    granted = perms(roles.POLITICIAN)
    assert "helhedsplaner.view_plan" in granted
    assert "cases.view_agendaitem" in granted
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in granted)


def test_caseworker_maintains_plans_but_not_meetings_or_decisions():
    granted = perms(roles.CASEWORKER)
    assert {
        "helhedsplaner.add_plan",
        "helhedsplaner.change_plan",
        "helhedsplaner.add_cofinancing",
        "helhedsplaner.add_indicatorvalue",
        "cases.add_agendaitem",
    } <= granted
    assert "committees.change_meeting" not in granted
    assert "cases.add_decision" not in granted


def test_secretary_builds_meetings_and_records_decisions_but_not_plans():
    granted = perms(roles.SECRETARY)
    assert {
        "committees.add_meeting",
        "committees.change_meeting",
        "cases.add_decision",
        "cases.change_agendaitem",
        "cases.add_attachment",
    } <= granted
    assert "helhedsplaner.change_plan" not in granted


def test_administrator_may_manage_users_and_everything():
    granted = perms(roles.ADMINISTRATOR)
    assert {
        "auth.add_user",
        "auth.change_group",
        "helhedsplaner.delete_plan",
        "committees.change_committee",
    } <= granted


def test_user_permission_follows_group(caseworker, politician):
    assert caseworker.has_perm("helhedsplaner.change_plan")
    assert not politician.has_perm("helhedsplaner.change_plan")
    assert politician.has_perm("helhedsplaner.view_plan")
