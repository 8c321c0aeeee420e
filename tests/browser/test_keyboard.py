"""Keyboard only: the skip link, and a form completed with Tab, Shift+Tab, typing and Enter."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TABS = 60  # more than the header, menu and form have focusable elements


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _tab_to(page, element_id: str) -> list[str]:
    """Press Tab until the element with ``element_id`` has focus; the ids passed on the way."""
    passed = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = _focused_id(page)
        if focused == element_id:
            return passed
        passed.append(focused)
    raise AssertionError(f"Tab never reached #{element_id}; focus went through {passed}")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page_as):
    page = page_as("sekretaer")
    page.goto(f"{page.base}/moeder/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Gå til indhold")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # it shows itself when focused
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    expect(page).to_have_url(re.compile("#main$"))

    # The next Tab continues from the content, not from the top of the page.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Nyt møde")).to_be_focused()


def test_meeting_form_can_be_completed_with_the_keyboard_only(page_as):
    page = page_as("sekretaer")
    page.goto(f"{page.base}/moeder/nyt/")

    # Skip the header and menu, then Tab through the form in reading order.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _tab_to(page, "id_committee")
    page.keyboard.type("Besk")  # a closed <select> picks the option typed
    expect(page.get_by_label("Udvalg")).to_have_value(
        page.get_by_role("option", name="Beskæftigelses- og Integrationsudvalget").get_attribute(
            "value"
        )
    )

    # Chromium lays out date and time inputs by its own locale (Debian's package ships only
    # en-US: mm/dd/yyyy and a 12-hour clock). The day equals the month and "A" (AM) is
    # ignored by a 24-hour clock, so the same keys give 5 May 2031 at 10:00 in either layout.
    assert set(_tab_to(page, "id_day")) <= {"id_committee"}
    page.keyboard.type("05052031")
    expect(page.get_by_label("Dato")).to_have_value("2031-05-05")

    # (Tab may first step through the date's own parts: the focus stays on the date input.)
    assert set(_tab_to(page, "id_start")) <= {"id_day"}
    page.keyboard.type("1000A")
    expect(page.get_by_label("Starttidspunkt")).to_have_value("10:00")

    assert set(_tab_to(page, "id_location")) <= {"id_start"}
    page.keyboard.type("Københavns Rådhus, udvalgsværelset")

    page.keyboard.press("Tab")
    submit = page.get_by_role("button", name="Opret mødet")
    expect(submit).to_be_focused()

    # Shift+Tab goes back to the field before; a correction, then forward again.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Sted")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" 1")
    page.keyboard.press("Tab")
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Mødet er oprettet")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Beskæftigelses- og Integrationsudvalget"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("5. maj 2031")
    expect(page.get_by_text("Københavns Rådhus, udvalgsværelset 1")).to_be_visible()
