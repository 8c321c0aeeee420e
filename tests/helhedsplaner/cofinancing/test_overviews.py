"""The four overviews against a hand-computed fixture, their Excel/CSV exports read back,
the 25 % check, filters in the URL, and a fixed number of queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from helhedsplaner.models import CoFinancing
from tests import factories

pytestmark = pytest.mark.django_db

Status = CoFinancing.Status
D = Decimal


@pytest.fixture
def fixture():
    """Hand-made data; the expected totals below are computed by hand from it."""
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    sof = factories.administration("SOF", "Socialforvaltningen")
    p1 = factories.plan(name="Plan 1", budget=D(10_000_000), lbf_grant=D(6_000_000))
    p2 = factories.plan(name="Plan 2", budget=D(4_000_000), lbf_grant=D(3_000_000))
    p3 = factories.plan(name="Plan 3", budget=D(2_000_000), lbf_grant=D(1_500_000))
    pool = factories.pool(name="Pulje A", start=2007, end=2013, budget=D(1_000_000))
    factories.pool(name="Pulje B", start=2014, end=2020, budget=D(500_000))
    c = factories.commitment
    c(p1, bif, year=2007, amount=D(1_000_000), status=Status.PAID)
    c(p1, bif, year=2008, amount=D(500_000), status=Status.GRANTED)
    c(p2, bif, year=2008, amount=D(250_000), status=Status.PAID)
    c(p2, bif, year=2014, amount=D(999_000), status=Status.PAID)
    c(p3, bif, year=2009, amount=D(300_000), status=Status.PROPOSED)
    c(p3, bif, year=2009, amount=D(50_000), status=Status.WITHDRAWN)
    c(p1, sof, year=2008, amount=D(200_000), status=Status.GRANTED, source="pool", pool=pool)
    c(p2, sof, year=2010, amount=D(100_000), status=Status.PROPOSED, source="pool", pool=pool)
    factories.housing_contribution(p2, amount=D(300_000))
    return {"bif": bif, "sof": sof, "plans": (p1, p2, p3), "pool": pool}


def values(row):
    return [cell.value for cell in row]


def get(client, name, **params):
    return client.get(reverse(f"cofinancing:{name}"), params)


def test_per_administration_bif_2007_2013(client_for, politician, fixture):
    response = get(
        client_for(politician),
        "overview_administrations",
        administration="BIF",
        year_from=2007,
        year_to=2013,
    )
    table = response.context["table"]
    assert [label for label, _ in table.columns][2:] == [
        "2007", "2008", "2009", "2010", "2011", "2012", "2013", "I alt 2007–2013",
    ]  # fmt: skip
    assert values(table.rows[0]) == [
        "BIF – Beskæftigelses- og Integrationsforvaltningen",
        2,
        D(1_000_000), D(750_000), 0, 0, 0, 0, 0,
        D(1_750_000),
    ]  # fmt: skip
    page = response.content.decode()
    assert "1.750.000 kr." in page
    assert "Medfinansiering pr. forvaltning, bevilget eller udbetalt, 2007–2013" in page


def test_per_administration_all_and_status_filter(client_for, politician, fixture):
    client = client_for(politician)
    table = get(client, "overview_administrations", year_from=2007, year_to=2013).context["table"]
    assert [values(row)[:2] + values(row)[-1:] for row in table.rows] == [
        ["BIF – Beskæftigelses- og Integrationsforvaltningen", 2, D(1_750_000)],
        ["SOF – Socialforvaltningen", 1, D(200_000)],
    ]
    # Plans are counted once in the total row: plan 1 has money from both administrations.
    assert values(table.totals) == ["I alt", 2, D(1_000_000), D(950_000), 0, 0, 0, 0, 0,
                                    D(1_950_000)]  # fmt: skip
    proposed = get(client, "overview_administrations", status="proposed").context["table"]
    assert [label for label, _ in proposed.columns][2:] == ["2009", "2010", "I alt 2009–2010"]
    assert values(proposed.totals) == ["I alt", 2, D(300_000), D(100_000), D(400_000)]


def test_per_plan_and_the_25_percent_check(client_for, politician, fixture):
    response = get(client_for(politician), "overview_plans")
    table = response.context["table"]
    assert [values(row)[2:] for row in table.rows] == [
        # budget, LBF, local share %, municipal, housing, local committed %, met
        [D(10_000_000), D(6_000_000), D("40.0"), D(1_700_000), 0, D("17.0"), False],
        [D(4_000_000), D(3_000_000), D("25.0"), D(1_249_000), D(300_000), D("38.7"), True],
        [D(2_000_000), D(1_500_000), D("25.0"), 0, 0, D("0.0"), False],
    ]
    assert values(table.totals)[2:] == [
        D(16_000_000), D(10_500_000), D("34.4"), D(2_949_000), D(300_000), D("20.3"), 1,
    ]  # fmt: skip
    page = response.content.decode()
    assert "Foreslåede og tilbagetrukne tilsagn tæller ikke med" in page
    assert '<span class="not-met">Nej</span>' in page
    assert '<span class="met">Ja</span>' in page


def test_per_year(client_for, politician, fixture):
    table = get(client_for(politician), "overview_years").context["table"]
    assert [values(row) for row in table.rows] == [
        ["2007", 0, 0, D(1_000_000), D(1_000_000)],
        ["2008", 0, D(700_000), D(250_000), D(950_000)],
        ["2009", D(300_000), 0, 0, 0],
        ["2010", D(100_000), 0, 0, 0],
        ["2014", 0, 0, D(999_000), D(999_000)],
    ]
    assert values(table.totals) == ["I alt", D(400_000), D(700_000), D(2_249_000), D(2_949_000)]


def test_per_year_filtered_by_administration_and_years(client_for, politician, fixture):
    table = get(
        client_for(politician), "overview_years", administration="SOF", year_from=2008,
        year_to=2009,
    ).context["table"]  # fmt: skip
    assert [values(row) for row in table.rows] == [["2008", 0, D(200_000), 0, D(200_000)]]


def test_per_pool(client_for, politician, fixture):
    table = get(client_for(politician), "overview_pools").context["table"]
    assert [values(row) for row in table.rows] == [
        ["Pulje B", "2014–2020", D(500_000), 0, 0, D(500_000), 0],
        ["Pulje A", "2007–2013", D(1_000_000), D(200_000), 0, D(800_000), D(100_000)],
    ]
    assert values(table.totals) == [
        "I alt", "", D(1_500_000), D(200_000), 0, D(1_300_000), D(100_000),
    ]  # fmt: skip


def test_bad_filters_get_danish_messages(client_for, politician, fixture):
    response = get(client_for(politician), "overview_administrations", year_from=2013,
                   year_to=2007)  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert "Det sidste år må ikke ligge før det første år." in page
    assert 'href="#id_year_to"' in page
    assert 'value="2013"' in page


def _numbers(table):
    """The table as the exports should hold it: Decimals as numbers, percent as fraction."""
    rows = []
    for row in [*table.rows, table.totals]:
        out = []
        for cell in row:
            if cell.kind == "dkk":
                out.append(D(cell.value))
            elif cell.kind == "percent":
                out.append(None if cell.value is None else D(cell.value))
            elif cell.kind == "bool":
                out.append("Ja" if cell.value else "Nej")
            else:
                out.append(cell.value)
        rows.append(out)
    return rows


@pytest.mark.parametrize("name", ["administrations", "plans", "years", "pools"])
def test_excel_export_holds_the_screen_numbers(client_for, politician, fixture, name):
    client = client_for(politician)
    params = {"year_from": 2007, "year_to": 2013} if name == "administrations" else {}
    table = get(client, f"overview_{name}", **params).context["table"]
    response = get(client, f"overview_{name}_xlsx", **params)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == table.caption
    assert [c.value for c in sheet[2]] == [label for label, _ in table.columns]
    read = []
    for excel_row in sheet.iter_rows(min_row=3, max_row=2 + len(table.rows) + 1):
        out = []
        for (_, kind), cell in zip(table.columns, excel_row, strict=True):
            if kind == "dkk":
                assert isinstance(cell.value, int | float)
                assert cell.number_format == '#,##0 "kr."'
                out.append(D(str(cell.value)))
            elif kind == "percent":
                assert cell.value is None or cell.number_format == "0.0%"
                out.append(None if cell.value is None else (D(str(cell.value)) * 100))
            else:
                out.append(cell.value if cell.value is not None else "")
        read.append(out)
    expected = _numbers(table)
    for got, want in zip(read, expected, strict=True):
        assert [g.normalize() if isinstance(g, D) else g for g in got] == [
            w.normalize() if isinstance(w, D) else w for w in want
        ]


@pytest.mark.parametrize("name", ["administrations", "plans", "years", "pools"])
def test_csv_export_is_what_danish_excel_opens(client_for, politician, fixture, name):
    client = client_for(politician)
    table = get(client, f"overview_{name}").context["table"]
    response = get(client, f"overview_{name}_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [label for label, _ in table.columns]
    assert len(rows) == len(table.rows) + 2  # header, rows, totals
    for got, want in zip(rows[1:], _numbers(table), strict=True):
        for text, value in zip(got, want, strict=True):
            if isinstance(value, D):
                assert "." not in text  # decimal comma, no thousands separator
                assert D(text.replace(",", ".")) == value
            else:
                assert text == ("" if value is None else str(value))


def test_csv_numbers_use_decimal_comma(client_for, politician, fixture):
    response = get(client_for(politician), "overview_years_csv")
    content = response.content.decode("utf-8-sig")
    assert "2008;0,00;700000,00;250000,00;950000,00\r\n" in content


def test_screen_shows_danish_amounts_of_the_same_table(client_for, politician, fixture):
    response = get(client_for(politician), "overview_pools")
    page = response.content.decode()
    for amount in ("1.000.000 kr.", "200.000 kr.", "800.000 kr.", "1.300.000 kr."):
        assert amount in page
    assert "eksport.xlsx" in page and "eksport.csv" in page


@pytest.mark.parametrize("extra", [0, 40])
def test_overviews_run_a_fixed_number_of_queries(
    client_for, politician, fixture, django_assert_max_num_queries, extra
):
    admins = [factories.administration(f"X{i}") for i in range(3)]
    for index in range(extra):
        plan = factories.plan()
        factories.commitment(plan, admins[index % 3], year=2007 + index % 10, status=Status.GRANTED)
        factories.housing_contribution(plan)
    client = client_for(politician)
    client.get(reverse("cofinancing:commitment_list"))
    limits = {
        "overview_administrations": 11,
        "overview_plans": 7,
        "overview_years": 8,
        "overview_pools": 8,
        "overview_administrations_xlsx": 8,
        "overview_plans_csv": 5,
    }
    for name, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert get(client, name).status_code == 200
