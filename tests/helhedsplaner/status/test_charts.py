"""Server-drawn SVG charts: a text alternative, a data table, no inline style, escaped text."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from helhedsplaner.status import charts
from tests import factories


def bars(label="Samlet budget"):
    return charts.bar_chart(
        chart_id="money-1",
        title="Økonomi",
        description="Budget 10 mio. kr.",
        series=[charts.Series("Beløb", "dark"), charts.Series("Udbetalt", "hatched")],
        groups=[
            charts.BarGroup(label, [(0, Decimal(10_000_000))]),
            charts.BarGroup("TMF", [(0, Decimal(5_000_000)), (1, Decimal(2_500_000))]),
        ],
        value_label=lambda value: f"{value} kr.",
    )


def test_bar_chart_is_an_image_labelled_by_its_title_and_description():
    svg = str(bars().svg)
    assert 'role="img"' in svg
    assert 'aria-labelledby="money-1-title money-1-desc"' in svg
    assert '<title id="money-1-title">Økonomi</title>' in svg
    assert '<desc id="money-1-desc">Budget 10 mio. kr.</desc>' in svg


def test_bar_lengths_follow_the_values_and_series_differ_by_more_than_colour():
    svg = str(bars().svg)
    widths = [float(w) for w in re.findall(r'<rect x="250" y="\d+" width="([\d.]+)"', svg)]
    assert widths == [390.0, 195.0, 97.5]  # 10, 5 and 2,5 mio. of a 390 px plot
    assert 'fill="url(#money-1-hatch)"' in svg  # paid is hatched, not only another colour
    assert ">Beløb<" in svg and ">Udbetalt<" in svg  # a legend names every series


def test_chart_text_is_escaped_and_carries_no_style():
    svg = str(bars(label='<script>alert("x")</script>').svg)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "style=" not in svg


def test_line_chart_breaks_at_missing_years_and_names_its_lines():
    chart = charts.line_chart(
        chart_id="ind-1",
        title="Andel uden job",
        description="Tingbjerg: 40 % i 2010 og 30 % i 2014.",
        series=[charts.Series("Tingbjerg", "solid"), charts.Series("Kommunen", "dashed")],
        values=[
            {2010: Decimal(40), 2011: Decimal(38), 2013: Decimal(32), 2014: Decimal(30)},
            {year: Decimal(12) for year in range(2010, 2015)},
        ],
        unit="%",
        band=(2011, 2013, "Planperiode"),
    )
    svg = str(chart.svg)
    assert svg.count("<polyline") == 3  # the area's line breaks at 2012; the city's does not
    assert 'stroke-dasharray="6 4"' in svg
    assert ">Tingbjerg<" in svg and ">Kommunen<" in svg and ">Planperiode<" in svg
    assert ">40<" in svg and ">10<" in svg  # round ticks up to the highest value
    assert "style=" not in svg


@pytest.mark.django_db
def test_status_page_has_charts_with_text_alternatives_and_data_tables(client_for, politician):
    city = factories.area("Københavns Kommune", is_city_total=True)
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    plan = factories.plan(
        "Helhedsplan Diagram",
        budget=Decimal(8_000_000),
        lbf_grant=Decimal(6_000_000),
        lead_administration=tmf,
    )
    plan.period_start, plan.period_end = date(2020, 1, 1), date(2023, 12, 31)
    indicator = factories.indicator(name="Andel med lav indkomst")
    for year, value, average in ((2019, "31.5", "14.0"), (2020, "29.0", "13.5")):
        factories.indicator_value(plan.area, indicator, year=year, value=Decimal(value))
        factories.indicator_value(city, indicator, year=year, value=Decimal(average))
    factories.commitment(
        plan,
        tmf,
        amount=Decimal(1_500_000),
        status="paid",
    )
    content = (
        client_for(politician)
        .get(reverse("planstatus:plan_status", args=[plan.pk]))
        .content.decode()
    )
    # two charts, each drawn wide and narrow (the stylesheet shows one of them by screen width)
    assert content.count('role="img"') == 4
    assert content.count('class="chart-narrow"') == 2
    assert f'<title id="money-{plan.pk}-title">' in content
    assert "Budget 8 mio. kr., LBF-tilskud 6 mio. kr." in content
    assert "<caption>Andel med lav indkomst</caption>" in content
    assert "Tallene bag diagrammet »Andel med lav indkomst«" in content
    assert "31,5 %" in content and "14,0 %" in content
    assert f"{plan.area.name}: 31,5 % i 2019 og 29,0 % i 2020." in content
    assert "Københavns Kommune (gennemsnit): 14,0 % i 2019 og 13,5 % i 2020." in content
    assert '<th scope="row">Teknik- og Miljøforvaltningen</th>' in content
    assert "1.500.000 kr." in content
    assert " style=" not in content and "<style" not in content


def test_bar_chart_has_a_narrow_drawing_with_its_own_ids_and_labels_above_the_bars():
    chart = bars()
    narrow = str(chart.narrow_svg)
    assert 'aria-labelledby="money-1-n-title money-1-n-desc"' in narrow
    assert 'fill="url(#money-1-n-hatch)"' in narrow and "money-1-hatch" not in narrow
    assert 'viewBox="0 0 330 ' in narrow  # drawn for a phone, not scaled down from 760
    label_y = float(re.search(r'y="([\d.]+)"[^>]*class="chart-text chart-label"', narrow).group(1))
    first_bar_y = float(
        re.search(r'<rect x="0" y="([\d.]+)" width="[\d.]+" height="20"', narrow).group(1)
    )
    assert label_y < first_bar_y  # the row's label above its bar
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', narrow)}
    assert min(sizes) >= 14  # 330 units on a 320–390 px screen: about 14 px text


def test_line_chart_has_a_narrow_drawing_with_larger_text():
    chart = charts.line_chart(
        chart_id="ind-2",
        title="Andel uden job",
        description="…",
        series=[charts.Series("Tingbjerg", "solid")],
        values=[{2010: Decimal(40), 2014: Decimal(30)}],
        unit="%",
    )
    wide = {int(s) for s in re.findall(r'font-size="(\d+)"', str(chart.svg))}
    narrow = {int(s) for s in re.findall(r'font-size="(\d+)"', str(chart.narrow_svg))}
    assert min(narrow) > min(wide)
    assert 'id="ind-2-n-title"' in str(chart.narrow_svg)
