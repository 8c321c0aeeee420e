"""The item's text sections keep their lists, emphasis, links and small tables, the same
on the page and in the PDF, and nothing typed can add markup beyond the allow-list
(core.markup, docs/text-formatting.md)."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases import pdf
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

WORD_PASTE = (
    "Indsatsen har tre spor:\r\n"
    "•\tBeskæftigelse\r\n"
    "o\tJobcenterets åbne rådgivning\r\n"
    "•\t**Uddannelse**\r\n"
    "•\tBoligsocialt arbejde\r\n"
    "\r\n"
    "13. maj 2009 besluttede udvalget at følge sagen.\r\n"
    "\r\n"
    "År\tBeløb\r\n"
    "2027\t1.000.000 kr.\r\n"
    "2028\t1.500.000 kr.\r\n"
)
HOSTILE = (
    "Se [kk.dk](https://www.kk.dk) og [dette](javascript:alert(1)).\n\n"
    '<script>alert("x")</script><img src=x onerror=alert(1)>\n\n'
    "# Ikke en overskrift\n\n"
    "    indrykket tekst fra Word\n\n"
    "*kursiv* og [mail](mailto:tmf@kk.dk)"
)


@pytest.fixture
def item():
    meeting = factories.meeting(factories.committee("TMU", name="Teknik- og Miljøudvalget"))
    return factories.item(meeting, problem=WORD_PASTE, solution=HOSTILE, title="Tingbjerg")


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end)]


def test_the_page_shows_words_lists_and_table(client_for, item):
    page = client_for(factories.user(roles.ADMINISTRATOR)).get(
        reverse("cases:item_detail", args=[item.pk])
    )
    html = _section(page.content.decode(), "Indsatsen har tre spor", "Løsning")
    compact = re.sub(r"\s+", "", html)
    assert "<ul><li>Beskæftigelse<ul><li>Jobcenteretsåbnerådgivning</li></ul></li>" in compact
    assert "<li><strong>Uddannelse</strong></li>" in compact
    assert "<p>13. maj 2009 besluttede udvalget" in html  # a date, not a list numbered 13
    assert "<ol" not in html
    assert "<th>År</th><th>Beløb</th>" in compact and "<td>2028</td>" in compact


def test_nothing_typed_adds_a_script_a_heading_or_a_foreign_link(client_for, item):
    page = client_for(factories.user(roles.POLITICIAN)).get(
        reverse("cases:item_detail", args=[item.pk])
    )
    html = page.content.decode()
    solution = html[html.index("Se <a") : html.index("mail</a>")]
    assert '<a href="https://www.kk.dk" rel="noopener noreferrer">kk.dk</a>' in solution
    assert "javascript:" not in html.replace("javascript:alert(1))", "")  # shown as text only
    assert "<script>alert" not in html and "onerror" not in solution.replace("onerror=", "")
    assert "&lt;script&gt;" in solution  # the typed tag is shown as text
    assert "<h1>Ikke en overskrift" not in html and "# Ikke en overskrift" in solution
    assert "<pre>" not in solution and "<code>" not in solution
    assert "<em>kursiv</em>" in solution
    assert '<a href="mailto:tmf@kk.dk" rel="noopener noreferrer">mail</a>' in html


def test_the_pdf_prints_the_same_structure(item):
    html = pdf.meeting_agenda_html(meeting=item.meeting, edition=pdf.Edition.PUBLIC)
    compact = re.sub(r"\s+", "", html)
    assert "<ul><li>Beskæftigelse<ul><li>Jobcenteretsåbnerådgivning</li></ul></li>" in compact
    assert "<th>År</th><th>Beløb</th>" in compact
    assert "<script>" not in html.split("</head>")[1]
    content = pdf.agenda_item_pdf(item=item, edition=pdf.Edition.PUBLIC)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # WeasyPrint draws the list markers after the text: three bullets and one sub-bullet
    assert re.search(r"•\s*\n◦\s*\n•\s*\n•", text) and "Beskæftigelse" in text
    assert "2028" in text and "1.500.000 kr." in text
    assert "13. maj 2009 besluttede udvalget" in text.replace("\n", " ")
