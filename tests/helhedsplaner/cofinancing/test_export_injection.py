"""Spreadsheet formula injection: names from users never become formulas in the exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from helhedsplaner.cofinancing.exports import neutralise
from helhedsplaner.models import CoFinancing
from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x";"Klik")'


@pytest.fixture
def hostile_plans():
    administration = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    names = [HOSTILE, "+45 Plan", "-Plan", "@SUM(A1)", "\tPlan", "Almindelig plan"]
    for name in names:
        plan = factories.plan(name=name, budget=Decimal(1_000_000), lbf_grant=Decimal(500_000))
        factories.commitment(
            plan, administration, year=2010, amount=Decimal(1234), status=CoFinancing.Status.PAID
        )
    return names


def test_neutralise_prefixes_only_formula_starts():
    assert neutralise(HOSTILE) == "'" + HOSTILE
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}x") == f"'{start}x"
    assert neutralise("Plan 1") == "Plan 1"
    assert neutralise("") == ""


def test_the_excel_export_holds_names_as_text_and_amounts_as_numbers(
    client_for, politician, hostile_plans
):
    response = client_for(politician).get(reverse("cofinancing:overview_plans_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=3) for cell in row]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert "'" + HOSTILE in texts and "'-Plan" in texts and "'@SUM(A1)" in texts
    assert "'\tPlan" in texts and "Almindelig plan" in texts
    assert not [cell for cell in cells if cell.data_type == "f"]  # no formula anywhere
    assert not [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    numbers = [cell.value for cell in cells if isinstance(cell.value, int | float)]
    assert 1234 in numbers  # the amounts are still numbers


def test_the_csv_export_prefixes_names_but_not_amounts(client_for, politician, hostile_plans):
    response = client_for(politician).get(reverse("cofinancing:overview_plans_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE in cells and "'+45 Plan" in cells and "'\tPlan" in cells
    assert HOSTILE not in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert "1234,00" in cells  # numbers stay plain numbers, no quote
