"""The front page's tables of plans by status and by area and its lists of plans needing
attention, their rows built in Python.

A large municipality has some 200 areas. Through the template loop, with a ``{% url %}``
and two ``|mio`` per row, the area table took a third of the page's rendering and grew
with the number of areas; the same HTML built here costs a small fraction of that (as
``FastSelect`` does for the plan list's filters, issue 9). The lists of plans needing
attention (thirty plans, each with a link and a translated note) were most of what the
front page rendered after a plan's budget changed.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.templatetags.dk import date_text, dkk, mio

register = template.Library()


@register.simple_tag
def plan_group_rows(rows, key: str, label: str, param: str) -> str:
    """One ``<tr>`` per row: the label linking to the plan list filtered by ``param`` =
    ``row[key]``, then the number of plans, the budget and the LBF grant."""
    base = escape(reverse("helhedsplaner:plan_list"))
    param = escape(param)
    # The standard library's escape (what Django's calls) without Django's lazy wrapper.
    return mark_safe(  # noqa: S308 - every value from the data is escaped
        "".join(
            f'<tr><th scope="row"><a href="{base}?{param}={escape(str(row[key]))}">'
            f'{escape(str(row[label]))}</a></th><td class="num">{int(row["count"])}</td>'
            f'<td class="num">{escape(mio(row["budget"]))}</td>'
            f'<td class="num">{escape(mio(row["lbf_grant"]))}</td></tr>\n'
            for row in rows
        )
    )


# What each list says after a plan's name (the same messages the template had).
_NOTES = {
    "stale": lambda plan: gettext("latest %(day)s") % {"day": date_text(plan.active_on, "j. F Y")},
    "over_budget": lambda plan: gettext("%(amount)s over") % {"amount": dkk(plan.over_by)},
    "missing_cofinancing": lambda plan: (
        gettext("%(amount)s missing") % {"amount": dkk(plan.local_missing)}
    ),
}
_MARK = 918273645  # stands for the plan's id in the reversed URL


@register.simple_tag
def attention_items(plans, kind: str) -> str:
    """One ``<li>`` per plan of a list of plans needing attention: a link to its status
    page and what the list says of it (``kind``: stale, over_budget or
    missing_cofinancing); "None." for an empty list."""
    if not plans:
        return mark_safe(f"<li>{escape(gettext('None.'))}</li>")  # noqa: S308
    before, after = (
        escape(part) for part in reverse("planstatus:plan_status", args=[_MARK]).split(str(_MARK))
    )
    note = _NOTES[kind]
    return mark_safe(  # noqa: S308 - every value from the data is escaped
        "".join(
            f'<li><a href="{before}{int(plan.pk)}{after}">{escape(str(plan.name))}</a> '
            f'<span class="muted">{escape(note(plan))}</span></li>'
            for plan in plans
        )
    )
