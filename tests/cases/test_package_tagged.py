"""The meeting package is a tagged PDF like every other PDF made here (issue 20 point 3),
and every PDF says the interface's language (/Lang).

Read back with pikepdf: the structure tree of the agenda is the package's, a tagged
attachment keeps its structure elements under a /Part of its own and its pages point at
valid parent-tree entries, an untagged attachment is appended as it is.
"""

import io

import pikepdf
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML

from cases import pdf
from tests import factories
from tests.cases.test_pdf import seed_meeting as seed_meeting  # the fixture
from tests.helhedsplaner.conftest import story as story  # the fixture
from tests.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db

TAGGED_TITLE = "Tilgængeligt notat"
UNTAGGED_TITLE = "Scannet brev"


def tagged_attachment() -> bytes:
    """Two pages made by WeasyPrint as PDF/UA-1, with a link from the first to the second."""
    return HTML(
        string=(
            "<html lang='da'><head><title>Notat</title></head><body>"
            "<h1>Tilgængeligt notat</h1><p>Se <a href='#bilag'>næste side</a>.</p>"
            "<h2 id='bilag' style='break-before: page'>Næste side</h2><p>Tabellen:</p>"
            "<table><tr><th>År</th><td>2009</td></tr></table></body></html>"
        )
    ).write_pdf(pdf_variant="pdf/ua-1")


def untagged_attachment() -> bytes:
    """One page of text with no structure tree (as a scanner's or an old program's file),
    with a stray /StructParents key that points nowhere."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    page = document.pages[0]
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = document.make_stream(b"BT /F1 12 Tf 72 720 Td (Scannet brev) Tj ET")
    page.obj.StructParents = 0
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def open_pdf(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


def parent_tree(document: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    """The parent tree's entries, from its /Nums and those of any /Kids."""

    def entries(node):
        nums = node.get("/Nums", [])
        for index in range(0, len(nums), 2):
            yield int(nums[index]), nums[index + 1]
        for kid in node.get("/Kids", []):
            yield from entries(kid)

    tree = document.Root.StructTreeRoot.get("/ParentTree")
    return dict(entries(tree)) if tree is not None else {}


def elements(node) -> list[pikepdf.Dictionary]:
    """The structure elements under ``node`` (the tree root or an element), in order."""
    found = []
    kids = node.get("/K")
    if kids is None:
        return found
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
            found.append(kid)
            found.extend(elements(kid))
    return found


def reaches(element, tree) -> bool:
    """Whether the element's /P chain leads to the tree root."""
    for _step in range(64):
        if element.get("/Type") == "/StructTreeRoot" or "/P" not in element:
            return element.objgen == tree.objgen
        element = element.P
    return False


def types(node) -> list[str]:
    return [str(element.S) for element in elements(node)]


def outline_pages(document: pikepdf.Pdf) -> dict[str, int]:
    """Bookmark title -> 0-based page index, at every level of the outline."""
    pages = {}
    index = {page.objgen: number for number, page in enumerate(document.pages)}
    with document.open_outline() as outline:

        def walk(items):
            for item in items:
                pages[item.title] = index[item.destination[0].objgen]
                walk(item.children)

        walk(outline.root)
    return pages


@pytest.fixture
def package_meeting(seed_meeting):
    """The seed meeting (a tagged attachment made by the app and a spreadsheet on item 18),
    with a two-page tagged attachment and an untagged one after them."""
    item = seed_meeting.agenda_items.get(number=18)
    factories.attachment(
        item, title=TAGGED_TITLE, content=tagged_attachment(), filename="notat.pdf"
    )
    factories.attachment(
        item, title=UNTAGGED_TITLE, content=untagged_attachment(), filename="brev.pdf"
    )
    return seed_meeting


def download(client, user, name: str, pk: int) -> bytes:
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_bytes(response)


def test_package_is_tagged_with_the_agendas_tree_title_and_language(
    client, secretary, package_meeting
):
    package = open_pdf(download(client, secretary, "pdf:meeting_package", package_meeting.pk))
    agenda = open_pdf(pdf.meeting_agenda_pdf(meeting=package_meeting, edition=pdf.Edition.MEMBERS))
    root = package.Root
    assert root.MarkInfo.Marked is True
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(root.Lang) == "da"
    assert str(package.docinfo.Title).startswith("Dagsorden")
    assert str(package.docinfo.Author) == "Beskæftigelses- og Integrationsudvalget"
    with package.open_metadata() as metadata:
        assert metadata["dc:title"] == str(package.docinfo.Title)

    # The agenda's elements are the package's tree: its one top-level element (which
    # stands for the package and holds the attachments' parts after the agenda's own).
    tree = root.StructTreeRoot
    agenda_kids = agenda.Root.StructTreeRoot.K
    assert [str(kid.S) for kid in tree.K] == [str(kid.S) for kid in agenda_kids] == ["/Document"]
    agenda_types = types(agenda_kids[0])
    assert types(tree.K[0])[: len(agenda_types)] == agenda_types
    assert "/H1" in agenda_types and "/Link" in agenda_types  # the contents' links
    agenda_count = len(elements(agenda_kids[0]))
    assert all(kid.S == "/Part" for kid in list(tree.K[0].K)[len(agenda_kids[0].K) :])
    assert len(elements(tree.K[0])) > agenda_count

    # Every key a page or annotation holds names an entry of the parent tree, and that
    # entry names elements of the tree (whose /Pg is the page itself), as in the agenda.
    entries = parent_tree(package)
    in_tree = {element.objgen for element in elements(tree)}
    with_keys = 0
    for page in package.pages:
        if "/StructParents" not in page.obj:
            continue
        with_keys += 1
        entry = entries[int(page.obj.StructParents)]
        assert isinstance(entry, pikepdf.Array)
        marked = [element for element in entry if isinstance(element, pikepdf.Dictionary)]
        assert marked, "a page's entry names the elements of its marked content"
        assert all(element.Pg.objgen == page.objgen for element in marked if "/Pg" in element)
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                assert entries[int(annotation.StructParent)].objgen in in_tree
    # (Elements reached only by their /P: WeasyPrint leaves the running header and footer's
    # /NonStruct out of the /K of their /Document, in the agenda on its own too.)
    assert with_keys >= len(agenda.pages)
    assert int(tree.ParentTreeNextKey) > max(entries)
    assert "/Kids" not in tree.ParentTree  # one flat /Nums array


def test_tagged_attachment_keeps_its_elements_and_untagged_one_still_merges(
    client, secretary, package_meeting
):
    package = open_pdf(download(client, secretary, "pdf:meeting_package", package_meeting.pk))
    source = open_pdf(tagged_attachment())
    pages = outline_pages(package)
    tagged_label = f"Bilag 3: {TAGGED_TITLE}"
    untagged_label = f"Bilag 4: {UNTAGGED_TITLE}"
    assert pages[untagged_label] == pages[tagged_label] + len(source.pages)

    # The attachment's elements sit under a /Part of their own, titled like the bookmark.
    tree = package.Root.StructTreeRoot
    document = tree.K[0]
    parts = {str(kid.get("/T", "")): kid for kid in document.K if kid.S == "/Part"}
    part = parts[tagged_label]
    assert part.P.objgen == document.objgen and reaches(part, tree)
    assert str(part.Lang) == "da"
    assert types(part) == types(source.Root.StructTreeRoot)
    assert {"/H1", "/H2", "/Link", "/Table"} <= set(types(part))
    in_part = {element.objgen for element in elements(part)}

    # Its pages' keys (moved past the agenda's) name entries of elements in its /Part, as
    # many marked-content items as the attachment's own pages had.
    entries = parent_tree(package)
    source_entries = parent_tree(source)
    first = pages[tagged_label]
    for offset, source_page in enumerate(source.pages):
        page = package.pages[first + offset].obj
        assert "/StructParents" in page
        entry = entries[int(page.StructParents)]
        assert len(entry) == len(source_entries[int(source_page.obj.StructParents)])
        assert all(element.objgen in in_part for element in entry)
        assert all(element.Pg.objgen == page.objgen for element in entry if "/Pg" in element)
    link = next(a for a in package.pages[first].obj.Annots if a.Subtype == "/Link")
    assert entries[int(link.StructParent)].objgen in in_part
    # The link goes to the attachment's own second page (its named destination is made
    # explicit: the name was the attachment's, not the package's).
    destination = link.get("/Dest") or link.A.D
    assert isinstance(destination, pikepdf.Array)
    assert destination[0].objgen == package.pages[first + 1].objgen

    # The untagged attachment is in, as it is: its page, no /Part, its stray key gone.
    untagged = package.pages[pages[untagged_label]]
    assert b"Scannet brev" in untagged.obj.Contents.read_bytes()
    assert "/StructParents" not in untagged.obj
    assert untagged_label not in parts
    # With untagged content in it, the package does not claim PDF/UA conformance.
    with package.open_metadata() as metadata:
        assert "{http://www.aiim.org/pdfua/ns/id/}part" not in metadata


def test_every_page_keeps_struct_parents_where_its_source_page_had_them(
    client, secretary, package_meeting
):
    package = open_pdf(download(client, secretary, "pdf:meeting_package", package_meeting.pk))
    edition = pdf.Edition.MEMBERS
    item = package_meeting.agenda_items.get(number=18)
    sources = [
        ("Dagsorden", open_pdf(pdf.meeting_agenda_pdf(meeting=package_meeting, edition=edition))),
        *[
            (f"Bilag {a.position}: {a.title}", open_pdf(a.file.open("rb").read()))
            for a in item.attachments.order_by("position")
            if a.file.name.endswith(".pdf")
        ],
    ]
    assert len(sources) == 4  # the agenda, the seed's note, the tagged and untagged ones
    pages = outline_pages(package)
    assert "Bilag, der ikke er med" in pages  # the spreadsheet: on the closing page
    for label, source in sources:
        first = pages[label]
        for offset, source_page in enumerate(source.pages):
            had = "/StructParents" in source_page.obj
            page = package.pages[first + offset].obj
            assert ("/StructParents" in page) == (had and label != f"Bilag 4: {UNTAGGED_TITLE}")
    closing = package.pages[pages["Bilag, der ikke er med"]].obj
    assert int(closing.StructParents) in parent_tree(package)  # the closing page is tagged


def test_package_of_only_tagged_parts_still_claims_pdf_ua(seed_meeting):
    content = pdf.meeting_package_pdf(meeting=seed_meeting, edition=pdf.Edition.PUBLIC)
    package = open_pdf(content)
    with package.open_metadata() as metadata:
        assert metadata["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
    assert str(package.Root.Lang) == "da"


@override_settings(LANGUAGE_CODE="en")
def test_english_interface_pdfs_say_lang_en(client, secretary, package_meeting):
    item = package_meeting.agenda_items.get(number=18)
    package_meeting.status = package_meeting.Status.HELD
    package_meeting.save()
    with translation.override("en"):
        assert pdf.document_language() == "en"
        documents = {
            "package": download(client, secretary, "pdf:meeting_package", package_meeting.pk),
            "agenda": download(client, secretary, "pdf:meeting_agenda", package_meeting.pk),
            "item": download(client, secretary, "pdf:agenda_item", item.pk),
            "minutes": download(client, secretary, "pdf:meeting_minutes", package_meeting.pk),
            "function": pdf.meeting_package_pdf(
                meeting=package_meeting, edition=pdf.Edition.PUBLIC
            ),
        }
    for name, content in documents.items():
        document = open_pdf(content)
        assert str(document.Root.Lang) == "en", name
        assert "/StructTreeRoot" in document.Root, name
    package = open_pdf(documents["package"])
    assert str(package.docinfo.Title).startswith("Agenda")
    assert "Agenda" in outline_pages(package)


@override_settings(LANGUAGE_CODE="en")
def test_english_interface_status_report_says_lang_en(client, politician, story):
    # Rendered by the job (the immediate backend in tests), outside the request: in the
    # language it was asked for in.
    with translation.override("en"):
        content = download(client, politician, "planstatus:plan_status_pdf", story["plan"].pk)
    report = open_pdf(content)
    assert str(report.Root.Lang) == "en"
    assert "/StructTreeRoot" in report.Root


def test_danish_interface_status_report_says_lang_da(client, politician, story):
    content = download(client, politician, "planstatus:plan_status_pdf", story["plan"].pk)
    assert str(open_pdf(content).Root.Lang) == "da"
