"""Writes for user management: create, change, end and reactivate logins, set passwords.

The safety rules live here, so every caller gets them: nobody deactivates themselves or
takes their own Administrator role away (an installation is never left without an
administrator by accident); only a superuser changes a superuser; nobody is made a
superuser or staff from these pages (Django admin stays the superuser's); a username is
unique whatever its case.
"""

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.roles import ADMINISTRATOR, ROLES

from ..models import Person
from .history import PASSWORD_SET
from .selectors import act_for_all_permission

User = get_user_model()
DETAIL_FIELDS = ("username", "first_name", "last_name", "email")


def _assert_may_change(*, actor, target) -> None:
    if target.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser may change a superuser."))


def _check_username(*, username: str, user=None) -> None:
    taken = User.objects.filter(username__iexact=username)
    if user is not None and user.pk:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ValidationError(
            {"username": _("The username “%(name)s” is taken already.") % {"name": username}}
        )


def _check_password(*, password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error


def _role_groups(roles) -> list:
    names = [getattr(role, "name", role) for role in roles]
    unknown = set(names) - set(ROLES)
    if unknown:
        raise ValidationError({"roles": _("Not a role: %(names)s") % {"names": sorted(unknown)}})
    return list(Group.objects.filter(name__in=names))


def _link_person(*, user, person, actor) -> None:
    """Make ``person`` (or nobody) the person this login belongs to."""
    current = Person.objects.select_for_update().filter(user=user).first()
    if current is not None and (person is None or current.pk != person.pk):
        current.user = None
        current._history_user = actor
        current.save(update_fields=["user", "updated_at"])
    if person is not None and (current is None or current.pk != person.pk):
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id is not None:
            raise ValidationError({"person": _("This person has a login already.")})
        person.user = user
        person._history_user = actor
        person.full_clean()
        person.save(update_fields=["user", "updated_at"])


def _set_access(*, user, roles, act_for_all: bool) -> None:
    """Set the roles and the grant without a history row for each step: the save that
    follows records the login with its roles and permissions as they end up (the page
    cache sees these writes all the same: core.pagecache)."""
    user.skip_history_when_saving = True
    try:
        user.groups.set(_role_groups(roles))
        permission = act_for_all_permission()
        if act_for_all:
            user.user_permissions.add(permission)
        else:
            user.user_permissions.remove(permission)
    finally:
        del user.skip_history_when_saving


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    roles=(),
    person=None,
    act_for_all_administrations: bool = False,
    password: str,
):
    """A new active login (never staff, never superuser) with its roles and person."""
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    _check_username(username=username)
    _check_password(password=password, user=user)
    user.set_password(password)
    user.full_clean()
    user._history_user = actor
    user.save()
    if roles or act_for_all_administrations:
        _set_access(user=user, roles=roles, act_for_all=act_for_all_administrations)
        user.save(update_fields=list(DETAIL_FIELDS))  # the history row with the roles
    _link_person(user=user, person=person, actor=actor)
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    roles=(),
    person=None,
    act_for_all_administrations: bool = False,
):
    """Change a login's details, roles, person and grant (not its password or status)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _assert_may_change(actor=actor, target=user)
    role_names = {getattr(role, "name", role) for role in roles}
    if (
        user.pk == actor.pk
        and ADMINISTRATOR not in role_names
        and user.groups.filter(name=ADMINISTRATOR).exists()
    ):
        raise ValidationError({"roles": _("You cannot remove your own Administrator role.")})
    _check_username(username=username, user=user)
    for name, value in zip(DETAIL_FIELDS, (username, first_name, last_name, email), strict=True):
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    _set_access(user=user, roles=roles, act_for_all=act_for_all_administrations)
    user._history_user = actor
    user.save(update_fields=list(DETAIL_FIELDS))  # one history row: details, roles, grant
    _link_person(user=user, person=person, actor=actor)
    return user


@transaction.atomic
def user_password_set(*, actor, user, password: str):
    user = User.objects.select_for_update().get(pk=user.pk)
    _assert_may_change(actor=actor, target=user)
    _check_password(password=password, user=user)
    user.set_password(password)
    user._history_user = actor
    user._change_reason = PASSWORD_SET
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_deactivate(*, actor, user):
    """End a login: it can no longer sign in; nothing is deleted (history and authorship
    stay, and so does the link to its person)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _assert_may_change(actor=actor, target=user)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own login."))
    if user.is_active:
        user.is_active = False
        user._history_user = actor
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_reactivate(*, actor, user):
    user = User.objects.select_for_update().get(pk=user.pk)
    _assert_may_change(actor=actor, target=user)
    if not user.is_active:
        user.is_active = True
        user._history_user = actor
        user.save(update_fields=["is_active"])
    return user
