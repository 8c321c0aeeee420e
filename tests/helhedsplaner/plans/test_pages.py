"""The plan list, the plan page and its history tab: content, filters and query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import roles
from helhedsplaner.models import FocusArea
from helhedsplaner.plans import services
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("helhedsplaner:plan_list")


def detail(plan):
    return reverse("helhedsplaner:plan_detail", args=[plan.pk])


def history(plan):
    return reverse("helhedsplaner:plan_history", args=[plan.pk])


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


# -- the list ----------------------------------------------------------------------------------


@pytest.fixture
def three_plans():
    new_period = factories.lbf_period(focus=("Beskæftigelse",))
    old_period = factories.lbf_period("2015–2018", 2015, 2018, focus=("Tryghed og trivsel",))
    tingbjerg = factories.area("Tingbjerg")
    bif, tmf = factories.administration("BIF"), factories.administration("TMF")
    a = factories.plan(
        "Helhedsplan Alfa",
        area=tingbjerg,
        lbf_period=new_period,
        status="implementation",
        budget=Decimal(20_000_000),
        lbf_grant=Decimal(15_000_000),
        housing_organisation=factories.housing_organisation("KAB"),
        lead_administration=tmf,
    )
    a.participating_administrations.add(bif)
    a.focus_areas.add(FocusArea.objects.get(period=new_period))
    factories.estate(a, "Gadelandet", tenancies=300)
    factories.estate(a, "Husumvold", tenancies=200)
    b = factories.plan(
        "Helhedsplan Beta",
        lbf_period=old_period,
        status="closed",
        budget=Decimal(4_000_000),
        lbf_grant=Decimal(3_000_000),
        lead_administration=bif,
    )
    b.focus_areas.add(FocusArea.objects.get(period=old_period))
    factories.estate(b, "Bispebuen", tenancies=100)
    c = factories.plan(
        "Helhedsplan Gamma", status="idea", budget=Decimal(8_000_000), lbf_grant=Decimal(0)
    )
    return a, b, c


def names(response) -> list[str]:
    return [plan.name for plan in response.context["page"]]


def test_list_shows_all_plans_with_count_and_totals(client_for, politician, three_plans):
    response = client_for(politician).get(LIST)
    content = response.content.decode()
    assert names(response) == ["Helhedsplan Alfa", "Helhedsplan Beta", "Helhedsplan Gamma"]
    assert "3 planer" in content
    assert "32 mio. kr." in content  # budget 20 + 4 + 8
    assert "18 mio. kr." in content  # LBF grant 15 + 3 + 0
    assert ">600<" in content  # tenancies 300 + 200 + 100
    assert "Registrér en ny plan" not in content  # a politician only reads


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=closed", ["Helhedsplan Beta"]),
        ("q=kab", ["Helhedsplan Alfa"]),  # housing organisation
        ("q=bispebuen", ["Helhedsplan Beta"]),  # estate
        ("q=gamma", ["Helhedsplan Gamma"]),  # name
        ("sortering=beloeb", ["Helhedsplan Alfa", "Helhedsplan Gamma", "Helhedsplan Beta"]),
        ("sortering=-navn", ["Helhedsplan Gamma", "Helhedsplan Beta", "Helhedsplan Alfa"]),
        ("sortering=status", ["Helhedsplan Gamma", "Helhedsplan Alfa", "Helhedsplan Beta"]),
        ("sortering=-periode", ["Helhedsplan Beta", "Helhedsplan Alfa", "Helhedsplan Gamma"]),
    ],
)
def test_list_filters_search_and_sorts(client_for, caseworker, three_plans, query, expected):
    assert names(client_for(caseworker).get(f"{LIST}?{query}")) == expected


def test_list_filters_by_related_objects(client_for, caseworker, three_plans):
    alfa, beta, _ = three_plans
    client = client_for(caseworker)
    bif = alfa.participating_administrations.get()
    focus = beta.focus_areas.get()
    assert names(client.get(f"{LIST}?periode={beta.lbf_period_id}")) == ["Helhedsplan Beta"]
    assert names(client.get(f"{LIST}?omraade={alfa.area_id}")) == ["Helhedsplan Alfa"]
    assert names(client.get(f"{LIST}?forvaltning={bif.pk}")) == ["Helhedsplan Beta"]
    assert names(client.get(f"{LIST}?deltager={bif.pk}")) == ["Helhedsplan Alfa"]
    assert names(client.get(f"{LIST}?indsatsomraade={focus.pk}")) == ["Helhedsplan Beta"]


def test_totals_follow_the_filter(client_for, caseworker, three_plans):
    content = client_for(caseworker).get(f"{LIST}?status=implementation").content.decode()
    assert "1 plan " in content or "1 plan<" in content
    assert "20 mio. kr." in content and "15 mio. kr." in content and ">500<" in content


def test_unknown_filter_value_is_reported_not_an_error(client_for, caseworker, three_plans):
    response = client_for(caseworker).get(f"{LIST}?status=dreaming&q=alfa")
    assert response.status_code == 200
    assert "Nogle filtre blev ikke forstået og er udeladt" in response.content.decode()
    assert names(response) == ["Helhedsplan Alfa"]  # the valid filter still applies


def test_page_links_keep_the_filters(client_for, caseworker):
    for number in range(30):
        factories.plan(f"Helhedsplan {number:02d}", status="idea")
    response = client_for(caseworker).get(f"{LIST}?status=idea&sortering=-navn")
    content = response.content.decode()
    assert len(names(response)) == 25
    assert "status=idea&amp;sortering=-navn&amp;side=2" in content
    second = client_for(caseworker).get(f"{LIST}?status=idea&sortering=-navn&side=2")
    assert names(second) == [f"Helhedsplan {n:02d}" for n in range(4, -1, -1)]


def make_plans(count: int) -> None:
    period = factories.lbf_period(focus=("Beskæftigelse", "Uddannelse og livschancer"))
    admins = [factories.administration(code) for code in ("BIF", "SOF", "TMF")]
    for index in range(count):
        plan = factories.plan(f"Helhedsplan Mange {index}", lbf_period=period)
        plan.participating_administrations.set(admins)
        plan.focus_areas.set(period.focus_areas.all())
        for number in range(3):
            factories.estate(plan, f"Afd. {number}", tenancies=100)
            factories.commitment(plan, admins[number], year=2020 + number)


def test_list_runs_a_fixed_number_of_queries(client_for, caseworker):
    client = client_for(caseworker)
    make_plans(2)
    small = count_queries(client, f"{LIST}?q=mange&deltager=1&sortering=beloeb")
    make_plans_more = 30
    for index in range(make_plans_more):
        plan = factories.plan(f"Helhedsplan Flere {index}")
        factories.estate(plan, "Afd.", tenancies=10)
    large = count_queries(client, f"{LIST}?q=mange&deltager=1&sortering=beloeb")
    assert small == large
    assert count_queries(client, LIST) <= 15


# -- the plan page -----------------------------------------------------------------------------


def test_plan_page_shows_facts_estates_commitments_and_goals(client_for, politician):
    plan = factories.plan(
        "Helhedsplan Fakta", budget=Decimal(12_000_000), lbf_grant=Decimal(9_000_000)
    )
    factories.estate(plan, "Gadelandet", tenancies=300)
    factories.estate(plan, "Husumvold", tenancies=200)
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    factories.commitment(plan, bif, year=2021, amount=Decimal(250_000))
    factories.commitment(plan, bif, year=2022, amount=Decimal(250_000))
    plan.participating_administrations.add(bif)
    content = client_for(politician).get(detail(plan)).content.decode()
    for text in (
        "Helhedsplan Fakta",
        "12.000.000 kr.",
        "9.000.000 kr.",
        "3.000.000 kr.",  # local co-financing
        "Gadelandet",
        ">500<",
        "Beskæftigelses- og Integrationsforvaltningen",
        "500.000 kr.",  # commitments in total
        'aria-current="page">Oversigt',
    ):
        assert text in content, text
    assert "Redigér planen" not in content and 'name="to_status"' not in content


@pytest.fixture
def closed_item_plan():
    committee = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    meeting = factories.meeting(committee)
    plan = factories.plan("Helhedsplan Lukket")
    open_item = factories.item(meeting, title="Status for helhedsplanen")
    closed_item = factories.item(meeting, title="Køb af beboerhus til 4,2 mio. kr.", is_closed=True)
    plan.agenda_items.add(open_item, closed_item)
    return plan, committee


def test_closed_item_title_hidden_from_non_member_on_plan_page_and_history(
    client_for, politician, closed_item_plan
):
    plan, _ = closed_item_plan
    client = client_for(politician)
    page = client.get(detail(plan)).content.decode()
    assert "Status for helhedsplanen" in page
    assert "Lukket punkt" in page
    assert "Køb af beboerhus" not in page
    assert "Køb af beboerhus" not in client.get(history(plan)).content.decode()


def test_closed_item_title_shown_to_committee_member(client_for, politician, closed_item_plan):
    plan, committee = closed_item_plan
    factories.member(politician, committee)
    assert "Køb af beboerhus" in client_for(politician).get(detail(plan)).content.decode()


def test_plan_page_runs_a_fixed_number_of_queries(client_for, caseworker):
    client = client_for(caseworker)
    committee = factories.committee()
    meeting = factories.meeting(committee)
    plan = factories.plan("Helhedsplan Tæller")

    def add(count):
        for index in range(count):
            factories.estate(plan, tenancies=10)
            factories.commitment(plan, factories.administration(), year=2020)
            factories.status_change(plan, "idea")
            item = factories.item(meeting, is_closed=index % 2 == 0)
            factories.attachment(item)
            plan.agenda_items.add(item)
            plan.participating_administrations.add(factories.administration())

    add(1)
    small = count_queries(client, detail(plan))
    add(8)
    assert count_queries(client, detail(plan)) == small
    assert small <= 20


# -- the history tab ---------------------------------------------------------------------------


def test_history_tab_shows_field_changes_with_who_and_when(client_for, caseworker, politician):
    colleague = factories.user(roles.CASEWORKER, first_name="Karl", last_name="Kollega")
    period = factories.lbf_period(focus=("Beskæftigelse",))
    plan = factories.plan("Helhedsplan Historik", lbf_period=period, budget=Decimal(10_000_000))
    estate = factories.estate(plan, "Afdeling A", tenancies=100)
    old = factories.estate(plan, "Afdeling B", tenancies=50)
    commitment = factories.commitment(plan, factories.administration("BIF", "BIF-navn"))
    services.plan_update(
        plan=plan,
        user=colleague,
        expected_version=plan.version,
        fields={"budget": Decimal(12_000_000), "lbf_period": period},
        m2m={"focus_areas": list(period.focus_areas.all())},
        estates=[
            services.EstateRow(pk=estate.pk, name="Afdeling A", tenancies=140),
            services.EstateRow(pk=old.pk, name="Afdeling B", tenancies=50, delete=True),
        ],
    )
    commitment.amount = Decimal(150_000)
    commitment._history_user = colleague
    commitment.save()
    services.plan_transition(
        plan=plan, to_status="prequalification", date=date(2024, 3, 1), user=colleague
    )
    content = client_for(politician).get(history(plan)).content.decode()
    assert 'aria-current="page">Historik' in content
    assert "Karl Kollega" in content
    assert "Samlet budget (kr.):" in content
    assert "10.000.000 kr.</span>" in content and "12.000.000 kr.</span>" in content
    assert "Afdeling »Afdeling A«" in content and "100</span>" in content
    assert "140</span>" in content
    assert "Afdeling »Afdeling B«" in content and "Slettet" in content
    assert "Indsatsområder:" in content and "tilføjet Beskæftigelse (2019–2026)" in content
    assert "Medfinansiering: BIF-navn 2021" in content and "150.000 kr.</span>" in content
    assert "Forløbstrin: Prækvalifikation" in content and "1. marts 2024" in content
    assert "Idé</span>" in content and "Prækvalifikation</span>" in content  # status old → new


def test_history_tab_runs_a_fixed_number_of_queries(client_for, caseworker):
    client = client_for(caseworker)
    period = factories.lbf_period(focus=("Beskæftigelse", "Uddannelse og livschancer"))
    plan = factories.plan("Helhedsplan Mange Ændringer", lbf_period=period)
    meeting = factories.meeting(factories.committee())

    def change(count):
        for index in range(count):
            estate = factories.estate(plan, tenancies=10)
            estate.tenancies = 20
            estate.save()
            factories.commitment(plan, factories.administration(), year=2020)
            plan.participating_administrations.add(factories.administration())
            plan.agenda_items.add(factories.item(meeting, is_closed=True))
            plan.budget += 1
            plan.save()
            factories.status_change(plan, "idea", by=caseworker)
            if index % 2:
                estate.delete()

    change(1)
    small = count_queries(client, history(plan))
    change(6)
    assert count_queries(client, history(plan)) == small
    assert small <= 30
