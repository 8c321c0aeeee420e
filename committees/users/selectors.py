"""Reads for user management: the list of logins and one login with its history."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.history import history_entries
from core.roles import ROLES
from core.templatetags.dk import date_text

from ..models import Person
from .history import EXCLUDED_FIELDS, M2M_FIELDS, PASSWORD_SET

User = get_user_model()
ACT_FOR_ALL = ("committees", "act_for_all_administrations")


def role_groups():
    """The four role groups, in the order of core.roles.ROLES."""
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    return [groups[name] for name in ROLES if name in groups]


def act_for_all_permission() -> Permission:
    return Permission.objects.get(content_type__app_label=ACT_FOR_ALL[0], codename=ACT_FOR_ALL[1])


def _with_details(users):
    return users.select_related("person__administration").prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name")),
        Prefetch(
            "user_permissions",
            queryset=Permission.objects.filter(codename=ACT_FOR_ALL[1]),
            to_attr="act_for_all",
        ),
    )


def users_list() -> dict:
    """Current and former (deactivated) logins, by username, with roles and person."""
    users = list(_with_details(User.objects.order_by("username")))
    return {
        "current_users": [user for user in users if user.is_active],
        "former_users": [user for user in users if not user.is_active],
    }


def user_get(*, pk: int):
    return get_object_or_404(_with_details(User.objects.all()), pk=pk)


def people_without_login(*, user=None):
    """People a login may belong to: those with none, and the one of ``user``."""
    people = Person.objects.filter(user__isnull=True)
    if user is not None and user.pk:
        people = people | Person.objects.filter(user=user)
    return people.select_related("administration").order_by("name", "pk")


def _m2m_names(history_ids) -> dict[str, dict[int, list[str]]]:
    """For each tracked many-to-many field: history row id -> the names it held."""
    history_model = User.history.model
    names = {}
    for field_name in M2M_FIELDS:
        m2m_model = getattr(history_model, field_name).model
        target = "group" if field_name == "groups" else "permission"
        rows = m2m_model.objects.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}__name"
        )
        found: dict[int, list[str]] = {}
        for history_id, name in rows:
            found.setdefault(history_id, []).append(name or "?")
        names[field_name] = {key: sorted(value) for key, value in found.items()}
    return names


def _value(model_field, value) -> str:
    if value is None or value == "":
        return "–"
    if model_field.get_internal_type() == "BooleanField":
        return _("Yes") if value else _("No")
    if model_field.get_internal_type() in ("DateField", "DateTimeField"):
        return date_text(value, "j. F Y")
    return str(value)


def _who(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.username) if user else _("the system")


def user_history(user) -> list[dict]:
    """The login's history, newest first: its fields (never the password hash, no sign-in
    stamps), its roles and permissions by name, new passwords (that one was set, never
    what), and the changes of the people linked to it (``core.history``)."""
    records = list(
        User.history.filter(id=user.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    hidden = {*EXCLUDED_FIELDS, *M2M_FIELDS}
    tracked = [
        f
        for f in User._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in hidden
    ]
    labels = {"groups": _("Roles"), "user_permissions": _("Permissions")}
    names = _m2m_names([record.history_id for record in records])
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    what = str(User._meta.verbose_name).capitalize()
    entries = []
    previous = None
    for record in records:
        changes = []
        for model_field in tracked:
            new = getattr(record, model_field.attname)
            if previous is None:
                if new in (None, ""):
                    continue
                old = None
            else:
                old = getattr(previous, model_field.attname)
                if old == new:
                    continue
            changes.append(
                (
                    str(model_field.verbose_name).capitalize(),
                    _value(model_field, old),
                    _value(model_field, new),
                )
            )
        for field_name in M2M_FIELDS:
            now = names[field_name].get(record.history_id, [])
            before = names[field_name].get(previous.history_id, []) if previous else []
            if now != before:
                changes.append(
                    (labels[field_name], ", ".join(before) or "–", ", ".join(now) or "–")
                )
        if record.history_change_reason == PASSWORD_SET:
            changes.append((_("Password"), "–", _("A new password was set")))
        if changes or record.history_type != "~":
            reason = record.history_change_reason or ""
            entries.append(
                {
                    "when": record.history_date,
                    "who": _who(record),
                    "what": what,
                    "kind": kinds.get(record.history_type, record.history_type),
                    "changes": changes,
                    "reason": {PASSWORD_SET: "", "load_demo": _("Demo data")}.get(reason, reason),
                }
            )
        previous = record
    entries = [entry for entry in entries if entry["changes"] or entry["kind"] != kinds["~"]]
    entries += history_entries(
        Person.history.filter(id__in=Person.history.filter(user_id=user.pk).values("id"))
    )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries
