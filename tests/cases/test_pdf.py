"""The printed agenda, item, minutes and package, read back as text with pypdf."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import pdf
from committees.models import Meeting, Membership
from demo import seed
from tests import factories
from tests.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_meeting():
    """BIU 28 May 2009 with 17 short items, the seed as item 18, and a closed item 19."""
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu")
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    meeting = factories.meeting(biu, day=date(2009, 5, 28))
    for number in range(1, 18):
        factories.item(meeting, number=number, title=f"Orientering nummer {number}")
    case = factories.case(seed.SEED_CASE_NUMBER, admin=bif, title=seed.SEED_TITLE)
    item = factories.item(
        meeting,
        number=18,
        case_obj=case,
        title=seed.SEED_TITLE,
        summary=seed.SEED_SUMMARY,
        item_type="discussion",
        problem=seed.SEED_PROBLEM,
        solution=seed.SEED_SOLUTION,
        economy=seed.SEED_ECONOMY,
        further_process=seed.SEED_FURTHER_PROCESS,
        points=seed.SEED_RECOMMENDATION_POINTS,
    )
    attachment_pdf = pdf.html_to_pdf(
        "<html lang='da'><head><title>Notat</title></head><body><p>Notatets tekst</p></body></html>"
    )
    factories.attachment(
        item,
        title=seed.SEED_ATTACHMENT_TITLE,
        case_number=seed.SEED_ATTACHMENT_CASE_NUMBER,
        content=attachment_pdf,
        filename="Nye procesmuligheder.pdf",
    )
    closed = factories.item(
        meeting,
        number=19,
        title="Fortroligt lejemålskøb",
        is_closed=True,
        problem="Købesummen er 4,2 mio. kr.",
    )
    factories.attachment(closed, title="Fortrolig vurdering", is_closed=True)
    factories.attachment(
        item, title="Regneark med tal", content=b"PK\x03\x04xlsx", filename="tal.xlsx"
    )
    return meeting


def text_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_agenda_has_the_seed_item_in_the_seed_form(seed_meeting):
    pages = text_of(pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.MEMBERS))
    whole = "\n".join(pages)
    for text in (
        "Dagsorden",
        "Beskæftigelses- og Integrationsudvalget",
        "28. maj 2009",
        "18. Styring af de politiske processer",
        "(2009-68440)",
        "Indstilling og beslutning",
        "Beskæftigelses- og Integrationsforvaltningen indstiller,",
        "at Beskæftigelses- og Integrationsudvalget drøfter sagen.",
        "Problemstilling",
        "Løsning",
        "Økonomi",
        "Videre proces",
        "Bilag",
        "Nye procesmuligheder i forbindelse med de områdebaserede indsatser (2009-300035)",
    ):
        assert text in whole.replace("\n", " ") or text in whole, text


def test_table_of_contents_points_at_the_right_pages(seed_meeting):
    pages = text_of(pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.MEMBERS))
    toc = next(page for page in pages if page.startswith("Indhold") or "\nIndhold" in page[:40])
    # each line: number, title, case number, dot leaders, page number
    entries = re.findall(
        r"^(\d+)\.\s.*?\(\d{4}-\d+\)[\s.]*?(\d+)$", toc, flags=re.MULTILINE | re.DOTALL
    )
    assert [int(number) for number, _ in entries] == list(range(1, 20))
    for number, page_number in entries:
        target = pages[int(page_number) - 1]
        assert re.search(rf"^{number}\. ", target, flags=re.MULTILINE), (number, page_number)


def test_every_page_says_side_x_af_y_and_the_running_header(seed_meeting):
    pages = text_of(pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.MEMBERS))
    total = len(pages)
    for index, page in enumerate(pages, start=1):
        assert f"Side {index} af {total}" in page
    assert "Beskæftigelses- og Integrationsudvalget" in pages[5]
    assert "28. maj 2009" in pages[5]


def test_public_edition_hides_closed_content(seed_meeting):
    members = "\n".join(
        text_of(pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.MEMBERS))
    )
    public = "\n".join(
        text_of(pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.PUBLIC))
    )
    assert "Fortroligt lejemålskøb" in members
    assert "Købesummen er 4,2 mio. kr." in members
    assert "Fortrolig vurdering" in members
    assert "19. Lukket punkt" in public
    assert "Fortroligt lejemålskøb" not in public
    assert "Købesummen" not in public
    assert "Fortrolig vurdering" not in public
    assert "Offentlig udgave" in public and "Medlemsudgave" in members


def test_decision_printed_after_the_meeting_is_held(seed_meeting):
    item = seed_meeting.agenda_items.get(number=18)
    factories.decision(item, outcome="noted", text="Udvalget drøftede sagen.")
    before = "\n".join(
        text_of(pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.PUBLIC))
    )
    assert "Udvalget drøftede sagen." not in before  # the agenda is printed before the meeting
    seed_meeting.status = Meeting.Status.MINUTES_APPROVED
    seed_meeting.minutes_approved_at = timezone.now()
    seed_meeting.save()
    after = "\n".join(
        text_of(pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.PUBLIC))
    )
    assert "Beslutning" in after
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 28. maj 2009" in after
    assert "Udvalget drøftede sagen." in after
    minutes = "\n".join(
        text_of(pdf.meeting_minutes_pdf(meeting=seed_meeting, edition=pdf.Edition.PUBLIC))
    )
    assert "Beslutningsprotokol" in minutes
    assert "Taget til efterretning" in minutes
    assert "Udvalget drøftede sagen." in minutes
    assert "Fortroligt lejemålskøb" not in minutes


def test_pdf_metadata_title_and_language(seed_meeting):
    reader = PdfReader(
        io.BytesIO(pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.PUBLIC))
    )
    assert (
        reader.metadata.title == "Dagsorden – Beskæftigelses- og Integrationsudvalget 28. maj 2009"
    )
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert "/StructTreeRoot" in root  # tagged (PDF/UA)
    assert root["/MarkInfo"]["/Marked"]


def test_package_merges_visible_pdf_attachments_with_an_outline(seed_meeting):
    content = pdf.meeting_package_pdf(meeting=seed_meeting, edition=pdf.Edition.PUBLIC)
    reader = PdfReader(io.BytesIO(content))
    outline = reader.outline
    titles = [entry.title for entry in outline if not isinstance(entry, list)]
    assert titles[0] == "Dagsorden"
    assert "18. Styring af de politiske processer i forbindelse med boligsociale helhedsplaner" in (
        titles
    )
    assert "19. Lukket punkt" in titles
    children = outline[
        titles.index(
            "18. Styring af de politiske processer i forbindelse med boligsociale helhedsplaner"
        )
        + 1
    ]
    assert [child.title for child in children] == [
        "Bilag 1: Nye procesmuligheder i forbindelse med de områdebaserede indsatser"
    ]
    attachment_page = reader.get_destination_page_number(children[0])
    assert "Notatets tekst" in reader.pages[attachment_page].extract_text()
    whole = "\n".join(page.extract_text() for page in reader.pages)
    assert "Fortrolig vurdering" not in whole  # closed attachment not in the public package
    assert "Bilag, der ikke er med" in whole and "tal.xlsx" in whole
    assert reader.metadata.title.startswith("Dagsorden")


def test_single_item_pdf(seed_meeting):
    item = seed_meeting.agenda_items.get(number=18)
    pages = text_of(pdf.agenda_item_pdf(item=item, edition=pdf.Edition.PUBLIC))
    assert "18. Styring af de politiske processer" in pages[0]
    assert "Side 1 af" in pages[0]


# -- downloads ---------------------------------------------------------------------------


def test_download_has_danish_file_name(client, politician, seed_meeting):
    client.force_login(politician)
    response = client.get(reverse("pdf:meeting_agenda", args=[seed_meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''Dagsorden%20%E2%80%93%20Besk%C3%A6ftigelses-" in disposition


def test_non_member_gets_public_edition_and_cannot_ask_for_members(
    client, politician, seed_meeting
):
    client.force_login(politician)
    response = client.get(reverse("pdf:meeting_agenda", args=[seed_meeting.pk]))
    assert "Fortroligt lejemålskøb" not in "\n".join(text_of(pdf_bytes(response)))
    response = client.get(reverse("pdf:meeting_agenda", args=[seed_meeting.pk]) + "?udgave=medlem")
    assert response.status_code == 403


def test_member_gets_members_edition(client, politician, seed_meeting):
    factories.member(politician, seed_meeting.committee)
    client.force_login(politician)
    response = client.get(reverse("pdf:meeting_agenda", args=[seed_meeting.pk]))
    assert "Fortroligt lejemålskøb" in "\n".join(text_of(pdf_bytes(response)))
    public = client.get(reverse("pdf:meeting_agenda", args=[seed_meeting.pk]) + "?udgave=offentlig")
    assert "Fortroligt lejemålskøb" not in "\n".join(text_of(pdf_bytes(public)))


def test_committee_secretary_gets_members_edition(client, secretary, seed_meeting):
    factories.member(secretary, seed_meeting.committee, role=Membership.Role.SECRETARY)
    client.force_login(secretary)
    response = client.get(reverse("pdf:meeting_package", args=[seed_meeting.pk]))
    text = "\n".join(text_of(pdf_bytes(response)))
    assert "Fortroligt lejemålskøb" in text
    # The closed attachment is a damaged PDF (a header only): a note takes its place.
    assert "Punkt 19, bilag 1 kunne ikke komme med" in text
    assert "Fortrolig vurdering" in text


def test_closed_item_pdf_for_non_member_shows_only_lukket_punkt(client, caseworker, seed_meeting):
    closed = seed_meeting.agenda_items.get(number=19)
    client.force_login(caseworker)
    response = client.get(reverse("pdf:agenda_item", args=[closed.pk]))
    text = "\n".join(text_of(pdf_bytes(response)))
    assert "19. Lukket punkt" in text
    assert "Købesummen" not in text


def test_draft_meeting_agenda_not_available_to_politicians(client, politician, secretary):
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    factories.item(meeting)
    client.force_login(politician)
    assert client.get(reverse("pdf:meeting_agenda", args=[meeting.pk])).status_code == 404
    client.force_login(secretary)
    assert client.get(reverse("pdf:meeting_agenda", args=[meeting.pk])).status_code == 200


def test_minutes_only_after_the_meeting(client, politician, seed_meeting):
    client.force_login(politician)
    assert client.get(reverse("pdf:meeting_minutes", args=[seed_meeting.pk])).status_code == 404
    seed_meeting.status = Meeting.Status.MINUTES_APPROVED
    seed_meeting.minutes_approved_at = timezone.now()
    seed_meeting.save()
    response = client.get(reverse("pdf:meeting_minutes", args=[seed_meeting.pk]))
    assert response.status_code == 200
    assert "Beslutningsprotokol" in "\n".join(text_of(pdf_bytes(response)))


def test_print_meeting_command_writes_the_pdfs(tmp_path, seed_meeting):
    out = io.StringIO()
    call_command(
        "print_meeting", seed_meeting.pk, "--out", str(tmp_path), "--edition", "both", stdout=out
    )
    members = sorted(p.name for p in (tmp_path / "members").iterdir())
    public = sorted(p.name for p in (tmp_path / "public").iterdir())
    assert "Dagsorden – Beskæftigelses- og Integrationsudvalget 28. maj 2009.pdf" in members
    assert len(members) == len(public) == 2 + 19  # agenda, package, 19 items
    assert "[1/42]" in out.getvalue()
    closed_public = (
        tmp_path / "public" / "Punkt 19 – Beskæftigelses- og Integrationsudvalget 28. maj 2009.pdf"
    )
    assert "Købesummen" not in "\n".join(text_of(closed_public.read_bytes()))


def test_meeting_page_links_to_the_pdfs_by_edition(client, politician, seed_meeting):
    client.force_login(politician)
    url = reverse("meetings:meeting_detail", args=[seed_meeting.pk])
    content = client.get(url).content.decode()
    assert reverse("pdf:meeting_agenda", args=[seed_meeting.pk]) + "?udgave=offentlig" in content
    assert "?udgave=medlem" not in content  # not a member: no members' edition offered
    assert reverse("pdf:meeting_package", args=[seed_meeting.pk]) in content
    factories.member(politician, seed_meeting.committee)
    politician = type(politician).objects.get(pk=politician.pk)
    client.force_login(politician)
    content = client.get(url).content.decode()
    assert reverse("pdf:meeting_agenda", args=[seed_meeting.pk]) + "?udgave=medlem" in content
    assert "Dagsorden (PDF), medlemsudgave med lukkede punkter" in content


def test_item_page_links_to_the_item_pdf(client, politician, seed_meeting):
    item = seed_meeting.agenda_items.get(number=18)
    client.force_login(politician)
    content = client.get(reverse("cases:item_detail", args=[item.pk])).content.decode()
    assert reverse("pdf:agenda_item", args=[item.pk]) in content


def test_an_english_agenda_writes_its_dates_in_english(seed_meeting):
    from django.utils import translation

    with translation.override("en"):
        content = pdf.meeting_agenda_pdf(meeting=seed_meeting, edition=pdf.Edition.PUBLIC)
        title = pdf.agenda_title(seed_meeting)
    whole = "\n".join(text_of(content))
    assert "28 May 2009" in title and "28. May" not in title
    assert "28 May 2009" in whole
    assert "28. May" not in whole
