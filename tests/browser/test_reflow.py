"""Reflow (WCAG 2.1 AA 1.4.10) over every page each demo role can reach.

Each role signs in and follows the links from the front page, one page per kind of
address (``/planer/13/`` stands for every plan page), and every page is read at two
sizes: a phone (390 CSS px) and a desktop window of 1280 × 900 px at 400 % zoom, which
lays out as 320 × 225 CSS px. A page fails when the document scrolls sideways (its
scroll width beyond the viewport). At the zoomed size axe-core scans the page as well,
the menu must fold (the header may not fill half the screen) and "Log ud" must be
reachable in the opened menu.
"""

import re
from collections import deque

import pytest

from .conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = ["sagsbehandler", "sekretaer", "politiker", "admin"]
PHONE = {"width": 390, "height": 844}
ZOOMED = {"width": 320, "height": 225}  # 1280 × 900 at 400 %
# Not pages: files, feeds, the sign-out, Django's admin (not the product's own pages).
NOT_PAGES = re.compile(
    r"/log-ud|\.pdf|/pdf/|\.ics|\.csv|\.xlsx|/eksport|/hent/|/download|^/admin/|^/static/|^/media/"
)
OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (box.right > width + 1 && parent.right <= width + 1) {
      wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' to ' + Math.round(box.right));
    }
  }
  return {scroll: root.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("#")[0].split("?")[0])


def pages_of(page):
    """Every page the signed-in user reaches from the front page, one per kind of address."""
    seen, queue = set(), deque(["/"])
    while queue:
        path = queue.popleft()
        if kind_of(path) in seen:
            continue
        seen.add(kind_of(path))
        try:
            response = page.goto(page.base + path)
        except Exception as error:  # a file download instead of a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        yield path
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if not href.startswith(page.base):
                continue
            link = href[len(page.base) :].split("#")[0]
            if link.startswith("/") and not NOT_PAGES.search(link) and kind_of(link) not in seen:
                queue.append(link)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_reflows_at_phone_width_and_at_400_percent_zoom(page_as, axe, username):
    page = page_as(username)
    problems, visited = [], 0
    for path in pages_of(page):
        visited += 1
        for size in (PHONE, ZOOMED):
            page.set_viewport_size(size)
            found = page.evaluate(OVERFLOW)
            if found["scroll"] > found["width"]:
                problems.append(
                    f"{path} at {size['width']} px: {found['scroll']} px wide {found['wide']}"
                )
        axe(page, f"{username} {path} at 320 px")
        page.set_viewport_size({"width": 1280, "height": 900})
    assert visited > 30, f"only {visited} pages reached as {username}"
    assert not problems, "pages that scroll sideways:\n" + "\n".join(problems)


def test_the_menu_folds_at_400_percent_zoom_and_keeps_sign_out_in_reach(page_as):
    page = page_as("sekretaer")
    page.set_viewport_size(ZOOMED)
    page.goto(page.base + "/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= ZOOMED["height"] / 2, f"header is {header['height']} px high"
    sign_out = page.get_by_role("button", name="Log ud")
    assert not sign_out.is_visible()  # folded away until the menu is opened
    page.get_by_text("Menu", exact=True).click()
    sign_out.scroll_into_view_if_needed()
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= ZOOMED["width"]
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Planer").click()
    page.wait_for_url(f"{page.base}/planer/")


def test_the_menu_is_an_open_bar_on_a_desktop(page_as):
    page = page_as("politiker")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    assert nav.get_by_role("link", name="Planer").is_visible()
    assert page.get_by_role("button", name="Log ud").is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()


def test_charts_redraw_for_a_phone_with_readable_text(page_as):
    page = page_as("politiker")
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/planer/")
    page.get_by_role("link", name="Helhedsplan Folehaven").first.click()
    page.get_by_role("link", name="Status").first.click()
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart-svg')]
          .filter(svg => svg.getBoundingClientRect().width > 0)
          .map(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const sizes = [...svg.querySelectorAll('text')].map(t => +t.getAttribute('font-size'));
            return Math.min(...sizes) * scale;
          })"""
    )
    assert sizes, "no chart shown on the status page"
    assert min(sizes) >= 11, f"chart text shrinks to {min(sizes):.1f} px on a phone"
    # the wide drawings are not shown on the phone, the narrow ones not on the desktop
    assert page.locator(".chart-wide svg").first.is_hidden()
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator(".chart-narrow svg").first.is_hidden()
    assert page.locator(".chart-wide svg").first.is_visible()


def test_sign_in_page_reflows(browser, live_server, demo):
    context = browser.new_context(locale="da-DK", viewport=ZOOMED)
    page = context.new_page()
    page.goto(f"{live_server.url}/log-ind/")
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found
    page.get_by_label("Brugernavn").fill("politiker")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/")
    context.close()
