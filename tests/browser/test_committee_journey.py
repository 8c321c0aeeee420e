"""Journey: the secretary of TMU adds a substitute to the committee, is refused a second
chair with a message at the field, and ends a seat; the member shows under former members.
Checked with axe on the committee page and the membership form."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_secretary_keeps_the_committees_members(page_as, axe):
    # Elements are found by address and id, so the journey holds before and after the
    # Danish translation of the new screens.
    page = page_as("sekretaer")
    page.goto(f"{page.base}/udvalg/tmu/")
    axe(page, "committee page (secretary)")
    page.locator("a[href='/udvalg/tmu/medlemmer/ny/']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teknik- og Miljøudvalget")
    axe(page, "membership form")
    submit = page.locator("main form button[type=submit]")

    page.locator("#id_person").select_option(label="Sanne Gram (Socialdemokratiet (A))")
    page.locator("#id_role").select_option("chair")
    page.locator("#id_start_date").fill("2024-01-01")
    submit.click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Thomas Said")  # TMU's chair: one chair at a time
    axe(page, "membership form with errors")
    expect(page.locator("#id_start_date")).to_have_value("2024-01-01")  # the input is kept

    page.locator("#id_role").select_option("substitute")
    submit.click()
    expect(page.locator("main table").first).to_contain_text("Sanne Gram")

    page.locator("a[aria-label$=' Sanne Gram'][href$='/afslut/']").click()
    page.locator("#id_end_date").fill("2024-06-30")
    page.locator("main form button[type=submit]").click()
    former = page.locator("#tidligere-medlemmer + div")
    expect(former).to_contain_text("Sanne Gram")
    expect(former).to_contain_text("30. juni 2024")
