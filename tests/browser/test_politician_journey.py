"""Journey (c): the politician reads, finds the seed case, and never sees closed content."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_errors_are_accessible(page_as, axe):
    page = page_as(None)
    page.goto(f"{page.base}/log-ind/")
    page.get_by_label("Brugernavn").fill("politiker")
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("alert")).to_contain_text("Brugernavnet eller adgangskoden er forkert")
    axe(page, "login with error")


def test_politician_finds_the_seed_case_and_sees_closed_items_masked(page_as, axe):
    page = page_as("politiker")
    axe(page, "front page (politician)")

    page.get_by_role("link", name="Søg", exact=True).click()
    page.get_by_label("Søg efter").fill("helhedsplaner")
    page.get_by_role("button", name="Søg").click()
    expect(page.get_by_role("heading", name=re.compile("resultater for"))).to_be_visible()
    axe(page, "search results")
    page.get_by_role("link", name=re.compile("2009-68440 Styring af de politiske")).click()
    expect(page).to_have_url(re.compile("/sager/2009-68440/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Styring af de politiske")
    expect(
        page.get_by_text("at Beskæftigelses- og Integrationsudvalget drøfter sagen.")
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Nye procesmuligheder"))).to_be_visible()
    axe(page, "case page 2009-68440")

    # A closed TMU item (the politician sits on BIU only): number and "Lukket punkt" only.
    page.goto(f"{page.base}/soeg/?q=købesum")
    expect(page.get_by_role("heading", name=re.compile("^0 resultater"))).to_be_visible()
    page.goto(f"{page.base}/sager/")
    page.get_by_role("link", name=re.compile(r"-71502$")).click()
    expect(page.get_by_role("heading", name=re.compile("Lukket punkt"))).to_be_visible()
    expect(page.get_by_text("Køb af erhvervslejemål")).to_have_count(0)
    expect(page.get_by_text("Fortroligt: forhandling om købesum")).to_have_count(0)


def test_politician_cannot_reach_admin(page_as):
    page = page_as("politiker")
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    response = page.goto(f"{page.base}/admin/")
    assert "log ind" in page.content().lower() or response.status in (302, 403)


def test_politician_reads_the_dashboard_and_a_plans_story_without_edit_access(page_as, axe):
    page = page_as("politiker")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page, "dashboard (politician)")

    page.get_by_role("link", name="Planer", exact=True).click()
    axe(page, "plan list (politician)")
    page.get_by_role("link", name="Helhedsplan Tingbjerg 2019").click()
    expect(page).to_have_url(re.compile(r"/planer/\d+/status/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Helhedsplan Tingbjerg 2019")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    # The closed TMU item in the plan's story: number and "Lukket punkt" only.
    expect(page.get_by_text("Lukket punkt").first).to_be_visible()
    expect(page.get_by_text("Køb af erhvervslejemål")).to_have_count(0)
    axe(page, "plan status page (politician)")

    # No edit controls, and every edit page is refused on the server.
    expect(page.get_by_role("link", name=re.compile("Redigér"))).to_have_count(0)
    plan_url = page.url.removesuffix("status/")
    for path in (
        f"{plan_url}rediger/",
        "/planer/ny/",
        "/moeder/nyt/",
        "/sager/punkter/nyt/",
        "/medfinansiering/tilsagn/ny/",
        "/planer/indikatorer/",
    ):
        url = path if path.startswith("http") else f"{page.base}{path}"
        response = page.goto(url)
        assert response.status == 403, (path, response.status)
