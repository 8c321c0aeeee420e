from datetime import date, timedelta

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from committees.selectors import committee_ids_for_user
from core import roles
from tests import factories

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


def _fresh(user):
    return User.objects.get(pk=user.pk)  # no caches on it yet


def _django_permissions(user) -> set[str]:
    """What Django's own ModelBackend finds, with its own queries."""
    return ModelBackend().get_all_permissions(_fresh(user))


@pytest.mark.parametrize("role", [*roles.ROLES, None])
def test_roles_permissions_and_seats_are_one_query_and_what_django_finds(
    role, django_assert_num_queries
):
    user = factories.user(role, scoped=True)
    user.user_permissions.add(Permission.objects.get(codename="act_for_all_administrations"))
    today = timezone.localdate()
    seated, gone = factories.committee(), factories.committee()
    factories.member(user, seated, start=today - timedelta(days=10))
    factories.member(user, gone, start=date(2001, 1, 1), end=today - timedelta(days=1))
    reader = _fresh(user)
    with django_assert_num_queries(1):  # a permission checked first reads it all
        reader.has_perm("helhedsplaner.view_plan")
        names = roles.user_roles(reader)
        all_permissions = reader.get_all_permissions()
        seats = committee_ids_for_user(reader)
    assert names == ({role} if role else set())
    assert all_permissions == _django_permissions(user)
    assert "committees.act_for_all_administrations" in all_permissions
    assert seats == {seated.pk}
    reader = _fresh(user)
    with django_assert_num_queries(1):  # the roles asked first: with the seats, no permissions
        assert roles.user_roles(reader) == names
        assert committee_ids_for_user(reader) == {seated.pk}
    with django_assert_num_queries(1):
        assert reader.get_all_permissions() == all_permissions
    reader = _fresh(user)
    with django_assert_num_queries(1):  # the menu alone reads the role names only
        assert roles.user_roles(reader, only=True) == names


def test_superuser_has_every_permission_and_is_administrator():
    user = factories.user(None, is_superuser=True)
    reader = _fresh(user)
    assert roles.ADMINISTRATOR in roles.user_roles(reader)
    assert reader.get_all_permissions() == _django_permissions(user)


def test_inactive_user_has_no_permissions_but_keeps_roles():
    user = factories.user(roles.SECRETARY, is_active=False)
    reader = _fresh(user)
    assert roles.user_roles(reader) == {roles.SECRETARY}
    assert reader.get_all_permissions() == set()
    assert not reader.has_perm("cases.add_decision")
