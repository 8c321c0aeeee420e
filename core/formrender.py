"""The form renderer: Django's own, with its simplest widget templates written in Python.

Every ``<input>`` and ``<textarea>`` Django renders goes through its template engine:
``text.html`` includes ``input.html``, which includes ``attrs.html``, each a template
render with its own context. On the plan's edit form (about 40 inputs: the estates'
rows, the checkboxes of focus areas, administrations and goals) that was a third of the
server time of opening the form, which a caseworker pays on every save. This renderer
writes those templates' output directly, from the same context Django builds
(``Widget.get_context``: name, value, attrs), byte for byte what the templates write;
any other template (selects, radio lists, forms, error lists, a project's overrides)
goes to Django's engine as before. ``tests/core/test_formrender.py`` compares the two
renderers on every widget written here.

The templates written here, as Django 5.2 ships them (the renderer strips the result):

- ``input.html``: ``<input type="…" name="…"`` + `` value="…"`` unless the value is None
  + the attributes + ``>``; ``text.html``, ``number.html``, ``email.html``, ``url.html``,
  ``password.html``, ``hidden.html``, ``date.html``, ``checkbox.html`` only include it;
- ``attrs.html``: `` name="value"`` per attribute, `` name`` for True, nothing for False;
- ``textarea.html``: ``<textarea name="…"`` + attributes + ``>`` + a line break + the
  value if it is not empty + ``</textarea>``;
- ``checkbox_option.html`` and ``radio_option.html`` include ``input_option.html``: the
  input, and with ``wrap_label`` inside ``<label for="…">`` followed by a line break, a
  space and the label (``BoundWidget.tag()``; the whole list of options is one template).
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescaping: ``"%s" % value``, escaped
    unless the value is already safe."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def _shown(value) -> str:
    """``{{ value }}``: localised, then escaped unless safe."""
    return conditional_escape(localize(value))


def attrs_html(attrs: dict) -> str:
    """What ``django/forms/widgets/attrs.html`` writes for these attributes."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict) -> str:
    value = widget["value"]
    value_html = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value_html}{attrs_html(widget['attrs'])}>"
    )


def textarea_html(widget: dict) -> str:
    value = widget["value"]
    shown = _shown(value) if value else ""
    start = f'<textarea name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>'
    return f"{start}\n{shown}</textarea>"


def input_option_html(widget: dict) -> str:
    html = input_html(widget)
    if not widget.get("wrap_label"):
        return html
    target = widget["attrs"].get("id")
    label_for = f' for="{_shown(target)}"' if target else ""
    # input.html's own line break stays inside the label (only the whole is stripped).
    return f"<label{label_for}>{html}\n {_shown(widget['label'])}</label>"


WIDGETS = "django/forms/widgets/"
WRITERS = {
    **{
        f"{WIDGETS}{name}.html": input_html
        for name in (
            "input",
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "date",
            "checkbox",
        )
    },
    f"{WIDGETS}textarea.html": textarea_html,
    f"{WIDGETS}checkbox_option.html": input_option_html,
    f"{WIDGETS}radio_option.html": input_option_html,
    f"{WIDGETS}input_option.html": input_option_html,
}


class FastRenderer(DjangoTemplates):
    """Django's default form renderer, with the templates in :data:`WRITERS` written in
    Python. Only for a widget's own context (``{"widget": …}``) with no request: that is
    how widgets render; anything else is left to the template."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        widget = context.get("widget") if request is None else None
        if write is None or not isinstance(widget, dict) or "attrs" not in widget:
            return super().render(template_name, context, request)
        return mark_safe(write(widget))  # noqa: S308 - every value is escaped above
