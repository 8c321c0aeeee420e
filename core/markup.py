"""The small markup of the agenda item's text sections: lists, bold, italics, links and
simple tables, rendered the same on the page and in the PDF (docs/text-formatting.md).

Markdown through markdown-it-py (CommonMark, well kept) with only the rules we document
switched on: no headings (the item's own headings structure the page), no images, no raw
HTML, no code blocks (text pasted from Word is often indented, and must not turn into
code). The HTML is then cleaned by nh3 (the Rust ammonia sanitizer) with an allow-list of
tags and attributes, so nothing a user types can add a script, a style or an event
handler, whatever the parser lets through.

Text pasted from Word keeps its lists: Word puts a bullet character and a tab before
each item ("•\tItem", "o\tsub-item", "§\tthird level") or the number and a tab ("1.\t"),
which we turn into Markdown list lines first. Tab-separated lines (a table copied from
Word or Excel) become a table whose first line is the header. A line starting with a
Danish date ("13. maj 2009 besluttede …") stays a paragraph, not a list numbered 13.
Single line breaks stay line breaks, as the plain text always showed them.
"""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MD = MarkdownIt("zero", {"breaks": True, "html": False}).enable(
    ["list", "table", "emphasis", "link", "autolink", "newline", "escape"]
)

ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "strong", "em", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Word's bullets per level: • (or ·, ▪, –, -) first, o second, § (Wingdings) third.
_WORD_BULLET = re.compile(r"^[ \t]*(?P<mark>[•·▪◦–\-]|o|§)\t+", re.M)
_WORD_NUMBER = re.compile(r"^[ \t]*(?P<number>\d{1,3})[.)]\t+", re.M)
_LEVEL = {"o": 1, "§": 2}
MONTHS = (
    "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|"
    "january|february|march|may|june|july|october"
)
_DATE_AT_LINE_START = re.compile(rf"^(?P<day>\d{{1,2}})\.(?= (?:{MONTHS})\b)", re.M | re.I)


def _word_lists(text: str) -> str:
    text = _WORD_BULLET.sub(lambda m: "  " * _LEVEL.get(m["mark"], 0) + "- ", text)
    return _WORD_NUMBER.sub(lambda m: f"{m['number']}. ", text)


def _cells(line: str) -> list[str]:
    return [cell.strip().replace("|", "\\|") for cell in line.split("\t")]


def _tab_tables(text: str) -> str:
    """Runs of two or more lines with the same number (two or more) of tab-separated cells
    become a Markdown table, its first line the header."""
    lines, out, index = text.split("\n"), [], 0
    while index < len(lines):
        width = lines[index].count("\t")
        end = index
        while width and end < len(lines) and lines[end].count("\t") == width:
            end += 1
        if end - index >= 2:
            rows = [_cells(line) for line in lines[index:end]]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + " --- |" * len(rows[0]))
            out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
            out.append("")
            index = end
        else:
            out.append(lines[index])
            index += 1
    return "\n".join(out)


def prepare(text: str) -> str:
    """The Markdown the text means (Word's lists and tables, dates kept as text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _tab_tables(_word_lists(text))
    return _DATE_AT_LINE_START.sub(lambda m: f"{m['day']}\\.", text)


def render(text: str) -> SafeString:
    """The text as safe HTML (allow-listed tags only)."""
    if not text:
        return mark_safe("")
    # "<br>" without the parser's newline after it: the same markup the plain text had
    html = _MD.render(prepare(text)).replace("<br>\n", "<br>")
    return mark_safe(  # noqa: S308 - cleaned by nh3 with the allow-list right here
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )
