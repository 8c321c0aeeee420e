"""Every page a demo user reaches by links from the dashboard is free of the HTML errors the
W3C Nu checker has found in this product (scripts/validate_html.py runs the checker itself;
this needs no Java): duplicate ids, references to ids that are not there, an invalid
``<time datetime>`` (Django's ``date:"c"`` gives microseconds) and block content where
only phrasing content is allowed (Django's password rules are a ``<ul>`` in a ``<span>``)."""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command

from core.pagewalk import walk

pytestmark = pytest.mark.django_db

ROLES = ["sagsbehandler", "sekretaer", "politiker", "admin"]
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Elements whose content model is phrasing content, and flow elements that may not be in them.
PHRASING_ONLY = {"span", "label", "button", "strong", "em", "small", "b", "i", "abbr", "time",
                 "h1", "h2", "h3", "h4", "h5", "h6", "p", "dt", "legend", "summary", "caption",
                 "code", "q", "s", "sub", "sup", "mark", "kbd", "output"}  # fmt: skip
FLOW_ONLY = {"div", "ul", "ol", "dl", "table", "p", "h1", "h2", "h3", "h4", "h5", "h6", "form",
             "section", "article", "aside", "nav", "header", "footer", "fieldset", "figure",
             "blockquote", "pre", "hr", "main", "address", "details"}  # fmt: skip
# HTML's valid date, month, year, time, local and global date-and-time strings (fractions of a
# second have 1 to 3 digits) and durations.
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"
VALID_DATETIME = re.compile(
    rf"^(\d{{4,}}(-\d{{2}}(-\d{{2}})?)?|\d{{4,}}-W\d{{2}}|--\d{{2}}-\d{{2}}|{_TIME}"
    rf"|\d{{4,}}-\d{{2}}-\d{{2}}[T ]{_TIME}(Z|[+-]\d{{2}}:?\d{{2}})?"
    rf"|Z|[+-]\d{{2}}:?\d{{2}}|P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{{1,3}})?S)?)?)$"
)
ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "list", "form")


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"line {self.getpos()[0]}"
        if (element_id := attributes.get("id")) is not None:
            if element_id in self.ids:
                self.errors.append(f'{where}: duplicate id "{element_id}"')
            if not element_id or any(c.isspace() for c in element_id):
                self.errors.append(f'{where}: bad id "{element_id}"')
            self.ids.add(element_id)
        for name in ID_REFERENCES:
            if attributes.get(name) and not (name == "for" and tag == "output"):
                for target in attributes[name].split():
                    self.references.append((where, f"<{tag} {name}>", target))
        if tag == "time" and not VALID_DATETIME.match(attributes.get("datetime", "2026") or ""):
            self.errors.append(f'{where}: <time datetime="{attributes["datetime"]}">')
        if tag in FLOW_ONLY:
            for parent in self.stack:
                if parent in PHRASING_ONLY:
                    self.errors.append(f"{where}: <{tag}> inside <{parent}>")
                    break
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def check(self, html: str) -> list[str]:
        self.feed(html)
        self.close()
        for where, attribute, target in self.references:
            if target not in self.ids:
                self.errors.append(f'{where}: {attribute} names "{target}", no such id')
        return self.errors


def errors_in(html: str) -> list[str]:
    return Checker().check(html)


def test_the_checker_finds_the_errors_the_nu_checker_found():
    assert errors_in('<time datetime="2026-12-03T14:51:07.123456+01:00">3. dec.</time>')
    assert not errors_in('<time datetime="2026-12-03T14:51:07+01:00">3. dec.</time>')
    assert not errors_in('<time datetime="2026-12-03">3. dec.</time>')
    assert errors_in('<span class="helptext"><ul><li>Mindst 12 tegn.</li></ul></span>')
    assert errors_in('<p id="a">x</p><p id="a">y</p>')
    assert errors_in('<label for="id_name">Navn</label>')
    assert not errors_in('<label for="id_name">Navn</label><input id="id_name">')


def test_every_page_of_every_demo_role_is_free_of_these_errors(client):
    call_command("load_demo", stdout=StringIO())
    found, pages = [], 0
    for role in ROLES:
        client.cookies.clear()
        response = client.post("/log-ind/", {"username": role, "password": "helhedsplan-demo"})
        assert response.status_code == 302, role
        for _route, path, html in walk(client):
            pages += 1
            found += [f"{role} {path} {error}" for error in errors_in(html)]
    assert pages > 200  # the walk reaches the product's pages, not just the dashboard
    assert found == []
