"""Print typography of the PDFs (issue 20 point 4), measured in the PDFs themselves.

Positions come from the text drawn on the page (pypdf's text visitor, widths from the font
file the PDFs embed), links from the pages' annotations, and page breaks from the tagged
structure tree: every piece of marked content names its element (H2, P, TR …) and its page,
so "a heading left alone at the foot of a page" is a heading whose next content, in
reading order, is on a later page.
"""

import io
import re
from datetime import date
from functools import cache

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NumberObject

from cases import pdf
from tests import factories

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
A4_WIDTH = 210 * MM
LEFT_MARGIN = 22 * MM  # pdf.css: @page margin 24mm 20mm 22mm 22mm
RIGHT_EDGE = A4_WIDTH - 20 * MM
HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}


# -- reading the PDF ---------------------------------------------------------------------------


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


@cache
def _font():
    from fontTools.ttLib import TTFont

    font = TTFont(str(settings.BASE_DIR / "static" / "fonts" / "DejaVuSans.ttf"))
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def text_width(text: str, size: float) -> float:
    """The advance width of ``text`` in DejaVu Sans (the PDFs' regular face) at ``size`` pt."""
    cmap, metrics, units = _font()
    return sum(metrics[cmap[ord(char)]][0] for char in text) / units * size


def fragments(page) -> list[dict]:
    """The text runs drawn on ``page``: text, x, y (baseline) and size, in points."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append({"text": text, "x": x, "y": y, "size": size * cm[0] * tm[0]})

    page.extract_text(visitor_text=visit)
    return runs


def marked_content(document: PdfReader) -> list[tuple[tuple, int]]:
    """Every marked content of the structure tree, in reading order: (its elements from the
    root down, as (tag, serial) pairs, and its page index)."""
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(document.pages)}
    found = []
    serial = iter(range(10**9))

    def walk(node, page, path):
        if isinstance(node, (int, NumberObject)):
            found.append((path, page))
            return
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, page, path)
            return
        if not isinstance(node, DictionaryObject) or node.get("/Type") == "/OBJR":
            return
        if "/Pg" in node:
            page = pages[node.raw_get("/Pg").idnum]
        if node.get("/Type") == "/MCR":
            found.append((path, page))
            return
        if "/S" in node:
            path = (*path, (str(node["/S"]), next(serial)))
        if "/K" in node:
            walk(node["/K"], page, path)

    walk(document.trailer["/Root"]["/StructTreeRoot"]["/K"], None, ())
    return found


def _innermost(path, tags):
    return next((element for element in reversed(path) if element[0] in tags), None)


def headings_left_alone(document: PdfReader) -> list[tuple[str, int]]:
    """(tag, page number) of every heading that is the last content on its page."""
    content = marked_content(document)
    alone = []
    for (path, page), (next_path, next_page) in zip(content, content[1:], strict=False):
        heading = _innermost(path, HEADINGS)
        if heading and heading != _innermost(next_path, HEADINGS) and next_page != page:
            alone.append((heading[0], page + 1))
    return alone


def split_rows(document: PdfReader) -> list[set[int]]:
    """The pages of every table row that is printed on more than one page."""
    rows: dict[tuple, set[int]] = {}
    for path, page in marked_content(document):
        row = _innermost(path, {"/TR"})
        if row:
            rows.setdefault(row, set()).add(page + 1)
    return [pages for pages in rows.values() if len(pages) > 1]


def is_tagged(document: PdfReader) -> bool:
    root = document.trailer["/Root"]
    return bool(root.get("/MarkInfo", {}).get("/Marked")) and "/StructTreeRoot" in root


def page_text(document: PdfReader) -> list[str]:
    return [page.extract_text() for page in document.pages]


# -- the table of contents ---------------------------------------------------------------------


@pytest.fixture
def meeting():
    """A BIU meeting with 14 items (page numbers 3 to 16) and one title that wraps."""
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu")
    meeting = factories.meeting(biu, day=date(2009, 5, 28))
    for number in range(1, 14):
        factories.item(meeting, number=number, title=f"Orientering nummer {number}")
    factories.item(
        meeting,
        number=14,
        title="Styring af de politiske processer i forbindelse med boligsociale helhedsplaner "
        "og de områdebaserede indsatser i hele kommunen",
    )
    return meeting


def toc_lines(document: PdfReader):
    """The contents page and its lines: per entry the item number run, the page-number run
    and every run between them (title and leader), grouped by baseline."""
    index, page = next(
        (index, page)
        for index, page in enumerate(document.pages)
        if page.extract_text().lstrip().startswith("Indhold")
    )
    runs = [run for run in fragments(page) if run["text"].strip() != "Indhold"]
    lines: dict[float, list[dict]] = {}
    for run in runs:
        lines.setdefault(round(run["y"], 1), []).append(run)
    entries = []
    current = None
    for _y, line in sorted(lines.items(), reverse=True):  # top of the page first
        line.sort(key=lambda run: run["x"])
        first = line[0]["text"].strip()
        if re.fullmatch(r"\d+\.", first):
            current = {"number": line[0], "runs": list(line)}
            entries.append(current)
        elif current is not None:
            current["runs"].extend(line)
        if current is not None and re.fullmatch(r"\d+", line[-1]["text"].strip("\xa0 ")):
            current["page"] = line[-1]
            current = None
    return index, page, [entry for entry in entries if "page" in entry]


def test_toc_numbers_sit_inside_the_text_block_and_page_numbers_end_on_the_margin(meeting):
    document = reader(pdf.meeting_agenda_pdf(meeting=meeting, edition=pdf.Edition.MEMBERS))
    _index, _page, entries = toc_lines(document)
    assert [int(entry["number"]["text"].strip(". ")) for entry in entries] == list(range(1, 15))

    for entry in entries:
        assert entry["number"]["x"] >= LEFT_MARGIN - 0.5, "the item number hangs in the margin"

    right_ends = set()
    for entry in entries:
        run = entry["page"]
        right_ends.add(round(run["x"] + text_width(run["text"], run["size"]), 1))
    assert len(right_ends) == 1, f"page numbers are not right-aligned: {sorted(right_ends)}"
    assert abs(right_ends.pop() - RIGHT_EDGE) < 1, "page numbers do not end on the right margin"

    # One- and two-digit page numbers both occur, and line up on their last digit.
    assert {len(entry["page"]["text"].strip("\xa0 ")) for entry in entries} == {1, 2}


def test_toc_has_dot_leaders_to_the_right_page(meeting):
    document = reader(pdf.meeting_agenda_pdf(meeting=meeting, edition=pdf.Edition.MEMBERS))
    _index, _page, entries = toc_lines(document)
    texts = page_text(document)
    for entry in entries:
        leader = [run for run in entry["runs"] if run["text"].strip() == "."]
        assert len(leader) >= 3, f"no dot leader on entry {entry['number']['text']}"
        on_last_line = [run for run in leader if abs(run["y"] - entry["page"]["y"]) < 0.1]
        assert on_last_line == leader, "the leader is on the page number's line"
        assert max(run["x"] for run in leader) < entry["page"]["x"]
        number = entry["number"]["text"].strip(". ")
        target = texts[int(entry["page"]["text"].strip("\xa0 ")) - 1]
        assert re.search(rf"^{number}\. ", target, flags=re.MULTILINE)


def test_each_toc_line_is_one_link_over_its_whole_width(meeting):
    document = reader(pdf.meeting_agenda_pdf(meeting=meeting, edition=pdf.Edition.MEMBERS))
    _index, page, entries = toc_lines(document)
    links = [
        annotation.get_object()
        for annotation in page.get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/Link"
    ]
    assert links
    for entry in entries:
        number = entry["number"]["text"].strip(". ")
        first_y, last_y = entry["number"]["y"], entry["page"]["y"]
        covering = []
        for link in links:
            x1, y1, x2, y2 = (float(value) for value in link["/Rect"])
            x1, x2, y1, y2 = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
            if (
                y1 <= last_y
                and first_y <= y2
                and x1 <= LEFT_MARGIN + 0.5
                and x2 >= RIGHT_EDGE - 0.5
            ):
                covering.append(link)
        assert covering, f"no link spans the line of item {number}"
        assert {str(link["/Dest"]) for link in covering} == {f"item-{number}"}
    # No link area is empty (the page numbers' links had no width before).
    for link in links:
        x1, _y1, x2, _y2 = (float(value) for value in link["/Rect"])
        assert abs(x2 - x1) > 1


def test_the_agenda_stays_tagged_and_leaves_no_heading_alone(meeting):
    document = reader(pdf.meeting_agenda_pdf(meeting=meeting, edition=pdf.Edition.MEMBERS))
    assert is_tagged(document)
    assert headings_left_alone(document) == []


# -- the minutes ------------------------------------------------------------------------------


@pytest.fixture
def held_meeting():
    """A held BIU meeting, its minutes approved: 9 items with decisions of every length, so
    that item headings and "Beslutning" fall all over the pages."""
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu")
    meeting = factories.meeting(
        biu,
        day=date(2021, 3, 11),
        status="minutes_approved",
        minutes_approved_at=timezone.now(),
    )
    sentence = (
        "Udvalget drøftede sagen og lagde vægt på, at beboerne inddrages tidligt i arbejdet, "
        "og at forvaltningen vender tilbage med en status efter første år. "
    )
    for number, paragraphs in enumerate((1, 7, 3, 11, 2, 9, 5, 13, 4), start=1):
        item = factories.item(
            meeting,
            number=number,
            title=f"Beskæftigelsesindsatsen i helhedsplan nummer {number}",
            points=("at udvalget tager orienteringen til efterretning.",),
        )
        factories.decision(item, outcome="noted", text="\n\n".join([sentence * 2] * paragraphs))
    return meeting


def test_the_minutes_start_with_the_first_decision_on_page_one(held_meeting):
    document = reader(pdf.meeting_minutes_pdf(meeting=held_meeting, edition=pdf.Edition.PUBLIC))
    first = " ".join(page_text(document)[0].split())
    assert "Beslutningsprotokol" in first
    assert "1. Beskæftigelsesindsatsen i helhedsplan nummer 1" in first
    assert "Beslutning" in first.split("nummer 1", 1)[1]
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 11. marts 2021" in first
    # The items follow each other instead of taking a page each: the short second one
    # starts on page 1 too.
    assert "2. Beskæftigelsesindsatsen i helhedsplan nummer 2" in first


def test_the_minutes_leave_no_heading_alone_at_a_page_foot(held_meeting):
    document = reader(pdf.meeting_minutes_pdf(meeting=held_meeting, edition=pdf.Edition.PUBLIC))
    assert is_tagged(document)
    assert len(document.pages) >= 3
    assert headings_left_alone(document) == []
    # An item's heading and recommendation are not left at a page foot without the decision:
    # the item's heading (H1) is on the page of its "Beslutning" (the H3 after it).
    first_page = {}
    for path, page in marked_content(document):
        for tag, serial in path:
            if tag in ("/H1", "/H3"):
                first_page.setdefault((serial, tag), page)
    order = sorted(first_page.items())
    pairs = [
        (page, next_page)
        for ((_serial, tag), page), ((_next, next_tag), next_page) in zip(
            order, order[1:], strict=False
        )
        if tag == "/H1" and next_tag == "/H3"
    ]
    assert len(pairs) == 9
    assert all(page == next_page for page, next_page in pairs), pairs


# -- every stylesheet, at every height on the page --------------------------------------------


def _scan(blocks: str, *, status=False, steps=range(150, 252, 3)) -> PdfReader:
    """One page per height: a spacer of that many millimetres, then ``blocks``; so that
    the blocks start everywhere down the page, down to its foot."""
    pages = "".join(
        f'<div style="break-before: page; height: {height}mm"></div>{blocks}' for height in steps
    )
    head = '<link rel="stylesheet" href="pdf-status.css">' if status else ""
    body = ' class="status-report"' if status else ""
    return reader(
        pdf.html_to_pdf(
            f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Prøve</title>'
            f"{head}</head><body{body}>{pages}</body></html>"
        )
    )


PARAGRAPH = (
    "<p>" + "Udvalget drøftede sagen og lagde vægt på inddragelsen af beboerne. " * 6 + "</p>"
)


def test_no_heading_is_left_alone_whatever_its_place_on_the_page():
    document = _scan(
        f"<section><h2>Sagsfremstilling</h2>{PARAGRAPH}<h3>Problemstilling</h3>{PARAGRAPH}"
        f"<h4>Økonomi</h4>{PARAGRAPH}</section>"
    )
    assert is_tagged(document)
    assert headings_left_alone(document) == []


def test_status_report_keeps_a_section_heading_and_its_note_with_the_charts():
    """The report's section "Sådan går det i …": heading, a note on how to read the charts,
    then charts that are never split. The heading and note never end a page alone."""
    chart = (
        '<figure class="chart"><div style="height: 55mm; border: 1pt solid #000"></div>'
        "<table><caption>Andel med lav indkomst</caption><tr><th>2024</th><td>21,9 %</td></tr>"
        "</table></figure>"
    )
    document = _scan(
        '<section><h2>Sådan går det i Mjølnerparken</h2><p class="muted">Fuldt optrukket '
        "linje med prikker: Mjølnerparken.</p>"
        f'<div class="chart-grid"><section class="chart-card"><h3>Andel med lav indkomst</h3>'
        f"{chart}</section></div></section>",
        status=True,
    )
    assert headings_left_alone(document) == []
    content = marked_content(document)
    heading_pages = {}
    for path, page in content:
        for tag, serial in path:
            if tag in ("/H2", "/H3"):
                heading_pages.setdefault((tag, serial), page)
    h2s = sorted((serial, page) for (tag, serial), page in heading_pages.items() if tag == "/H2")
    h3s = sorted((serial, page) for (tag, serial), page in heading_pages.items() if tag == "/H3")
    for (serial, page), (chart_serial, chart_page) in zip(h2s, h3s, strict=True):
        assert chart_serial > serial
        assert chart_page == page, f"the heading on page {page + 1} ends it, its charts follow"


def test_table_rows_are_never_split_and_the_header_repeats():
    rows = "".join(
        f"<tr><td>Afdeling {number}</td>"
        f"<td>{'Lejemål og beboere i afdelingen. ' * (number % 4 + 1)}</td>"
        f'<td class="num">{number * 1000}</td></tr>'
        for number in range(1, 80)
    )
    document = _scan(
        "<table><caption>Afdelinger</caption><thead><tr><th scope='col'>Afdeling</th>"
        "<th scope='col'>Beskrivelse</th><th scope='col' class='num'>Beløb</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>",
        steps=(200,),
    )
    assert split_rows(document) == []
    texts = page_text(document)
    assert len(texts) >= 3
    for text in texts[1:]:
        assert "Beskrivelse" in text, "the table's header row is not repeated on every page"
