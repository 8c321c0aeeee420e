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
