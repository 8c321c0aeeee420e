"""Journey (b): the secretary builds the seed's meeting, item 18 and all, to approved minutes.

The item's content is the real seed text (BIU, 28 May 2009, item 18), on a new
meeting on 28 May 2025 so it does not collide with the demo's own copy of the meeting;
a past day, since a meeting is marked held, decided and approved only once it has started.
"""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.pdf import html_to_pdf
from demo import seed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BIU = "Beskæftigelses- og Integrationsudvalget"
BIF = "Beskæftigelses- og Integrationsforvaltningen"


def _attachment_pdf(tmp_path):
    path = tmp_path / "nye-procesmuligheder.pdf"
    path.write_bytes(
        html_to_pdf(
            f"<html lang='da'><body><h1>{seed.SEED_ATTACHMENT_TITLE}</h1>"
            "<p>Notat fra Teknik- og Miljøforvaltningen til Teknik- og Miljøudvalget.</p>"
            "</body></html>"
        )
    )
    return path


def _pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def _meeting_status(page):
    return page.locator(".facts .status")


def test_secretary_builds_the_seed_meeting_and_approves_the_minutes(page_as, axe, tmp_path):
    page = page_as("sekretaer")

    # A new BIU meeting.
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Møder").click()
    page.get_by_role("link", name="Nyt møde").click()
    expect(page.get_by_role("heading", level=1, name="Nyt møde")).to_be_visible()
    page.get_by_label("Udvalg").select_option(label=BIU)
    page.get_by_label("Dato").fill("2025-05-28")
    page.get_by_label("Starttidspunkt").fill("15:00")
    page.get_by_label("Sted").fill("Københavns Rådhus")
    axe(page, "meeting form")
    page.get_by_role("button", name="Opret mødet").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(BIU)
    expect(page.get_by_role("heading", level=1)).to_contain_text("28. maj 2025")
    expect(page.get_by_role("status")).to_contain_text("Mødet er oprettet")
    meeting_url = page.url
    meeting_pk = int(re.search(r"/moeder/(\d+)/", meeting_url).group(1))
    axe(page, "meeting page (draft)")

    # Item 18's content: first without a title, then complete.
    page.get_by_role("link", name="Nyt punkt på dette møde").click()
    expect(page.get_by_role("heading", level=1, name="Nyt dagsordenspunkt")).to_be_visible()
    expect(page.get_by_label("Sæt på møde")).to_have_value(str(meeting_pk))
    page.get_by_label("Punkttype").select_option(label="Til drøftelse")
    page.get_by_label("Resumé").fill(seed.SEED_SUMMARY)
    page.get_by_label("Indstillende forvaltning").select_option(label=BIF)
    page.get_by_label("Tekst").fill(seed.SEED_RECOMMENDATION_POINTS[0])
    page.get_by_label("Problemstilling").fill(seed.SEED_PROBLEM)
    page.get_by_label("Løsning").fill(seed.SEED_SOLUTION)
    page.get_by_role("textbox", name="Økonomi").fill(seed.SEED_ECONOMY)
    page.get_by_label("Videre proces").fill(seed.SEED_FURTHER_PROCESS)
    axe(page, "item form")
    page.get_by_role("button", name="Opret punktet").click()

    summary = page.get_by_role("alert")
    # The failed submit lands on the error summary (autofocus, no JavaScript needed).
    expect(summary).to_be_focused()
    title_link = summary.get_by_role("link", name=re.compile("Titel"))
    expect(title_link).to_have_attribute("href", "#id_title")
    title = page.get_by_label("Titel", exact=True)
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Problemstilling")).to_have_value(seed.SEED_PROBLEM)
    expect(page.get_by_label("Tekst")).to_have_value(seed.SEED_RECOMMENDATION_POINTS[0])
    axe(page, "item form with errors")
    title_link.click()
    expect(title).to_be_focused()
    title.fill(seed.SEED_TITLE)
    page.get_by_role("button", name="Opret punktet").click()

    # The item page.
    # (The browser keeps the "#id_title" fragment across the redirect.)
    expect(page).to_have_url(re.compile(r"/sager/punkter/\d+/(#.*)?$"))
    item_pk = int(re.search(r"/punkter/(\d+)/", page.url).group(1))
    item_url = f"{page.base}/sager/punkter/{item_pk}/"
    item = page.get_by_role("article")
    expect(item.get_by_role("heading", level=2)).to_contain_text(f"1. {seed.SEED_TITLE}")
    expect(item).to_contain_text(f"{BIF} indstiller,")
    expect(item).to_contain_text(seed.SEED_RECOMMENDATION_POINTS[0])

    # Its attachment, with its own case number.
    page.get_by_role("link", name="Tilføj bilag").click()
    page.get_by_label("Titel", exact=True).fill(seed.SEED_ATTACHMENT_TITLE)
    page.get_by_label("Sagsnummer").fill(seed.SEED_ATTACHMENT_CASE_NUMBER)
    page.get_by_label("Fil", exact=True).set_input_files(_attachment_pdf(tmp_path))
    page.get_by_role("button", name="Upload bilaget").click()
    expect(page).to_have_url(item_url)
    attachments = (
        page.get_by_role("article")
        .get_by_role("list")
        .filter(has=page.get_by_role("link", name=seed.SEED_ATTACHMENT_TITLE))
    )
    expect(attachments).to_contain_text(f"({seed.SEED_ATTACHMENT_CASE_NUMBER})")
    axe(page, "item page (draft agenda, with attachment)")

    # Publish the agenda and download it as a PDF.
    page.goto(meeting_url)
    page.get_by_role("button", name="Offentliggør dagsordenen").click()
    expect(page.get_by_role("status")).to_contain_text("offentliggjort")
    expect(_meeting_status(page)).to_have_text("Dagsorden offentliggjort")
    axe(page, "meeting page (published)")
    # Chromium shows an inline PDF in its viewer; Alt+click is its "download the link" gesture.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Dagsorden (PDF), offentlig udgave").click(modifiers=["Alt"])
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    agenda_pdf = tmp_path / "dagsorden.pdf"
    download.save_as(agenda_pdf)
    text = _pdf_text(agenda_pdf)
    assert seed.SEED_TITLE in text
    assert "Indstilling og beslutning" in text
    assert seed.SEED_ATTACHMENT_CASE_NUMBER in text

    # The meeting is held; the decision is recorded on the item.
    page.get_by_role("button", name="Markér som afholdt").click()
    expect(_meeting_status(page)).to_have_text("Afholdt")
    page.goto(item_url)
    page.get_by_role("link", name="Registrér beslutningen").click()
    page.get_by_label("Udfald").select_option(label="Taget til efterretning")
    page.get_by_label("Beslutningstekst").fill("Udvalget drøftede sagen.")
    axe(page, "decision form")
    page.get_by_role("button", name="Gem beslutningen").click()
    # Back on the meeting page, the decision shows with the item.
    expect(page).to_have_url(re.compile(rf"/moeder/{meeting_pk}/"))
    item = page.get_by_role("article").filter(has_text=seed.SEED_TITLE)
    expect(item).to_contain_text("Taget til efterretning")
    expect(item).to_contain_text("Udvalget drøftede sagen.")

    # The minutes are approved: the record is locked.
    page.get_by_role("button", name="Godkend referatet").click()
    expect(_meeting_status(page)).to_have_text("Referat godkendt")
    page.goto(item_url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Redigér punktet")).to_have_count(0)
    expect(page.get_by_role("link", name="Registrér beslutningen")).to_have_count(0)
    axe(page, "item page (minutes approved)")

    # A direct visit to the edit page is refused with the reason, and so is a direct POST.
    page.goto(f"{item_url}rediger/")
    expect(page).to_have_url(item_url)
    expect(page.get_by_role("status")).to_contain_text("Referatet af dette møde er godkendt")
    expect(page.get_by_role("textbox", name="Titel")).to_have_count(0)
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{item_url}rediger/",
        form={"title": "Ændret efter godkendelsen", "item_type": "discussion"},
        headers={"X-CSRFToken": csrf, "Referer": item_url},
        max_redirects=0,
    )
    assert response.status == 302  # refused and sent back (not a CSRF 403, not a form page)
    assert response.headers["location"] == f"/sager/punkter/{item_pk}/"
    page.reload()
    expect(page.get_by_role("article").get_by_role("heading", level=2)).to_contain_text(
        seed.SEED_TITLE
    )
