"""Real-browser journeys: Playwright driving Debian's Chromium against a live server.

Never downloads a browser: Chromium comes from the system package (`apt-get
install chromium`, done by .ci/run). Set HELHEDSPLANER_REQUIRE_BROWSER=1 to
turn a missing Chromium into a failure instead of a skip (CI does).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
PASSWORD = "helhedsplan-demo"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("HELHEDSPLANER_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM
    # calls are synchronous and safe here. Only for the browser tests' duration.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def page_as(browser, live_server, demo):
    """A fresh browser context signed in as one of the demo users, via the login form."""
    contexts = []

    def open_as(username: str | None):
        context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base = live_server.url
        if username:
            page.goto(f"{live_server.url}/log-ind/")
            page.get_by_label("Brugernavn").fill(username)
            page.get_by_label("Adgangskode").fill(PASSWORD)
            page.get_by_role("button", name="Log ind").click()
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


class AxeReport:
    """Pages scanned and what axe-core found, printed at the end of the session."""

    scanned: list[tuple[str, int]] = []


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    engine = Axe()

    def check(page, label: str):
        result = engine.run(page)
        violations = result.response["violations"]
        serious = [v for v in violations if v.get("impact") in SERIOUS]
        AxeReport.scanned.append((label, len(violations)))
        details = "\n".join(
            f"{v['impact']}: {v['id']} – {v['help']} ({len(v['nodes'])}×: "
            f"{v['nodes'][0]['target']})"
            for v in serious
        )
        assert not serious, f"axe found serious/critical violations on {label}:\n{details}"
        return violations

    return check


def pytest_terminal_summary(terminalreporter):
    if AxeReport.scanned:
        terminalreporter.write_sep("-", "axe-core scans")
        for label, count in AxeReport.scanned:
            terminalreporter.write_line(f"{label}: {count} minor/moderate findings, 0 serious")
