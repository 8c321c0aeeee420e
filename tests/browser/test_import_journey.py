"""Journey: a caseworker brings in real files as the sources publish them (issue 19).

Statistikbanken's API CSV (UTF-8 with BOM, "KK-005 Tingbjerg" cells, ".." for a figure
not published) and opendata.dk's wide file saved by Danish Excel (Windows-1252, one
column per indicator, a column the app does not follow) import through the browser with
no hand-editing; the second is mapped once on the preview. The files are the examples in
docs/examples/, on the demo's areas and indicators.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helhedsplaner.models import IndicatorValue

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _upload(page, name: str) -> None:
    page.goto(f"{page.base}/planer/indikatorer/import/")
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(EXAMPLES / name)
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrollér importen")


def test_caseworker_imports_statistikbanken_and_opendata_files(page_as, axe):
    page = page_as("sagsbehandler")

    _upload(page, "statistikbanken-lav-indkomst.csv")
    expect(page.get_by_text("Læst som: Statistikbanken (Danmarks Statistik).")).to_be_visible()
    symbols = page.get_by_role("table", name=re.compile("symbolerne fra Statistikbanken"))
    expect(symbols.get_by_role("row", name=re.compile(r"^\.\. "))).to_contain_text("ingen værdi")
    axe(page, "indicator import preview (Statistikbanken)")
    page.get_by_role("button", name="Gem 6 værdier").click()
    expect(page.get_by_text(re.compile("er importeret"))).to_be_visible(timeout=30_000)
    tingbjerg = IndicatorValue.objects.get(
        area__name="Tingbjerg", indicator__code="lav-indkomst", year=2026
    )
    assert (tingbjerg.value, tingbjerg.symbol) == (None, "..")

    _upload(page, "opendata-socio-2025.csv")
    mapping = page.get_by_role("region", name="Navne, appen ikke kender")
    expect(mapping).to_contain_text("befolkning")
    axe(page, "indicator import mapping step")
    mapping.get_by_label("befolkning").select_option(label="Udelad")
    mapping.get_by_role("button", name="Brug disse navne, og kontrollér igen").click()
    expect(page.get_by_text("Filen har 6 værdier og ingen fejl.")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Gem 6 værdier").click()
    expect(page.get_by_text(re.compile("er importeret"))).to_be_visible(timeout=30_000)
    blaagaard = IndicatorValue.objects.get(
        area__name="Blågårds Plads", indicator__code="uden-for-arbejdsmarkedet", year=2025
    )
    assert str(blaagaard.value) == "30.40"  # the Windows-1252 name matched its area
