"""The plan status page: one timeline, the headline, closed items, edit links, query counts."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import Meeting
from helhedsplaner.cofinancing.selectors import plans_with_money
from helhedsplaner.models import Area, CoFinancing
from helhedsplaner.status.selectors import (
    STALE_AFTER_DAYS,
    activity_facts,
    plan_status_get,
    plans_last_activity,
)
from tests import factories

pytestmark = pytest.mark.django_db


def status_url(plan):
    return reverse("planstatus:plan_status", args=[plan.pk])


def test_timeline_tells_the_story_oldest_first_with_every_kind(client_for, politician, story):
    response = client_for(politician).get(status_url(story["plan"]))
    assert response.status_code == 200
    entries = [(entry.day, entry.kind) for entry in response.context["timeline"]]
    assert entries == [
        (date(2019, 3, 1), "lifecycle"),
        (date(2019, 9, 1), "lifecycle"),
        (date(2019, 11, 4), "agenda_item"),
        (date(2019, 11, 4), "granted"),  # the date of the decision that granted it
        (date(2020, 3, 1), "lifecycle"),
        (date(2021, 3, 11), "agenda_item"),
        (date(2021, 9, 8), "followup"),
        (date(2022, 1, 1), "granted"),  # no decision, no recorded change: only the year
        (date(2022, 12, 31), "paid"),
    ]
    content = response.content.decode()
    in_order = [
        "Planen gik over i »Idé«.",
        "Planen gik over i »Godkendt«.",
        "Teknik- og Miljøudvalget, punkt 1: <a",
        "Puljebevilling 2020",
        "Beslutning: Godkendt",
        "Bevilget ved beslutning i Teknik- og Miljøudvalget den 4. november 2019, punkt 1",
        "Planen gik over i »Under gennemførelse«.",
        "Beskæftigelsesindsatsen – status",
        "Udvalget tog orienteringen til efterretning.",
        "Følgegruppen for Tårnby",
        "Gruppen drøftede planen.",
        "Kun året er registreret.",
    ]
    positions = [content.index(text) for text in in_order]
    assert positions == sorted(positions)
    assert "Før planen fandtes." not in content  # group meetings before the plan's story
    assert "999.000 kr." not in content.split("Det er sket")[1].split("Økonomi")[0]


def test_recorded_status_change_dates_a_commitment(client_for, politician, story):
    commitment = factories.commitment(story["plan"], year=2023, amount=Decimal(100_000))
    commitment.status = CoFinancing.Status.PAID
    commitment.save()
    paid_on = datetime(2023, 6, 15, 12, tzinfo=factories.CPH)
    commitment.history.filter(status="paid").update(history_date=paid_on)
    commitment.history.filter(status="proposed").update(history_date=paid_on - timedelta(days=90))
    timeline = client_for(politician).get(status_url(story["plan"])).context["timeline"]
    dated = [(e.day, e.kind, e.year_only) for e in timeline if commitment in e.commitments]
    assert dated == [(date(2023, 6, 15), "granted", False), (date(2023, 6, 15), "paid", False)]


def test_headline_shows_status_period_administration_organisation_and_estates(
    client_for, politician, story
):
    content = client_for(politician).get(status_url(story["plan"])).content.decode()
    for text in (
        "Under gennemførelse",
        "1. januar 2020 – 31. december 2023",
        "Teknik- og Miljøforvaltningen",
        "fsb",
        "2 afdelinger, 450 lejemål",
        "Tårnby afd. 1: 300 lejemål",
        "Sidst opdateret",
    ):
        assert text in content, text


def test_closed_item_shows_only_number_to_non_member(client_for, politician, story):
    meeting = factories.meeting(story["tmu"], day=date(2022, 2, 1), status=Meeting.Status.HELD)
    closed = factories.item(meeting, title="Køb af beboerhus", is_closed=True)
    factories.decision(closed, text="Købet blev godkendt til 4 mio. kr.")
    story["plan"].agenda_items.add(closed)
    content = client_for(politician).get(status_url(story["plan"])).content.decode()
    assert "Køb af beboerhus" not in content
    assert "4 mio. kr." not in content
    assert closed.case.number not in content
    assert 'Teknik- og Miljøudvalget, punkt 1: <span class="badge badge-closed">Lukket punkt' in (
        content
    )


def test_closed_item_in_full_for_committee_member(client_for, politician, story):
    factories.member(politician, story["tmu"])
    meeting = factories.meeting(story["tmu"], day=date(2022, 2, 1), status=Meeting.Status.HELD)
    closed = factories.item(meeting, title="Køb af beboerhus", is_closed=True)
    story["plan"].agenda_items.add(closed)
    content = client_for(politician).get(status_url(story["plan"])).content.decode()
    assert "Køb af beboerhus" in content


def test_items_on_draft_agendas_never_show(client_for, secretary, politician, story):
    draft = factories.meeting(story["biu"], day=date(2030, 1, 14), status=Meeting.Status.DRAFT)
    story["plan"].agenda_items.add(factories.item(draft, title="Kladde om Tårnby"))
    for user in (politician, secretary):
        assert (
            "Kladde om Tårnby"
            not in client_for(user).get(status_url(story["plan"])).content.decode()
        )


def test_upcoming_meeting_is_last_and_marked(client_for, politician, story):
    coming = timezone.localdate() + timedelta(days=30)
    meeting = factories.meeting(story["biu"], day=coming, status=Meeting.Status.PUBLISHED)
    story["plan"].agenda_items.add(factories.item(meeting, title="Status for Tårnby"))
    response = client_for(politician).get(status_url(story["plan"]))
    last = response.context["timeline"][-1]
    assert (last.kind, last.upcoming, last.item.title) == ("agenda_item", True, "Status for Tårnby")
    assert "Kommende" in response.content.decode()


def test_stale_plan_gets_a_warning(client_for, politician):
    plan = factories.plan("Helhedsplan Glemt", status="implementation")
    long_ago = timezone.localdate() - timedelta(days=STALE_AFTER_DAYS + 20)
    factories.status_change(plan, "implementation", day=long_ago)
    factories.backdate(plan, timezone.now() - timedelta(days=400))
    content = client_for(politician).get(status_url(plan)).content.decode()
    assert f"Der er ikke registreret noget om planen i {STALE_AFTER_DAYS + 20} dage." in content


def test_recent_or_finished_plans_get_no_warning(client_for, politician):
    fresh = factories.plan("Helhedsplan Ny", status="implementation")
    factories.status_change(fresh, "implementation", day=timezone.localdate())
    closed = factories.plan("Helhedsplan Slut", status="closed")
    factories.status_change(closed, "closed", day=date(2015, 1, 1))
    factories.backdate(closed, timezone.now() - timedelta(days=4000))
    for plan in (fresh, closed):
        content = client_for(politician).get(status_url(plan)).content.decode()
        assert "Der er ikke registreret noget om planen" not in content


@pytest.mark.parametrize("reader", ["politician", "secretary", "caseworker", "administrator"])
def test_activity_and_money_are_those_of_the_shared_queries(reader, request, story):
    """The page works out the latest activity and the money sums from the rows it reads;
    they must be what the dashboard's queries say, whoever reads."""
    plan = story["plan"]
    factories.commitment(plan, year=2024, amount=Decimal("1234.50"))  # proposed
    page = plan_status_get(pk=plan.pk, user=request.getfixturevalue(reader))
    expected = activity_facts(plan, plans_last_activity(plan_ids=[plan.pk]).get(plan.pk))
    assert {key: page[key] for key in expected} == expected
    annotated = plans_with_money().get(pk=plan.pk)
    for name in ("municipal_committed", "municipal_paid", "municipal_proposed", "housing_total"):
        assert getattr(page["plan"], name) == getattr(annotated, name), name


def test_goals_groups_and_cofinancing_links(client_for, politician, story):
    goal = factories.policy_goal("Flere i job")
    story["plan"].policy_goals.add(goal)
    content = client_for(politician).get(status_url(story["plan"])).content.decode()
    assert reverse("policy:goal_detail", args=[goal.pk]) in content
    group = story["plan"].follow_up_groups.get()
    assert reverse("followup:group_detail", args=[group.pk]) in content
    assert reverse("cofinancing:plan_detail", args=[story["plan"].pk]) in content
    assert reverse("planstatus:plan_status_pdf", args=[story["plan"].pk]) in content


def test_politician_sees_no_edit_links_and_cannot_post(client_for, politician, story):
    plan = story["plan"]
    client = client_for(politician)
    content = client.get(status_url(plan)).content.decode()
    for url in (
        reverse("helhedsplaner:plan_edit", args=[plan.pk]),
        reverse("cofinancing:commitment_create"),
        reverse("helhedsplaner:indicator_register"),
        reverse("helhedsplaner:plan_detail", args=[plan.pk]) + "#forloeb",
    ):
        assert url not in content
    assert client.post(status_url(plan)).status_code == 405
    assert client.post(reverse("helhedsplaner:plan_edit", args=[plan.pk])).status_code == 403


def test_caseworker_sees_the_edit_links(client_for, caseworker, story):
    content = client_for(caseworker).get(status_url(story["plan"])).content.decode()
    assert reverse("helhedsplaner:plan_edit", args=[story["plan"].pk]) in content
    assert reverse("cofinancing:commitment_create") + f"?plan={story['plan'].pk}" in content


def test_user_without_a_role_is_refused(client_for, story):
    client = client_for(factories.user(None, "udenrolle"))
    assert client.get(status_url(story["plan"])).status_code == 403


def test_plan_list_leads_readers_to_the_status_page(client_for, politician, caseworker, story):
    plan_list = reverse("helhedsplaner:plan_list")
    assert status_url(story["plan"]) in client_for(politician).get(plan_list).content.decode()
    detail = reverse("helhedsplaner:plan_detail", args=[story["plan"].pk])
    assert f'href="{detail}"' in client_for(caseworker).get(plan_list).content.decode()


def _grow(story, times: int, start: int = 0) -> None:
    plan = story["plan"]
    city = Area.objects.filter(is_city_total=True).first() or factories.area(
        "Kommunen", is_city_total=True
    )
    indicator = factories.indicator()
    for n in range(start, start + times):
        meeting = factories.meeting(
            story["tmu"], day=date(2010, 1, 1) + timedelta(days=30 * n), status="held"
        )
        item = factories.item(meeting, title=f"Punkt {n}", is_closed=n % 2 == 0)
        factories.decision(item)
        plan.agenda_items.add(item)
        factories.commitment(plan, year=2000 + n, status="paid", granted_by_item=item)
        factories.status_change(plan, "implementation", day=date(2010, 1, 1) + timedelta(days=n))
        factories.estate(plan)
        factories.indicator_value(plan.area, indicator, year=2000 + n)
        factories.indicator_value(city, indicator, year=2000 + n)
        group = factories.follow_up_group()
        plan.follow_up_groups.add(group)
        factories.follow_up_meeting(group, day=date(2020, 1, 1) + timedelta(days=n))
        plan.policy_goals.add(factories.policy_goal())


def test_status_page_runs_a_fixed_number_of_queries(
    client_for, politician, story, django_assert_max_num_queries
):
    client = client_for(politician)
    _grow(story, 1)
    with django_assert_max_num_queries(23):
        client.get(status_url(story["plan"]))
    _grow(story, 12, start=1)
    with django_assert_max_num_queries(23):
        response = client.get(status_url(story["plan"]))
    assert len(response.context["timeline"]) > 40
