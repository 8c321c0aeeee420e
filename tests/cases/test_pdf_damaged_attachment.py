"""One damaged PDF attachment is left out of the meeting package with a note in its place;
the rest of the package is produced as usual."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases import pdf
from tests import factories
from tests.cases.test_pdf import seed_meeting as seed_meeting  # the fixture

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOTE = "kunne ikke komme med i den samlede pakke, fordi filen er beskadiget"


def _no_pages_pdf() -> bytes:
    """A well-formed file whose page tree holds no page (pypdf reads it as 0 pages)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
    objects.append(b"42")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    "damaged",
    [
        (DATA / "damaged-on-read.pdf").read_bytes(),  # pypdf raised AttributeError reading it
        (DATA / "damaged-on-copy.pdf").read_bytes(),  # read fine, failed when copied
        _no_pages_pdf(),
        b"%PDF-1.7\n" + b"\x00" * 500,
    ],
    ids=["on-read", "on-copy", "no-pages", "only-a-header"],
)
def test_package_with_a_damaged_attachment_is_a_pdf_with_a_note_in_its_place(
    client,
    secretary,
    seed_meeting,
    damaged,
):
    item = seed_meeting.agenda_items.get(number=18)
    factories.attachment(
        item,
        title="Beskadiget budgetbilag",
        case_number="2009-300099",
        content=damaged,
        filename="budget.pdf",
    )
    good = pdf.html_to_pdf(
        "<html lang='da'><head><title>B</title></head><body><p>Sidste gode bilag</p></body></html>"
    )
    factories.attachment(item, title="Efterfølgende bilag", content=good, filename="efter.pdf")
    client.force_login(secretary)
    response = client.get(reverse("pdf:meeting_package", args=[seed_meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    whole = "\n".join(pages)
    assert "Notatets tekst" in whole  # the attachment before the damaged one
    assert "Sidste gode bilag" in whole  # and the one after it
    note_page = next(i for i, text in enumerate(pages) if NOTE in text)
    note = pages[note_page]
    assert "Punkt 18, bilag 3 kunne ikke komme med" in note
    assert "Beskadiget budgetbilag" in note and "2009-300099" in note
    # The note sits at the attachment's place: after the first attachment, before the next.
    assert note_page > next(i for i, text in enumerate(pages) if "Notatets tekst" in text)
    assert note_page < next(i for i, text in enumerate(pages) if "Sidste gode bilag" in text)
    # And the outline points at it, under the item.
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    children = reader.outline[titles.index(next(t for t in titles if t.startswith("18."))) + 1]
    labels = {child.title: reader.get_destination_page_number(child) for child in children}
    assert labels["Bilag 3: Beskadiget budgetbilag"] == note_page
    assert "tal.xlsx" in whole  # non-PDF attachments are still listed on the closing page
