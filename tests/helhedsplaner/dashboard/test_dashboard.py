"""The dashboard (front page): figures against a hand-computed fixture, meetings, decisions,
plans needing attention, the closed-item rule and a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AgendaItem
from committees.models import Meeting
from helhedsplaner.status.selectors import STALE_AFTER_DAYS
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("home")
M = Decimal(1_000_000)


@pytest.fixture
def plans():
    """Four plans; the figures below are worked out by hand in the tests."""
    north, south = factories.area("Nordområdet"), factories.area("Sydområdet")
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    today = timezone.localdate()
    alfa = factories.plan(
        "Helhedsplan Alfa", status="implementation", area=north, budget=10 * M, lbf_grant=6 * M
    )
    factories.commitment(alfa, tmf, amount=M, status="granted")
    factories.commitment(alfa, tmf, year=2022, amount=M / 2, status="paid")
    factories.housing_contribution(alfa, amount=M)
    factories.status_change(alfa, "implementation", day=today - timedelta(days=10))
    beta = factories.plan(
        "Helhedsplan Beta", status="closed", area=north, budget=4 * M, lbf_grant=3 * M
    )
    factories.backdate(beta, timezone.now() - timedelta(days=3000))
    gamma = factories.plan(
        "Helhedsplan Gamma", status="idea", area=south, budget=8 * M, lbf_grant=Decimal(0)
    )
    factories.backdate(gamma, timezone.now() - timedelta(days=STALE_AFTER_DAYS + 200))
    delta = factories.plan(
        "Helhedsplan Delta", status="approved", area=south, budget=2 * M, lbf_grant=M * 3 / 2
    )
    factories.commitment(delta, tmf, amount=Decimal(600_000), status="granted")
    factories.status_change(delta, "approved", day=today - timedelta(days=5))
    return {"alfa": alfa, "beta": beta, "gamma": gamma, "delta": delta}


def test_figures_by_status_and_area_and_totals(client_for, politician, plans):
    response = client_for(politician).get(HOME)
    context = response.context
    assert [
        (r["label"], r["count"], r["budget"], r["lbf_grant"]) for r in context["by_status"]
    ] == [
        ("Idé", 1, 8 * M, 0),
        ("Godkendt", 1, 2 * M, Decimal("1500000")),
        ("Under gennemførelse", 1, 10 * M, 6 * M),
        ("Afsluttet", 1, 4 * M, 3 * M),
    ]
    assert [(r["area__name"], r["count"], r["budget"]) for r in context["by_area"]] == [
        ("Nordområdet", 2, 14 * M),
        ("Sydområdet", 2, 10 * M),
    ]
    totals = context["totals"]
    assert (totals["count"], totals["running"]) == (4, 3)
    assert (totals["budget"], totals["lbf_grant"]) == (24 * M, Decimal("10500000"))
    assert (totals["committed"], totals["paid"]) == (Decimal("2100000"), Decimal("500000"))
    content = response.content.decode()
    for text in ("24 mio. kr.", "10,5 mio. kr.", "2,1 mio. kr.", "Planer efter område"):
        assert text in content


def test_plans_needing_attention(client_for, politician, plans):
    response = client_for(politician).get(HOME)
    attention = response.context["attention"]
    assert [p.name for p in attention["stale"]] == ["Helhedsplan Gamma"]  # Beta is closed
    assert [p.name for p in attention["over_budget"]] == ["Helhedsplan Delta"]
    assert [p.name for p in attention["missing_cofinancing"]] == ["Helhedsplan Gamma"]
    content = response.content.decode()
    assert "100.000 kr. over" in content  # 1,5 + 0,6 mio. against a budget of 2 mio.
    assert "mangler 2.000.000 kr." in content  # 25 % of 8 mio., nothing granted
    assert reverse("planstatus:plan_status", args=[plans["gamma"].pk]) in content
    assert "Kun planer, der stadig kører" in content


@pytest.fixture
def meetings(plans):
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget", slug="tmu")
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu")
    soon = timezone.localdate() + timedelta(days=20)
    coming = factories.meeting(tmu, day=soon, status=Meeting.Status.PUBLISHED)
    open_item = factories.item(coming, title="Status for Alfa")
    closed_item = factories.item(coming, title="Køb af grund til Alfa", is_closed=True)
    factories.item(coming, title="Punkt uden plan")
    plans["alfa"].agenda_items.add(open_item, closed_item)
    draft = factories.meeting(biu, day=soon, status=Meeting.Status.DRAFT)
    plans["delta"].agenda_items.add(factories.item(draft, title="Kladde om Delta"))
    past = factories.meeting(tmu, day=timezone.localdate() - timedelta(days=40), status="held")
    decided = factories.item(past, title="Bevilling til Delta")
    factories.decision(decided, text="Godkendt med 600.000 kr.")
    secret = factories.item(past, title="Fortrolig handel", is_closed=True)
    factories.decision(secret, text="Hemmelig pris på 3 mio. kr.")
    plans["delta"].agenda_items.add(decided, secret)
    return {"tmu": tmu}


def test_upcoming_meetings_and_recent_decisions_with_closed_items_masked(
    client_for, politician, meetings
):
    response = client_for(politician).get(HOME)
    content = response.content.decode()
    assert [m.meeting.committee.short_name for m in response.context["upcoming"]] == ["TMU"]
    assert "Status for Alfa" in content
    assert "Punkt uden plan" not in content
    assert "Kladde om Delta" not in content  # a draft agenda is not for readers
    assert "Bevilling til Delta" in content and "Godkendt med 600.000 kr." in content
    for secret in ("Køb af grund til Alfa", "Fortrolig handel", "Hemmelig pris"):
        assert secret not in content
    assert content.count("Lukket punkt") == 2


def test_committee_member_reads_closed_items_on_the_dashboard(client_for, politician, meetings):
    factories.member(politician, meetings["tmu"])
    content = client_for(politician).get(HOME).content.decode()
    for secret in ("Køb af grund til Alfa", "Fortrolig handel", "Hemmelig pris"):
        assert secret in content


def test_staff_see_their_work_queues(client_for, secretary, caseworker, meetings):
    bif = factories.administration("BIF")
    factories.staff(caseworker, bif)
    factories.item(status=AgendaItem.Status.READY, case_obj=factories.case(admin=bif))
    secretary_page = client_for(secretary).get(HOME).content.decode()
    assert "Punkter klar til møde (1)" in secretary_page
    assert "Kladde om Delta" in secretary_page and "Dagsordenskladde" in secretary_page
    caseworker_page = client_for(caseworker).get(HOME).content.decode()
    assert "Mine dagsordenspunkter (1)" in caseworker_page
    assert "Punkter klar til møde" not in caseworker_page


def test_politician_sees_no_work_queues_or_edit_links(client_for, politician, plans):
    content = client_for(politician).get(HOME).content.decode()
    assert "Dit arbejde" not in content
    assert reverse("helhedsplaner:plan_create") not in content
    assert "rediger" not in content


def test_user_without_a_role_gets_a_note_and_no_figures(client_for, plans):
    response = client_for(factories.user(None, "udenrolle")).get(HOME)
    content = response.content.decode()
    assert "Du har endnu ikke en rolle i systemet" in content
    assert "Helhedsplan Gamma" not in content


def test_the_front_page_lists_the_areas_with_most_plans_and_sums_the_rest(
    client_for, politician, plans
):
    from helhedsplaner.dashboard import figures

    # Nordområdet and Sydområdet have two plans each; one more area per plan of 1 mio.
    for n in range(figures.FRONT_AREAS):
        area = factories.area(f"Område {n:02d}")
        factories.plan(f"Helhedsplan {n}", area=area, budget=M, lbf_grant=M / 2)
    reader = client_for(politician)
    content = reader.get(HOME).content.decode()
    shown = figures.FRONT_AREAS
    # The two with two plans first, then ten of the others; two are summed up.
    assert (
        content.index(">Nordområdet<")
        < content.index(">Sydområdet<")
        < content.index(">Område 00<")
    )
    assert f"De {shown} områder med flest planer." in content
    assert ">Område 10<" not in content and ">Område 11<" not in content
    assert '<th scope="row">2 andre områder</th><td class="num">2</td>' in content
    assert 'href="/omraader/">Alle områder med planer</a>' in content

    page = reader.get(reverse("plans_by_area"))
    assert page.status_code == 200
    areas = page.context["by_area"]
    assert [row["area__name"] for row in areas] == sorted(row["area__name"] for row in areas)
    assert len(areas) == 2 + figures.FRONT_AREAS
    assert ">Område 11<" in page.content.decode()
    assert page.context["totals"]["count"] == 4 + figures.FRONT_AREAS


def test_the_page_of_all_areas_needs_a_role(client_for, plans):
    response = client_for(factories.user(None, "udenrolle")).get(reverse("plans_by_area"))
    assert response.status_code == 403


def _grow(times: int, start: int) -> None:
    committee = factories.committee()
    for n in range(start, start + times):
        plan = factories.plan(status="implementation")
        factories.commitment(plan, amount=Decimal(100_000), status="paid")
        factories.status_change(plan, "implementation")
        for days, closed in ((10 + n, False), (-10 - n, True)):
            meeting = factories.meeting(
                committee, day=timezone.localdate() + timedelta(days=days), status="published"
            )
            item = factories.item(meeting, is_closed=closed)
            factories.decision(item)
            plan.agenda_items.add(item)
        group = factories.follow_up_group()
        plan.follow_up_groups.add(group)
        factories.follow_up_meeting(group)


def test_dashboard_runs_a_fixed_number_of_queries(
    client_for, politician, plans, django_assert_max_num_queries
):
    client = client_for(politician)
    _grow(1, 0)
    with django_assert_max_num_queries(23):
        client.get(HOME)
    _grow(15, 1)
    with django_assert_max_num_queries(23):
        response = client.get(HOME)
    assert len(response.context["decisions"]) == 8


# The lists as the template loop wrote them before they were built in Python.
_LOOP = (
    "{% load i18n dk %}{% for plan in plans %}<li><a href=\"{% url 'planstatus:plan_status' "
    'plan.pk %}">{{ plan.name }}</a> <span class="muted">'
    "{% if kind == 'stale' %}{% blocktranslate with day=plan.active_on|dkdate:\"j. F Y\" %}"
    "latest {{ day }}{% endblocktranslate %}"
    "{% elif kind == 'over_budget' %}{% blocktranslate with amount=plan.over_by|dkk %}"
    "{{ amount }} over{% endblocktranslate %}"
    "{% else %}{% blocktranslate with amount=plan.local_missing|dkk %}{{ amount }} missing"
    "{% endblocktranslate %}{% endif %}"
    '</span></li>{% empty %}<li>{% translate "None." %}</li>{% endfor %}'
)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_attention_lists_built_in_python_are_what_the_template_wrote(plans, language):
    from django.template import engines
    from django.utils import translation

    from helhedsplaner.dashboard import selectors
    from helhedsplaner.templatetags.dashboard_tables import attention_items

    factories.plan("Helhedsplan <Ø & Co>", status="implementation", budget=M, lbf_grant=0)
    loop = engines["django"].from_string(_LOOP)
    with translation.override(language):
        attention = selectors.plans_needing_attention()
        for kind in ("stale", "over_budget", "missing_cofinancing"):
            expected = loop.render({"plans": attention[kind], "kind": kind})
            assert attention_items(attention[kind], kind) == expected
        missing = attention_items(attention["missing_cofinancing"], "missing_cofinancing")
        assert "Helhedsplan &lt;Ø &amp; Co&gt;</a>" in missing
        assert attention_items([], "stale") == loop.render({"plans": [], "kind": "stale"})
