"""Readable history of any tracked model (django-simple-history): what, field, old → new,
who, when, why, newest first. One function for every history tab of the product.

Apps say how their values read here, from their ``ready()``: :func:`register_label`
names a related object (agenda items by committee, date and number only, so a closed
item's title never shows in a history), :func:`register_value` formats a field (money
in kroner).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from .templatetags.dk import date_text

# model -> function(obj) -> how a reference to it reads in history (default: str(obj)).
_labels: dict[type, Callable] = {}
# model -> function(queryset) -> the queryset the labels are read from (select_related).
_label_querysets: dict[type, Callable] = {}
# field name -> function(value) -> how its value reads (any model with such a field).
_values: dict[str, Callable] = {}


def register_label(model, label: Callable, *, queryset: Callable | None = None) -> None:
    _labels[model] = label
    if queryset is not None:
        _label_querysets[model] = queryset


def register_value(field_names, formatter: Callable) -> None:
    for name in field_names:
        _values[name] = formatter


def _display_value(model_field, value, related: dict) -> str:
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return related.get((model_field.related_model, value), f"#{value}")
    if model_field.name in _values:
        return _values[model_field.name](value)
    if model_field.get_internal_type() == "BooleanField":
        return _("Yes") if value else _("No")
    if model_field.get_internal_type() in ("DateField", "DateTimeField"):
        return date_text(value, "j. F Y")
    return str(value)


def _tracked_fields(model, hide: set[str]):
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in hide and f.name != "is_demo"
    ]


def history_entries(*querysets, hide: tuple[str, ...] = ()) -> list[dict]:
    """Readable history (what, field, old → new, who, when, why), newest first.

    A creation lists the values it was created with, a deletion the last values, a
    change the fields that changed (simple-history's ``diff_against``). One query per
    history table plus one per kind of related object named in a change.
    """
    hidden = set(hide)
    records = []
    for queryset in querysets:
        rows = list(queryset.select_related("history_user").order_by("history_date", "history_id"))
        previous = {}
        for record in rows:
            model = record.instance_type
            before = previous.get(record.id)
            if record.history_type == "~" and before is not None:
                delta = record.diff_against(before)
                raw = [(c.field, c.old, c.new) for c in delta.changes if c.field not in hidden]
            elif record.history_type == "-":
                raw = [
                    (f.name, getattr(record, f.attname), None)
                    for f in _tracked_fields(model, hidden)
                ]
            else:
                raw = [
                    (f.name, None, getattr(record, f.attname))
                    for f in _tracked_fields(model, hidden)
                ]
                raw = [change for change in raw if change[2] not in (None, "")]
            previous[record.id] = record
            records.append((record, raw))
    wanted: dict[type, set] = {}
    for record, raw in records:
        for name, old, new in raw:
            model_field = record.instance_type._meta.get_field(name)
            if model_field.is_relation:
                wanted.setdefault(model_field.related_model, set()).update(
                    v for v in (old, new) if v is not None
                )
    related = {}
    for model, pks in wanted.items():
        objects = model._default_manager.filter(pk__in=pks)
        if model in _label_querysets:
            objects = _label_querysets[model](objects)
        label = _labels.get(model, str)
        for obj in objects:
            related[(model, obj.pk)] = label(obj)
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries = []
    for record, raw in records:
        model = record.instance_type
        if record.history_type == "~" and not raw:
            continue  # a save that changed nothing visible
        changes = [
            (
                str(model._meta.get_field(name).verbose_name).capitalize(),
                _display_value(model._meta.get_field(name), old, related),
                _display_value(model._meta.get_field(name), new, related),
            )
            for name, old, new in raw
        ]
        user = record.history_user
        reason = record.history_change_reason or ""
        entries.append(
            {
                "when": record.history_date,
                "who": (user.get_full_name() or user.username) if user else _("the system"),
                "what": str(model._meta.verbose_name).capitalize(),
                "kind": kinds.get(record.history_type, record.history_type),
                "changes": changes,
                "reason": _("Demo data") if reason == "load_demo" else reason,
            }
        )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries
