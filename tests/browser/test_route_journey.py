"""Journey: a case's route TMU → ØU → BR in the browser (issue 18, "Done when").

The secretary (who serves TMU, ØU and BR in the demo) enters a real-shaped item with a
joint recommendation in two blocks on a new TMU meeting, TMU recommends it, the case is
sent on to ØU and then to BR, and BR's agenda PDF prints TMU's and ØU's decisions, in
that order, under their own dated headings. The case page shows the route and where the
case is now. Past dates: a meeting is held and decided only once it has started.
"""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TMF = "Teknik- og Miljøforvaltningen"
OKF = "Økonomiforvaltningen"
TMU = "Teknik- og Miljøudvalget"
OU = "Økonomiudvalget"
BR = "Borgerrepræsentationen"
TITLE = "Fælles medfinansieringspulje for de boligsociale helhedsplaner 2026–2029"
JOINT = f"{TMF} og {OKF} indstiller, at {TMU} over for {OU} og {BR} anbefaler,"
SECOND = f"{OKF} indstiller, at {OU} over for {BR} anbefaler,"


def _pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def _new_meeting(page, committee: str, day: str) -> str:
    page.goto(f"{page.base}/moeder/")
    page.get_by_role("link", name="Nyt møde").click()
    page.get_by_label("Udvalg").select_option(label=committee)
    page.get_by_label("Dato").fill(day)
    page.get_by_label("Starttidspunkt").fill("15:00")
    page.get_by_label("Sted").fill("Københavns Rådhus")
    page.get_by_role("button", name="Opret mødet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(committee)
    return page.url


def _hold_and_decide(page, meeting_url: str, item_url: str, text: str) -> None:
    page.goto(meeting_url)
    page.get_by_role("button", name="Offentliggør dagsordenen").click()
    expect(page.get_by_role("status")).to_contain_text("offentliggjort")
    page.get_by_role("button", name="Markér som afholdt").click()
    page.goto(item_url)
    page.get_by_role("link", name="Registrér beslutningen").click()
    page.get_by_label("Udfald").select_option(label="Anbefalet")
    page.get_by_label("Beslutningstekst").fill(text)
    page.get_by_role("button", name="Gem beslutningen").click()
    page.goto(item_url)


def _send_on(page, item_url: str, committee_short: str, meeting_url: str, axe=None) -> str:
    page.goto(item_url)
    page.get_by_role("link", name=f"Send sagen videre til {committee_short}").click()
    if axe is not None:
        axe(page, "send-on form")
    meeting_pk = re.search(r"/moeder/(\d+)/", meeting_url).group(1)
    page.get_by_label("Møde").select_option(meeting_pk)
    page.get_by_role("button", name=re.compile("Send videre til")).click()
    expect(page.get_by_role("status")).to_contain_text("Sagen er sendt videre")
    expect(page).to_have_url(re.compile(r"/sager/punkter/\d+/$"))
    return page.url


def test_a_case_goes_from_tmu_over_ou_to_br_with_both_decisions(page_as, axe, tmp_path):
    page = page_as("sekretaer")
    tmu_meeting = _new_meeting(page, TMU, "2025-06-02")
    ou_meeting = _new_meeting(page, OU, "2025-06-10")
    br_meeting = _new_meeting(page, BR, "2025-06-19")

    # The item, on TMU's meeting, with a joint recommendation in two blocks.
    page.goto(tmu_meeting)
    page.get_by_role("link", name="Nyt punkt på dette møde").click()
    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label("Indstillende forvaltning", exact=True).select_option(label=TMF)
    also = page.get_by_role("group", name="Indstilles også af")
    also.get_by_label(OKF).check()
    page.get_by_role("group", name="Anbefalende udvalg").first.get_by_label(TMU).check()
    to = page.get_by_role("group", name="Anbefaler over for").first
    to.get_by_label(BR).check()
    to.get_by_label(OU).check()
    page.get_by_label("Afgøres i (udvalg)").select_option(label=BR)
    page.get_by_label("Tekst").fill("at der oprettes en fælles medfinansieringspulje,")
    page.get_by_text("Tilføj en indstilling fra en anden forvaltning").click()
    block = page.get_by_role("group", name="Indstilling 2")
    block.get_by_role("group", name="Indstillende forvaltninger").get_by_label(OKF).check()
    block.get_by_role("group", name="Anbefalende udvalg").get_by_label(OU).check()
    block.get_by_role("group", name="Anbefaler over for").get_by_label(BR).check()
    block.get_by_label("Punkter").fill("at puljen får 2,0 mio. kr. årligt i 2026–2029.")
    page.get_by_label("Problemstilling").fill(
        "Medfinansieringen aftales i dag plan for plan.\n\n"
        "- Teknik- og Miljøforvaltningen\n- Økonomiforvaltningen"
    )
    axe(page, "item form with two recommendations")
    page.get_by_role("button", name="Opret punktet").click()
    expect(page).to_have_url(re.compile(r"/sager/punkter/\d+/$"))
    tmu_item = page.url
    article = page.get_by_role("article")
    expect(article).to_contain_text(JOINT)
    expect(article).to_contain_text(SECOND)
    expect(article.locator("li[value='2']")).to_contain_text("at puljen får 2,0 mio. kr.")

    # TMU recommends it; the case goes on to ØU.
    _hold_and_decide(page, tmu_meeting, tmu_item, "TMU anbefalede indstillingen.")
    ou_item = _send_on(page, tmu_item, "ØU", ou_meeting, axe)
    article = page.get_by_role("article")
    expect(article).to_contain_text(JOINT)
    expect(article).to_contain_text("Teknik- og Miljøudvalgets beslutning den 2. juni 2025")
    axe(page, "item sent on to ØU")

    # ØU recommends it; the case goes on to BR.
    _hold_and_decide(page, ou_meeting, ou_item, "ØU anbefalede indstillingen.")
    _send_on(page, ou_item, "BR", br_meeting)

    # BR's agenda, published and downloaded: both earlier decisions, in order.
    page.goto(br_meeting)
    page.get_by_role("button", name="Offentliggør dagsordenen").click()
    expect(page.get_by_role("status")).to_contain_text("offentliggjort")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Dagsorden (PDF), offentlig udgave").click(modifiers=["Alt"])
    agenda_pdf = tmp_path / "br-dagsorden.pdf"
    download_info.value.save_as(agenda_pdf)
    text = _pdf_text(agenda_pdf)
    assert TITLE in text
    assert JOINT in text
    tmu_heading = text.index("Teknik- og Miljøudvalgets beslutning den 2. juni 2025")
    ou_heading = text.index("Økonomiudvalgets beslutning den 10. juni 2025")
    assert tmu_heading < text.index("TMU anbefalede indstillingen.") < ou_heading
    assert ou_heading < text.index("ØU anbefalede indstillingen.")

    # The case page: the route, with where the case is now.
    page.goto(tmu_item)
    page.get_by_role("navigation", name="Brødkrummesti").get_by_role(
        "link", name=re.compile("Sag ")
    ).click()
    route = page.get_by_role("region", name="Sagsgang og hvor sagen er nu")
    steps = route.get_by_role("listitem")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text(f"{TMU} – besluttet 2. juni 2025")
    expect(steps.nth(1)).to_contain_text(f"{OU} – besluttet 10. juni 2025")
    expect(steps.nth(2)).to_contain_text(f"{BR} – på dagsordenen 19. juni 2025 (her nu)")
    expect(steps.nth(2)).to_have_attribute("aria-current", "step")
    axe(page, "case page with its route")
