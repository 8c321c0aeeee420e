"""The plan list's rows and two sections of the status page are fragments (core.fragments).

A write to one plan renders that plan's row of the list again and no other; the status
page's indicators and its policy goals and follow-up groups are kept under the scopes
of what they show, so a commitment does not render them again, while a change to what
they show does, at once. Through the HTTP client with the page cache on: transactional
tests (inside a test transaction nothing is cached).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.timezone import localdate

from cases.cachescopes import item_facts_scope
from cases.models import AgendaItem, Decision
from core import pagecache, roles
from core.templatetags.dk import isodatetime
from helhedsplaner.cofinancing.services import (
    commitment_grant,
    commitment_mark_paid,
    commitment_update,
    commitment_withdraw,
)
from helhedsplaner.models import CoFinancing, IndicatorValue
from helhedsplaner.plans import selectors as plan_selectors
from helhedsplaner.plans.services import plan_update
from helhedsplaner.status import selectors as status_selectors
from helhedsplaner.status import views as status_views
from tests import factories
from tests.cachedpage import get_page as _get

pytestmark = pytest.mark.django_db(transaction=True)


def _reader(role=roles.POLITICIAN, name="laeser") -> Client:
    client = Client()
    client.force_login(factories.user(role, name))
    return client


@pytest.fixture
def counted(monkeypatch):
    """Which plan rows and status sections were read to be rendered."""
    seen = {
        "rows": [],
        "indicators": 0,
        "goals": 0,
        "story": 0,
        "headline": 0,
        "commitments": 0,
        "items": [],
    }
    rows, charts, links, story, headline, commitments, entry_html = (
        plan_selectors.plan_list_rows,
        status_selectors.plan_indicator_charts,
        status_selectors.plan_links_get,
        status_selectors.plan_story,
        status_selectors.plan_head,
        status_selectors.plan_commitments,
        status_views._entry_html,
    )

    def count_commitments(pk):
        seen["commitments"] += 1
        return commitments(pk)

    def count_story(**kwargs):
        seen["story"] += 1
        return story(**kwargs)

    def count_headline(**kwargs):
        seen["headline"] += 1
        return headline(**kwargs)

    def count_entries(entry):
        if entry.kind == "agenda_item":  # the items' entries rendered
            seen["items"].append(entry.item.pk)
        return entry_html(entry)

    monkeypatch.setattr(status_selectors, "plan_story", count_story)
    monkeypatch.setattr(status_selectors, "plan_head", count_headline)
    monkeypatch.setattr(status_selectors, "plan_commitments", count_commitments)
    monkeypatch.setattr(status_views, "_entry_html", count_entries)

    def count_rows(ids):
        seen["rows"].extend(sorted(ids))
        return rows(ids)

    def count_charts(plan):
        seen["indicators"] += 1
        return charts(plan)

    def count_links(plan):
        seen["goals"] += 1
        return links(plan)

    monkeypatch.setattr(plan_selectors, "plan_list_rows", count_rows)
    monkeypatch.setattr(status_selectors, "plan_indicator_charts", count_charts)
    monkeypatch.setattr(status_selectors, "plan_links_get", count_links)
    return seen


def _budget(plan, budget: Decimal) -> None:
    plan.refresh_from_db()
    plan_update(
        plan=plan,
        user=None,
        expected_version=plan.version,
        fields={"budget": budget},
        m2m={},
        estates=[],
    )


# -- the plan list ---------------------------------------------------------------------------


@pytest.fixture
def plans():
    alfa = factories.plan("Alfa", budget=Decimal(10_000_000), lbf_grant=Decimal(0))
    beta = factories.plan("Beta", budget=Decimal(20_000_000), lbf_grant=Decimal(0))
    return alfa, beta


def test_a_write_to_one_plan_renders_only_its_row_and_shows_at_once(plans, counted):
    alfa, beta = plans
    reader = _reader()
    url = reverse("helhedsplaner:plan_list")
    assert _get(reader, url)[0] == "miss"
    assert _get(reader, url)[0] == "hit"
    assert counted["rows"] == sorted([alfa.pk, beta.pk])

    _budget(beta, Decimal(33_300_000))
    status, page = _get(reader, url)

    assert status == "miss"
    assert "33,3 mio." in page  # the row
    assert "43,3 mio." in page  # the totals, read afresh
    assert counted["rows"] == sorted([alfa.pk, beta.pk]) + [beta.pk]


def test_a_new_estate_shows_in_the_total_of_tenancies(plans, counted):
    alfa, _beta = plans
    reader = _reader()
    url = reverse("helhedsplaner:plan_list")
    factories.estate(alfa, "Afdeling 1", tenancies=120)
    assert ">120</td>" in _get(reader, url)[1]
    factories.estate(alfa, "Afdeling 2", tenancies=1300)
    status, page = _get(reader, url)
    assert status == "miss" and "<dd>1.420</dd>" in page and ">1.420</td>" in page
    assert counted["rows"].count(alfa.pk) == 2


def test_a_filtered_page_keeps_its_filters_and_rows(plans, counted):
    alfa, beta = plans
    reader = _reader()
    url = reverse("helhedsplaner:plan_list") + "?q=Beta&sortering=-navn"
    status, page = _get(reader, url)
    assert status == "miss"
    assert 'value="Beta"' in page and ">Beta</a>" in page and ">Alfa</a>" not in page
    assert counted["rows"] == [beta.pk]
    # An unknown sort is reported by the form and the default order applies.
    status, page = _get(reader, reverse("helhedsplaner:plan_list") + "?sortering=ukendt")
    assert "error-summary" in page and ">Alfa</a>" in page


def test_rows_are_not_shared_between_kinds_of_reader(plans):
    alfa, _beta = plans
    politician, caseworker = _reader(), _reader(roles.CASEWORKER, "sagsbeh")
    url = reverse("helhedsplaner:plan_list")
    _get(politician, url)
    status, page = _get(caseworker, url)
    # Caseworkers are led to the plan page, politicians to the status page.
    assert status == "miss"
    detail = f'href="{reverse("helhedsplaner:plan_detail", args=[alfa.pk])}"'
    assert detail in page
    assert detail not in _get(politician, url)[1]


def test_the_list_is_the_same_without_the_page_cache(plans):
    reader = _reader()
    url = reverse("helhedsplaner:plan_list") + "?sortering=beloeb"
    _get(reader, url)
    cached = _get(reader, url)
    with override_settings(PAGE_CACHE_ENABLED=False):
        fresh = _get(reader, url)
    assert cached[0] == "hit" and fresh[0] is None
    strip = _without_tokens
    assert strip(cached[1]) == strip(fresh[1])


def _without_tokens(html: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


# -- the status page -------------------------------------------------------------------------


@pytest.fixture
def story():
    area = factories.area("Vollsmose")
    city = factories.area("Kommunen", is_city_total=True)
    plan = factories.plan("Helhedsplan Vollsmose", area=area)
    commitment = factories.commitment(plan, amount=Decimal(100_000), status="proposed")
    indicator = factories.indicator("ledighed", "Ledighed")
    factories.indicator_value(area, indicator, year=2020, value=Decimal("12.5"))
    city_value = factories.indicator_value(city, indicator, year=2020, value=Decimal("6.5"))
    plan.policy_goals.add(factories.policy_goal("Flere i job"))
    factories.status_change(plan, "dialogue", day=date(2020, 3, 1), note="Dialog indledt")
    committee = factories.committee("BIU")
    held = factories.meeting(committee, day=date(2021, 5, 3), status="held")
    granting = factories.item(held, title="Bevilling til Vollsmose")
    factories.decision(granting)
    closed = factories.item(held, title="Fortroligt om Vollsmose", is_closed=True)
    coming = factories.item(
        factories.meeting(committee, day=date.today() + timedelta(days=30)), title="Kommer snart"
    )
    draft = factories.item(None, title="Kladde om Vollsmose")
    plan.agenda_items.add(granting, closed, coming, draft)
    factories.commitment(plan, amount=Decimal(250_000), status="granted", granted_by_item=granting)
    factories.commitment(plan, amount=Decimal(50_000), year=2020, status="paid")
    group = factories.follow_up_group("Følgegruppen for Vollsmose")
    plan.follow_up_groups.add(group)
    factories.follow_up_meeting(group, day=date(2021, 9, 8), notes="Status for Vollsmose")
    return {
        "plan": plan,
        "area": area,
        "commitment": commitment,
        "indicator": indicator,
        "city_value": city_value,
        "granting": granting,
        "closed": closed,
        "url": reverse("planstatus:plan_status", args=[plan.pk]),
    }


def test_a_commitment_does_not_render_the_indicators_or_the_goals_again(story, counted):
    reader = _reader()
    assert _get(reader, story["url"])[0] == "miss"
    assert counted["indicators"] == counted["goals"] == 1

    commitment = story["commitment"]
    commitment_update(
        commitment=commitment, expected_version=commitment.version, amount=Decimal(234_567)
    )
    status, page = _get(reader, story["url"])

    assert status == "miss" and "234.567" in page
    assert "Flere i job" in page and "12,5 %" in page
    assert "Dialog indledt" in page and "Bevilling til Vollsmose" in page
    assert "Status for Vollsmose" in page and "250.000" in page
    assert counted["indicators"] == counted["goals"] == counted["story"] == 1
    assert sorted(set(counted["items"])) == sorted(counted["items"])  # each item read once


def test_the_headline_says_when_a_commitment_was_last_changed(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    commitment = story["commitment"]
    commitment_update(commitment=commitment, expected_version=commitment.version, note="Ny note")
    commitment.refresh_from_db()
    status, page = _get(reader, story["url"])
    assert status == "miss"
    assert f'datetime="{isodatetime(commitment.updated_at)}"' in page
    # A note is not shown: the commitments were not read again, only their latest change.
    assert counted["commitments"] == 1
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)
    # A new amount is shown: read again.
    commitment_update(
        commitment=commitment, expected_version=commitment.version, amount=Decimal(120_000)
    )
    assert "120.000" in _get(reader, story["url"])[1] and counted["commitments"] == 2


def test_a_lifecycle_step_renders_the_story_again_and_not_the_items(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    items_read = list(counted["items"])
    factories.status_change(story["plan"], "approved", day=date(2021, 1, 4), note="Godkendt nu")
    status, page = _get(reader, story["url"])
    assert status == "miss" and "Godkendt nu" in page
    assert counted["story"] == 2 and counted["items"] == items_read


def test_an_item_renders_its_entry_again_and_not_the_story(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    granting = story["granting"]
    granting.title = "Bevilling til Vollsmose, rettet"
    granting.save()
    status, page = _get(reader, story["url"])
    assert status == "miss" and "Bevilling til Vollsmose, rettet" in page
    assert counted["story"] == 1 and counted["items"][-1:] == [granting.pk]


def test_a_commitment_granted_by_an_item_does_not_render_the_items_entry_again(story, counted):
    # The item's own page shows the commitments it granted (the write raises item:N); its
    # entry in the story does not show them and is kept under item-facts:N.
    reader = _reader()
    _get(reader, story["url"])
    items_read = list(counted["items"])
    granted = CoFinancing.objects.get(granted_by_item=story["granting"])
    commitment_update(commitment=granted, expected_version=granted.version, note="Ny note")
    granted.refresh_from_db()
    status, page = _get(reader, story["url"])
    assert status == "miss" and "Bevilling til Vollsmose" in page
    assert f'datetime="{isodatetime(granted.updated_at)}"' in page
    assert counted["items"] == items_read and counted["story"] == 1


def test_a_commitment_raises_its_granting_items_pages_but_not_the_items_own_rows(story):
    granting = story["granting"]
    scopes = [pagecache.item_scope(granting.pk), item_facts_scope(granting.pk)]
    before = pagecache.versions(scopes)
    granted = CoFinancing.objects.get(granted_by_item=granting)
    commitment_update(commitment=granted, expected_version=granted.version, note="Ny note")
    after_commitment = pagecache.versions(scopes)
    assert after_commitment[scopes[0]] > before[scopes[0]]
    assert after_commitment[scopes[1]] == before[scopes[1]]
    granting.title = "Bevilling til Vollsmose, rettet"
    granting.save()
    after_item = pagecache.versions(scopes)
    assert all(after_item[scope] > after_commitment[scope] for scope in scopes)


def test_an_item_renumbered_past_the_signals_shows_its_new_number_at_once(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    granting = story["granting"]
    with transaction.atomic():  # as cases.services renumbers an agenda
        AgendaItem.objects.filter(pk=granting.pk).update(number=42)
        pagecache.changed(granting)
    status, page = _get(reader, story["url"])
    assert status == "miss" and "BIU, punkt 42: " in page
    assert counted["items"][-1:] == [granting.pk]


def test_a_decision_changed_shows_at_once_and_the_entry_keeps_its_date(story):
    reader = _reader()
    _get(reader, story["url"])
    decision = Decision.objects.get(item=story["granting"])
    decision.text = "Indstillingen tiltrådt med en ændring"
    decision.save()
    decision.refresh_from_db()
    status, page = _get(reader, story["url"])
    assert status == "miss" and "Indstillingen tiltrådt med en ændring" in page
    assert f'datetime="{isodatetime(decision.updated_at)}"' in page
    assert '<time datetime="2021-05-03">' in page


def test_a_commitment_paid_or_withdrawn_shows_in_the_money_and_story_at_once(story, counted):
    reader = _reader()
    before = _get(reader, story["url"])[1]
    granted = CoFinancing.objects.get(plan=story["plan"], status="granted")
    commitment_mark_paid(commitment=granted)
    status, page = _get(reader, story["url"])
    assert status == "miss" and counted["commitments"] == 2 and page != before
    assert counted["story"] == counted["headline"] == 1
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)
    proposed = story["commitment"]
    commitment_withdraw(commitment=proposed)
    page = _get(reader, story["url"])[1]
    assert counted["commitments"] == 3
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)


def test_a_housing_contribution_shows_in_the_money_at_once(story):
    reader = _reader()
    page = _get(reader, story["url"])[1]
    assert "1.234.567" not in page
    factories.housing_contribution(story["plan"], amount=Decimal(1_234_567))
    status, page = _get(reader, story["url"])
    assert status == "miss" and "1.234.567" in page


def test_a_grant_names_its_decision_as_the_page_without_the_cache_does(story):
    reader = _reader()
    _get(reader, story["url"])
    commitment_grant(commitment=story["commitment"], item=story["granting"])
    status, page = _get(reader, story["url"])
    assert status == "miss"
    # Both commitments granted by the item: the one granted now dated today.
    assert page.count("Bevilget ved beslutning i Udvalg BIU den 3. maj 2021, punkt 1.") == 2
    assert f'<time datetime="{localdate().isoformat()}">' in page
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)


def test_a_granting_item_closed_later_is_closed_in_its_grant_at_once(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    granting = story["granting"]
    granting.is_closed = True
    granting.save()
    status, page = _get(reader, story["url"])
    assert status == "miss"
    assert "Bevilget ved beslutning i Udvalg BIU den 3. maj 2021, punkt 1 (Lukket punkt)." in page
    assert "Bevilling til Vollsmose" not in page and counted["story"] == 1
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)
    # A member of the committee reads it, grant and entry, in a page of their own.
    member = factories.user(roles.POLITICIAN, "medlem")
    factories.member(member, granting.meeting.committee)
    insider = Client()
    insider.force_login(member)
    page = _get(insider, story["url"])[1]
    assert "Bevilling til Vollsmose" in page and "punkt 1 (Lukket punkt)" not in page


def test_the_plans_heading_and_money_show_a_new_name_and_budget_at_once(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    plan = story["plan"]
    plan.refresh_from_db()
    plan_update(
        plan=plan,
        user=None,
        expected_version=plan.version,
        fields={"name": "Helhedsplan Vollsmose Syd", "budget": Decimal(12_345_000)},
        m2m={},
        estates=[],
    )
    status, page = _get(reader, story["url"])
    assert status == "miss" and counted["story"] == 2
    assert "<h1>Helhedsplan Vollsmose Syd " in page and "12,3 mio. kr." in page
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)


def test_a_budget_renders_the_money_again_and_not_the_headline_or_the_story(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    _budget(story["plan"], Decimal(13_579_000))
    status, page = _get(reader, story["url"])
    assert status == "miss" and "13,6 mio. kr." in page
    assert "Dialog indledt" in page and "Status for Vollsmose" in page
    # The steps and meetings were not read again, nor the headline's facts and estates,
    # nor the commitments.
    assert counted["story"] == counted["headline"] == counted["commitments"] == 1
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)


def test_an_estate_shows_in_the_headline_at_once_and_says_when_it_changed(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    estate = factories.estate(story["plan"], "Afdeling Syd", tenancies=321)
    status, page = _get(reader, story["url"])
    assert status == "miss" and counted["headline"] == 2 and counted["story"] == 1
    assert "Afdeling Syd: 321 lejemål" in page and "1 afdeling, 321 lejemål" in page
    assert f'datetime="{isodatetime(estate.updated_at)}"' in page
    estate.tenancies = 400
    estate.save()
    assert "1 afdeling, 400 lejemål" in _get(reader, story["url"])[1]
    estate.delete()
    page = _get(reader, story["url"])[1]
    assert "Afdeling Syd" not in page and "0 afdelinger, 0 lejemål" in page
    assert counted["headline"] == 4
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)


def test_the_headlines_facts_show_a_new_area_and_lead_administration_at_once(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    plan = story["plan"]
    plan.refresh_from_db()
    area, administration = (
        factories.area("Tingbjerg"),
        factories.administration("NYF", "Ny forvaltning"),
    )
    plan_update(
        plan=plan,
        user=None,
        expected_version=plan.version,
        fields={"area": area, "lead_administration": administration},
        m2m={},
        estates=[],
    )
    status, page = _get(reader, story["url"])
    assert status == "miss" and counted["headline"] == 2
    assert "<dd>Tingbjerg" in page and "<dd>Ny forvaltning</dd>" in page
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)


def test_a_new_period_start_shows_the_meetings_it_brings_into_the_story_at_once(story, counted):
    # The story starts at its first step or the period's start, whichever is earlier; the
    # follow-up meetings before it are left out. The story is kept without the plan's row,
    # so a new period must still move where it starts.
    group = story["plan"].follow_up_groups.get()
    factories.follow_up_meeting(group, day=date(2019, 6, 3), notes="Tidligt møde om Vollsmose")
    reader = _reader()
    assert "Tidligt møde om Vollsmose" not in _get(reader, story["url"])[1]
    plan = story["plan"]
    plan.refresh_from_db()
    plan_update(
        plan=plan,
        user=None,
        expected_version=plan.version,
        fields={"period_start": date(2019, 1, 1)},
        m2m={},
        estates=[],
    )
    status, page = _get(reader, story["url"])
    assert status == "miss" and "Tidligt møde om Vollsmose" in page
    assert counted["story"] == 1
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _without_tokens(_get(reader, story["url"])[1]) == _without_tokens(page)


def test_an_item_linked_from_its_own_side_shows_in_the_story_at_once(story):
    reader = _reader()
    _get(reader, story["url"])
    held = story["granting"].meeting
    later = factories.item(held, title="Opfølgning på Vollsmose")
    later.plans.add(story["plan"])
    status, page = _get(reader, story["url"])
    assert status == "miss" and "Opfølgning på Vollsmose" in page


def test_a_plan_that_does_not_exist_is_not_found_with_the_cache_on(story):
    reader = _reader()
    missing = reverse("planstatus:plan_status", args=[story["plan"].pk + 1000])
    assert reader.get(missing).status_code == 404


def test_closed_items_and_drafts_stay_hidden_from_readers_outside_the_committee(story):
    politician = _reader()
    page = _get(politician, story["url"])[1]
    assert "Fortroligt om Vollsmose" not in page and "Kladde om Vollsmose" not in page
    member = factories.user(roles.POLITICIAN, "medlem")
    factories.member(member, story["granting"].meeting.committee)
    insider = Client()
    insider.force_login(member)
    status, page = _get(insider, story["url"])
    assert status == "miss" and "Fortroligt om Vollsmose" in page
    assert "Kladde om Vollsmose" not in page
    # And the outsider's cached page still hides it.
    assert "Fortroligt om Vollsmose" not in _get(politician, story["url"])[1]


def test_a_new_goal_shows_at_once(story, counted):
    goal = factories.policy_goal("Tryghed i området")  # (a new goal is reference data: ref)
    reader = _reader()
    _get(reader, story["url"])
    story["plan"].policy_goals.add(goal)
    status, page = _get(reader, story["url"])
    assert status == "miss" and "Tryghed i området" in page
    assert counted["goals"] == 2 and counted["indicators"] == 1


def test_an_area_value_renders_the_indicators_again(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    factories.indicator_value(story["area"], story["indicator"], year=2021, value=Decimal("9.5"))
    status, page = _get(reader, story["url"])
    assert status == "miss" and "9,5 %" in page
    assert counted["indicators"] == 2 and counted["goals"] == 1


def test_a_city_total_value_shows_on_every_status_page(story, counted):
    reader = _reader()
    _get(reader, story["url"])
    assert _get(reader, story["url"])[0] == "hit"
    value = IndicatorValue.objects.get(pk=story["city_value"].pk)
    value.value = Decimal("7.4")
    value.save()
    status, page = _get(reader, story["url"])
    assert status == "miss" and "7,4 %" in page
    assert counted["indicators"] == 2


def test_the_status_page_is_the_same_without_the_page_cache(story):
    reader = _reader()
    _get(reader, story["url"])
    cached = _get(reader, story["url"])
    with override_settings(PAGE_CACHE_ENABLED=False):
        fresh = _get(reader, story["url"])
    assert cached[0] == "hit" and fresh[0] is None
    assert _without_tokens(cached[1]) == _without_tokens(fresh[1])


def test_the_report_shows_the_sections_the_page_keeps_as_fragments(story):
    from helhedsplaner.status.pdf import plan_status_report_html

    reader = _reader()
    _get(reader, story["url"])  # the fragments are cached; the report reads its own
    user = factories.user(roles.POLITICIAN, "laeser2")
    _title, html = plan_status_report_html(pk=story["plan"].pk, user=user)
    assert "Flere i job" in html and "12,5 %" in html and "status-indicators" in html
