"""No lost update: a version number on each edited row, and what to show when two edits collide.

Every model edited through a form carries ``version`` (a ``PositiveIntegerField``,
default 1). The form sends back the version it was loaded with; the update service
locks the row (``select_for_update``), compares, and raises :class:`VersionConflict`
when somebody else saved in between. Any other write to the row (publishing,
moving, granting, correcting …) raises the version too (:func:`version_bump`), so a
form opened before it conflicts as well.

The conflict page is built from the *current* values (never from the stale POST),
with the other person's changes read from the django-simple-history rows
(:func:`changes_since`) and the user's own attempt listed beside it
(:func:`attempted_values`), so saving it again never reverts anybody's change.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext as _

from core.templatetags.dk import dkk

from .templatetags.dk import date_text

# Bookkeeping columns that are never "a change somebody made".
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "version", "is_demo"}
MAX_SHOWN = 300


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ConflictEntry:
    """One save by somebody else since the user's version: who, when, old → new."""

    when: datetime
    who: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class AttemptedValue:
    """A field the user tried to set to something else than what is saved now."""

    label: str
    current: str
    attempted: str


@dataclass
class VersionConflict(Exception):
    """Somebody else saved the object after the form was loaded; nothing was saved."""

    obj: Model | None
    current_version: int
    changes: list[ConflictEntry] = field(default_factory=list)

    def __str__(self) -> str:
        return f"version conflict (now version {self.current_version})"


def version_check(obj: Model, *, expected_version: int | None, labels: dict | None = None):
    """Raise :class:`VersionConflict` unless the locked row ``obj`` has ``expected_version``;
    otherwise raise ``obj.version`` by one in memory (save it with ``"version"`` in
    ``update_fields``). ``obj`` must have been read with ``select_for_update``."""
    if obj.version != (expected_version or 0):
        raise VersionConflict(
            obj=obj,
            current_version=obj.version,
            changes=changes_since(obj, version=expected_version or 0, labels=labels),
        )
    obj.version += 1


def version_bump(obj: Model) -> None:
    """Raise the stored version by one in the database and carry the new number onto ``obj``.

    For writes that do not come from the edit form (publishing, moving, granting …):
    the UPDATE locks the row until the transaction ends, and the history row the
    following ``save()`` writes records the new version.
    """
    from core import pagecache

    manager = type(obj)._default_manager
    manager.filter(pk=obj.pk).update(version=F("version") + 1)
    pagecache.changed(obj, fields=["version"])
    obj.version = manager.filter(pk=obj.pk).values_list("version", flat=True).get()


def _who(row) -> str:
    user = row.history_user
    if user is None:
        return _("The system")
    return user.get_full_name() or user.username


def _shown(model_field, value, labels: dict) -> str:
    if model_field.name in labels:
        return labels[model_field.name](value)
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else _("(deleted)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_text(value, "j. F Y H:i")
    if isinstance(value, date):
        return date_text(value, "j. F Y")
    if isinstance(value, Decimal):
        return dkk(value)
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + " …"


def changes_since(obj: Model, *, version: int, labels: dict | None = None) -> list[ConflictEntry]:
    """The saves of ``obj`` after ``version`` (oldest first), each diffed against the row
    before it. ``labels`` maps a field name to a function naming its stored value (for
    values the generic display must not reveal, such as a closed item's title)."""
    labels = labels or {}
    rows = list(
        type(obj)
        .history.filter(id=obj.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    fields = [
        f
        for f in type(obj)._meta.concrete_fields
        if f.name not in SKIPPED_FIELDS and not f.primary_key
    ]
    entries, previous = [], None
    for row in rows:
        if row.version > version:
            changes = []
            for model_field in fields:
                before = getattr(previous, model_field.attname) if previous is not None else None
                after = getattr(row, model_field.attname)
                if before != after and not (previous is None and after in (None, "")):
                    label = str(model_field.verbose_name)
                    changes.append(
                        FieldChange(
                            label[:1].upper() + label[1:],
                            _shown(model_field, before, labels) if previous is not None else "–",
                            _shown(model_field, after, labels),
                        )
                    )
            action = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[row.history_type]
            entries.append(ConflictEntry(row.history_date, _who(row), action, changes))
        previous = row
    return entries


# -- the user's attempt, beside the current values -------------------------------------------


def _normalised(form_field, value):
    """A form value as Python (a model, a set of pks, a Decimal …), for comparing."""
    if isinstance(value, QuerySet | list | tuple | set):
        return {getattr(v, "pk", v) for v in value}
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, str) and not isinstance(form_field, forms.CharField):
        return value
    return value if value != "" else None


def form_value_display(form_field, value) -> str:
    """A cleaned form value as the user would read it."""
    if value is None or value == "" or (isinstance(value, QuerySet | list) and not value):
        return "–"
    if isinstance(value, QuerySet | list | tuple | set):
        return "; ".join(sorted(str(v) for v in value))
    if isinstance(value, Model):
        return str(value)
    if isinstance(form_field, forms.ModelChoiceField):
        found = form_field.queryset.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = getattr(form_field, "choices", None)
    if choices:
        return str(dict(form_field.choices).get(value, value))
    if isinstance(value, datetime):
        return date_text(value, "j. F Y H:i")
    if isinstance(value, date):
        return date_text(value, "j. F Y")
    if isinstance(value, Decimal):
        return dkk(value)
    if hasattr(value, "strftime"):  # a time of day
        return value.strftime("%H:%M")
    return str(value)


def _current_value(fresh: forms.BaseForm, name: str):
    """The value the unbound ``fresh`` form shows for ``name``, as Python."""
    form_field = fresh.fields[name]
    value = fresh[name].value()
    try:
        return form_field.clean(value)
    except ValidationError:
        return value  # already a Python value the field's parser does not read back


def attempted_values(*, stale: forms.BaseForm, fresh: forms.BaseForm) -> list[AttemptedValue]:
    """The fields where the user's (valid) POST differs from what is saved now."""
    rows = []
    for name, form_field in stale.fields.items():
        if name == "version" or isinstance(form_field.widget, forms.HiddenInput):
            continue
        if name not in fresh.fields or name not in stale.cleaned_data:
            continue
        mine = stale.cleaned_data[name]
        current = _current_value(fresh, name)
        if _normalised(form_field, mine) == _normalised(form_field, current):
            continue
        if isinstance(mine, str) and isinstance(current, str) and mine.strip() == current.strip():
            continue
        rows.append(
            AttemptedValue(
                str(form_field.label),
                form_value_display(form_field, current),
                form_value_display(form_field, mine),
            )
        )
    return rows
