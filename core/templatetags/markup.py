"""``{{ item.problem|markup }}``: an item's text section with its lists, emphasis, links
and tables (core.markup), the same on the page and in the PDF."""

from django import template

from core import markup as _markup

register = template.Library()


@register.filter(name="markup")
def markup(text: str):
    return _markup.render(text or "")
