"""The policy layer for the political machinery: who may act on which committee's meetings.

Every "may this user do this to this object" question about meetings is answered here,
with django-rules predicates, and asked the same way by views, form choice lists and
templates (``user.has_perm("committees.manage_meeting", meeting)``), so a button is shown
exactly when the server would accept the post.

- A **secretary** acts on the meetings of the committees they serve: a membership with
  the secretary role, today within its period. The secretary role group alone is not
  enough.
- A **caseworker** acts for their own administration (``Person.administration``); an
  administrator may grant a caseworker every administration with the permission
  ``committees.act_for_all_administrations``.
- **Politicians** write nothing; **administrators** may do everything.

Model permissions (the role groups, ``core/roles.py``) are still required first: an
object rule only ever narrows what the role allows.
"""

import rules

from core.roles import is_administrator as _is_administrator

from .selectors import administration_id_for_user, secretary_committee_ids_for_user


@rules.predicate
def is_administrator(user) -> bool:
    return _is_administrator(user)


def has_model_perms(*perms: str):
    """A predicate: the user's role grants every one of ``perms`` (model permissions)."""

    def check(user) -> bool:
        return user.is_authenticated and user.has_perms(perms)

    return rules.predicate(check, name=f"has_model_perms({', '.join(perms)})")


@rules.predicate
def serves_any_committee(user) -> bool:
    """The user is a committee secretary today (of at least one committee)."""
    return bool(secretary_committee_ids_for_user(user))


def committee_id_of(target) -> int | None:
    """The committee a meeting, a committee or an agenda item (through its meeting) is in."""
    if target is None:
        return None
    if hasattr(target, "committee_id"):  # a meeting
        return target.committee_id
    if hasattr(target, "meeting_id"):  # an agenda item (or anything placed on a meeting)
        return target.meeting.committee_id if target.meeting_id else None
    return target.pk  # a committee


@rules.predicate
def serves_committee(user, target) -> bool:
    """The user is today a secretary of the committee of ``target`` (a committee, a meeting
    or an item on a meeting)."""
    committee_id = committee_id_of(target)
    return committee_id is not None and committee_id in secretary_committee_ids_for_user(user)


@rules.predicate
def acts_for_all_administrations(user) -> bool:
    return user.is_authenticated and user.has_perm("committees.act_for_all_administrations")


def is_own_administration_id(user, administration_id: int | None) -> bool:
    """Is ``administration_id`` the user's own administration (or all of them granted)?"""
    if administration_id is None:
        return False
    return (
        acts_for_all_administrations(user) or administration_id_for_user(user) == administration_id
    )


@rules.predicate
def works_in_an_administration(user) -> bool:
    """The user is staff of an administration (agenda items are drafted there, no grant)."""
    return administration_id_for_user(user) is not None


@rules.predicate
def has_an_administration(user) -> bool:
    return acts_for_all_administrations(user) or administration_id_for_user(user) is not None


# -- meetings -----------------------------------------------------------------------------------

# Create a meeting in this committee (object: a Committee).
rules.add_perm(
    "committees.add_meeting_in",
    has_model_perms("committees.add_meeting") & (is_administrator | serves_committee),
)
# Edit, publish, mark held, approve the minutes, order the agenda (object: a Meeting).
rules.add_perm(
    "committees.manage_meeting",
    has_model_perms("committees.change_meeting") & (is_administrator | serves_committee),
)
rules.add_perm(
    "committees.record_absences",
    has_model_perms("committees.add_meetingabsence", "committees.delete_meetingabsence")
    & (is_administrator | serves_committee),
)


# -- the same rules as querysets, for choice lists ----------------------------------------------


def committees_served(user):
    """The committees the user may create meetings in: :func:`serves_committee` as a
    queryset (administrators: all)."""
    from .models import Committee

    committees = Committee.objects.order_by("name")
    if is_administrator(user):
        return committees
    return committees.filter(pk__in=secretary_committee_ids_for_user(user))


def meetings_served(user, meetings):
    """``meetings`` narrowed to those the user manages (administrators: all)."""
    if is_administrator(user):
        return meetings
    return meetings.filter(committee_id__in=secretary_committee_ids_for_user(user))


def administrations_writable(user):
    """The administrations the user writes plans and commitments for: their own, or all of
    them for administrators and caseworkers granted every administration."""
    from .models import Administration

    administrations = Administration.objects.order_by("name")
    if is_administrator(user) or acts_for_all_administrations(user):
        return administrations
    return administrations.filter(pk=administration_id_for_user(user))


# -- follow-up groups ---------------------------------------------------------------------------


@rules.predicate
def serves_group_committee(user, group) -> bool:
    """The user serves the group's own § 17 stk. 4 committee or the committee that formed it;
    a group with neither (formed by an administration) is the whole secretariat's."""
    if group is None:
        return False
    served = secretary_committee_ids_for_user(user)
    owners = {group.committee_id, group.formed_by_id} - {None}
    return bool(owners & served) if owners else bool(served)


rules.add_perm(
    "committees.record_group_meeting",
    has_model_perms("committees.add_followupgroupmeeting")
    & (is_administrator | serves_group_committee),
)


# -- committees, people and memberships ---------------------------------------------------------
# Administrators set up committees and people; a committee's own secretariat keeps its mandate
# and its memberships. Nobody else changes them (Django admin is for superusers only).

# As everywhere, the role's model permissions come first (core/roles.py) and the object
# rule narrows them.
# Create a committee; change its name, kind, period and founding decision; end it.
rules.add_perm(
    "committees.create_committee",
    has_model_perms("committees.add_committee") & is_administrator,
)
rules.add_perm(
    "committees.edit_committee_details",
    has_model_perms("committees.change_committee") & is_administrator,
)
rules.add_perm(
    "committees.end_committee", has_model_perms("committees.change_committee") & is_administrator
)
# Edit the committee's mandate (object: a Committee).
rules.add_perm(
    "committees.edit_committee",
    has_model_perms("committees.change_committee") & (is_administrator | serves_committee),
)
# Add, edit and end memberships (object: a Committee, or a Membership in it).
rules.add_perm(
    "committees.manage_memberships",
    has_model_perms("committees.add_membership", "committees.change_membership")
    & (is_administrator | serves_committee),
)
# Create and edit people (politicians and staff).
rules.add_perm(
    "committees.manage_people",
    has_model_perms("committees.add_person", "committees.change_person") & is_administrator,
)


# -- users and roles (committees/users/) --------------------------------------------------------
# Administrators manage logins, their roles and their people; a superuser is only changed by
# a superuser (and Django admin, which stays the superuser's).


@rules.predicate
def target_is_not_superuser(user, target) -> bool:
    return target is None or not target.is_superuser or user.is_superuser


rules.add_perm(
    "committees.manage_users",
    has_model_perms("auth.add_user", "auth.change_user") & is_administrator,
)
# Edit, end, reactivate or set the password of this login (object: a User).
rules.add_perm(
    "committees.manage_user",
    has_model_perms("auth.add_user", "auth.change_user")
    & is_administrator
    & target_is_not_superuser,
)

# Create, rename and remove the administrations (forvaltninger): administrators only;
# reading them is the role's committees.view_administration.
rules.add_perm(
    "committees.manage_administrations",
    has_model_perms("committees.add_administration", "committees.change_administration")
    & is_administrator,
)
