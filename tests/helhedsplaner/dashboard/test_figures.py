"""The front page's stored figures (``helhedsplaner.dashboard.figures``): what each kind of
write changes, that the page shows what the computation over every plan showed, that a
plan without stored figures is never shown wrong, and a fixed number of queries.

The after-commit hook that calls ``figures.refresh`` for the plans a write touched is
being wired into ``core.pagecache``; until it is, these tests call ``refresh`` themselves
after each write, with the plans the module docstring of ``figures`` names for it, as the
hook will.
"""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AgendaItem
from committees.models import Meeting
from core import pagecache, roles
from helhedsplaner.cofinancing import services as money_services
from helhedsplaner.cofinancing.selectors import (
    COMMITTED,
    add_money_facts,
    plans_with_money,
)
from helhedsplaner.dashboard import figures
from helhedsplaner.models import (
    Area,
    CoFinancing,
    CommitmentCorrection,
    Estate,
    HousingContribution,
    Plan,
    PlanFigures,
    PlanFiguresSummary,
)
from helhedsplaner.plans.selectors import LIFECYCLE_ORDER
from helhedsplaner.status.selectors import (
    FINAL_STATUSES,
    STALE_AFTER_DAYS,
    activity_facts,
    plans_last_activity,
)
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("home")
M = Decimal(1_000_000)
ZERO = Decimal(0)


def stored(plan) -> dict:
    return PlanFigures.objects.filter(plan=plan).values(*figures.FIELDS).get()


def money(plan) -> tuple:
    row = stored(plan)
    return (
        row["municipal_committed"],
        row["municipal_paid"],
        row["municipal_proposed"],
        row["housing_total"],
        row["local_committed"],
    )


def last_activity(plan):
    return stored(plan)["last_activity"]


def at(day: date, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=factories.CPH)


# -- what each write changes ----------------------------------------------------------------


def test_commitments_change_the_money_when_created_granted_paid_withdrawn_and_deleted(
    client_for, caseworker
):
    plan = factories.plan(budget=10 * M, lbf_grant=6 * M)
    bif = factories.administration("BIF")
    figures.refresh([plan.pk])
    assert money(plan) == (ZERO, ZERO, ZERO, ZERO, ZERO)

    # Registered through the form: proposed money counts for nothing but "proposed".
    response = client_for(caseworker).post(
        reverse("cofinancing:commitment_create"),
        {
            "plan": plan.pk,
            "administration": bif.pk,
            "year": "2021",
            "amount": "1.250.000",
            "source": "own_budget",
            "pool": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    commitment = CoFinancing.objects.get()
    figures.refresh([plan.pk])
    assert money(plan) == (ZERO, ZERO, Decimal(1_250_000), ZERO, ZERO)
    assert last_activity(plan) is None

    deciding = factories.deciding_item(day=date(2021, 2, 4))
    money_services.commitment_grant(commitment=commitment, item=deciding)
    figures.refresh([plan.pk])
    assert money(plan) == (Decimal(1_250_000), ZERO, ZERO, ZERO, Decimal(1_250_000))
    # The meeting whose decision granted it is activity.
    assert last_activity(plan) == date(2021, 2, 4)

    money_services.commitment_mark_paid(commitment=commitment)
    figures.refresh([plan.pk])
    assert money(plan)[:2] == (Decimal(1_250_000), Decimal(1_250_000))

    second = factories.commitment(plan, bif, amount=M, status="granted")
    figures.refresh([plan.pk])
    assert money(plan)[:2] == (Decimal(2_250_000), Decimal(1_250_000))
    money_services.commitment_withdraw(commitment=second, reason="Fejl i beløbet")
    figures.refresh([plan.pk])
    assert money(plan)[:2] == (Decimal(1_250_000), Decimal(1_250_000))

    CoFinancing.objects.filter(pk=commitment.pk).update(granted_by_item=None)
    figures.refresh([plan.pk])
    assert last_activity(plan) is None
    CommitmentCorrection.objects.all().delete()
    CoFinancing.objects.all().delete()
    figures.refresh([plan.pk])
    assert money(plan) == (ZERO, ZERO, ZERO, ZERO, ZERO)


def test_a_commitment_moved_to_another_plan_changes_both(caseworker):
    first, second = factories.plan(), factories.plan()
    commitment = factories.commitment(first, amount=M, status="granted")
    figures.refresh([first.pk, second.pk])
    assert (money(first)[0], money(second)[0]) == (M, ZERO)
    CoFinancing.objects.filter(pk=commitment.pk).update(plan=second)
    figures.refresh([first.pk, second.pk])  # the old plan and the new
    assert (money(first)[0], money(second)[0]) == (ZERO, M)


def test_housing_contributions_count_towards_the_local_share(client_for, caseworker):
    plan = factories.plan(budget=4 * M, lbf_grant=3 * M)
    figures.refresh([plan.pk])
    assert stored(plan)["missing_cofinancing"] is True
    response = client_for(caseworker).post(
        reverse("cofinancing:housing_contribution_create", args=[plan.pk]),
        {"amount": "1.000.000", "description": "Dispositionsfonden"},
    )
    assert response.status_code == 302
    figures.refresh([plan.pk])
    assert money(plan)[3:] == (M, M)
    assert stored(plan)["missing_cofinancing"] is False  # 1 mio. is 25 % of 4 mio.
    HousingContribution.objects.update(amount=M - 1)
    figures.refresh([plan.pk])
    assert stored(plan)["missing_cofinancing"] is True
    HousingContribution.objects.all().delete()
    figures.refresh([plan.pk])
    assert money(plan)[3:] == (ZERO, ZERO)


def test_lifecycle_steps_move_the_last_activity_and_a_final_status_ends_attention(
    client_for, caseworker, politician
):
    plan = factories.plan(name="Helhedsplan Forløb", budget=2 * M, lbf_grant=M)
    entered = timezone.now() - timedelta(days=STALE_AFTER_DAYS + 30)
    factories.backdate(plan, entered)
    figures.refresh([plan.pk])
    assert stored(plan)["last_activity"] is None
    # The local day it was entered on (summer time then: late in a winter evening that
    # is the next day).
    assert stored(plan)["active_on"] == timezone.localdate(entered)
    reader = client_for(politician)
    attention = reader.get(HOME).context["attention"]
    assert [p.name for p in attention["stale"]] == ["Helhedsplan Forløb"]

    day = timezone.localdate() - timedelta(days=3)
    client = client_for(caseworker)
    response = client.post(
        reverse("helhedsplaner:plan_transition", args=[plan.pk]),
        {"to_status": "prequalification", "prequalification-date": day.isoformat()},
    )
    assert response.status_code == 302
    figures.refresh([plan.pk])
    assert (stored(plan)["last_activity"], stored(plan)["running"]) == (day, True)
    reader = client_for(politician)
    attention = reader.get(HOME).context["attention"]
    assert attention["stale"] == [] and attention["stale_count"] == 0
    assert [p.name for p in attention["missing_cofinancing"]] == ["Helhedsplan Forløb"]

    client = client_for(caseworker)
    response = client.post(
        reverse("helhedsplaner:plan_transition", args=[plan.pk]),
        {"to_status": "withdrawn", "withdrawn-date": day.isoformat()},
    )
    assert response.status_code == 302
    figures.refresh([plan.pk])
    assert stored(plan)["running"] is False
    reader = client_for(politician)
    response = reader.get(HOME)
    attention = response.context["attention"]
    assert attention["missing_cofinancing"] == [] and attention["missing_cofinancing_count"] == 0
    assert response.context["totals"]["running"] == 0
    assert [r["label"] for r in response.context["by_status"]] == ["Trukket tilbage"]


def test_agenda_items_and_their_meetings_move_the_last_activity(client_for, secretary):
    plan = factories.plan()
    committee = factories.committee("TMU")
    meeting = factories.meeting(committee, day=date(2024, 5, 2), status=Meeting.Status.PUBLISHED)
    item = factories.item(meeting, title="Status for planen")
    figures.refresh([plan.pk])
    assert last_activity(plan) is None

    # Linked through the item's form (the secretary serves the committee).
    response = client_for(secretary).post(
        reverse("agenda_item_plans", args=[item.pk]), {"plans": [plan.pk]}
    )
    assert response.status_code == 302
    figures.refresh([plan.pk])
    assert last_activity(plan) == date(2024, 5, 2)

    # The meeting moves: the plans linked to its items follow.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=at(date(2024, 6, 13)))
    figures.refresh([plan.pk])
    assert last_activity(plan) == date(2024, 6, 13)
    # Back to a draft agenda: not activity any more.
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    figures.refresh([plan.pk])
    assert last_activity(plan) is None
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    # The item taken to another meeting.
    later = factories.meeting(committee, day=date(2024, 9, 5), status=Meeting.Status.PUBLISHED)
    AgendaItem.objects.filter(pk=item.pk).update(meeting=later, number=1)
    figures.refresh([plan.pk])
    assert last_activity(plan) == date(2024, 9, 5)

    # Unlinked from the item's side.
    item.plans.remove(plan)
    figures.refresh([plan.pk])
    assert last_activity(plan) is None


def test_follow_up_group_meetings_move_the_last_activity():
    plan = factories.plan()
    group = factories.follow_up_group()
    factories.follow_up_meeting(group, day=date(2022, 9, 8))
    figures.refresh([plan.pk])
    assert last_activity(plan) is None
    plan.follow_up_groups.add(group)
    figures.refresh([plan.pk])
    assert last_activity(plan) == date(2022, 9, 8)
    later = factories.follow_up_meeting(group, day=date(2023, 3, 1))
    figures.refresh([plan.pk])
    assert last_activity(plan) == date(2023, 3, 1)
    later.delete()
    figures.refresh([plan.pk])
    assert last_activity(plan) == date(2022, 9, 8)
    group.delete()
    figures.refresh([plan.pk])
    assert last_activity(plan) is None


def test_the_summary_follows_plans_estates_and_deletions(client_for, politician):
    north, south = factories.area("Nordområdet"), factories.area("Sydområdet")
    plan = factories.plan(area=north, budget=10 * M, lbf_grant=6 * M, status="approved")
    factories.estate(plan, tenancies=300)
    figures.refresh([plan.pk])
    Plan.objects.filter(pk=plan.pk).update(area=south, budget=12 * M)
    Estate.objects.update(tenancies=350)
    figures.refresh([plan.pk])
    context = client_for(politician).get(HOME).context
    assert [(r["area__name"], r["count"], r["budget"]) for r in context["by_area"]] == [
        ("Sydområdet", 1, 12 * M)
    ]
    assert (context["totals"]["budget"], context["totals"]["tenancies"]) == (12 * M, 350)
    plan_id = plan.pk
    plan.delete()  # its figures go with it (CASCADE); the refresh redoes the summary
    assert not PlanFigures.objects.exists()
    figures.refresh([plan_id])
    context = client_for(politician).get(HOME).context
    assert (context["totals"]["count"], context["by_area"], context["by_status"]) == (0, [], [])


def test_a_refresh_that_changes_nothing_writes_nothing():
    plan = factories.plan()
    factories.commitment(plan, amount=M, status="granted")
    assert figures.refresh([plan.pk]) == 1
    first = PlanFigures.objects.get().refreshed_at
    summary = PlanFiguresSummary.objects.get().refreshed_at
    assert figures.refresh([plan.pk]) == 0
    assert PlanFigures.objects.get().refreshed_at == first
    assert PlanFiguresSummary.objects.get().refreshed_at == summary
    assert figures.refresh([plan.pk + 1000]) == 0  # a plan that does not exist


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_refreshes_its_plans_figures_before_the_front_page_moves():
    """Wired through the page cache's after-commit hook (helhedsplaner.cachescopes): no
    explicit refresh. The figures are derived data: storing them raises no version of
    its own, and never ``access``; the write's own ``all`` makes the front page new."""
    plan = factories.plan()
    other = factories.plan()
    before = pagecache.versions([pagecache.ALL, pagecache.ACCESS])
    factories.commitment(plan, amount=M, status="granted")
    after = pagecache.versions([pagecache.ALL, pagecache.ACCESS])
    assert PlanFigures.objects.get(plan=plan).municipal_committed == M
    assert PlanFigures.objects.get(plan=other).municipal_committed == 0
    assert after[pagecache.ALL] > before[pagecache.ALL]
    assert after[pagecache.ACCESS] == before[pagecache.ACCESS]
    # A refresh by hand raises nothing (the command raises ``all`` itself).
    figures.refresh([plan.pk, other.pk])
    assert pagecache.versions([pagecache.ALL, pagecache.ACCESS]) == after


# -- plans without stored figures -------------------------------------------------------------


def test_plans_made_or_removed_without_a_refresh_are_never_shown_wrong(client_for, politician):
    old = factories.plan(name="Helhedsplan Gammel", budget=4 * M, lbf_grant=3 * M)
    factories.housing_contribution(old, amount=M)
    figures.refresh_all()
    reader = client_for(politician)
    assert reader.get(HOME).context["attention"]["missing_cofinancing_count"] == 0

    # A bulk path that refreshes nothing: a plan and a granted commitment.
    (new,) = Plan.objects.bulk_create(
        [
            Plan(
                name="Helhedsplan Ny",
                housing_organisation=old.housing_organisation,
                area=old.area,
                lbf_period=old.lbf_period,
                lead_administration=old.lead_administration,
                budget=2 * M,
                lbf_grant=M,
            )
        ]
    )
    CoFinancing.objects.bulk_create(
        [
            CoFinancing(
                plan=new,
                administration=factories.administration(),
                year=2022,
                amount=Decimal(1_100_000),
                status="granted",
            )
        ]
    )
    assert not PlanFigures.objects.filter(plan=new).exists()
    context = reader.get(HOME).context
    assert context["totals"]["count"] == 2
    assert context["totals"]["committed"] == Decimal(1_100_000)
    assert [p.name for p in context["attention"]["over_budget"]] == ["Helhedsplan Ny"]
    assert context["attention"]["over_budget_count"] == 1
    expected = {**_old_figures(), "all_areas": None}
    assert _shown(context) == _shown(_context_without_stored_figures(reader)) == expected
    assert _shown(context, reader)["all_areas"] == _old_figures()["all_areas"]

    # The next refresh (of any plan) stores the missing plan too.
    figures.refresh([])
    assert PlanFigures.objects.filter(plan=new).exists()
    assert reader.get(HOME).context["attention"]["over_budget_count"] == 1

    # A plan removed behind the summary's back: the summary no longer covers the plans.
    CoFinancing.objects.filter(plan=new).delete()
    Plan.objects.filter(pk=new.pk).delete()
    context = reader.get(HOME).context
    assert (context["totals"]["count"], context["attention"]["over_budget_count"]) == (1, 0)
    assert _shown(context, reader) == _old_figures()


def _context_without_stored_figures(client) -> dict:
    """The page's figures computed with nothing stored at all (every plan on the fly)."""
    saved = list(PlanFigures.objects.all()), list(PlanFiguresSummary.objects.all())
    PlanFigures.objects.all().delete()
    PlanFiguresSummary.objects.all().delete()
    try:
        return client.get(HOME).context
    finally:
        PlanFigures.objects.bulk_create(saved[0])
        PlanFiguresSummary.objects.bulk_create(saved[1])


# -- the same page as the computation over every plan ---------------------------------------


def _old_figures() -> dict:
    """The dashboard's figures as they were computed before they were stored: every plan,
    commitment and activity read at each request (the selectors of commit 63a8001)."""
    rows = {
        row["status"]: row
        for row in Plan.objects.order_by()
        .values("status")
        .annotate(count=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant"))
    }
    labels = dict(Plan.Status.choices)
    by_status = [
        {
            "status": status,
            "label": labels[status],
            "count": rows[status]["count"],
            "budget": rows[status]["budget"] or ZERO,
            "lbf_grant": rows[status]["lbf_grant"] or ZERO,
        }
        for status in LIFECYCLE_ORDER
        if status in rows
    ]
    by_area = list(
        Plan.objects.order_by("area__name")
        .values("area_id", "area__name", "area__district")
        .annotate(count=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant"))
    )
    totals = Plan.objects.aggregate(
        count=Count("pk"), budget=Sum("budget"), lbf_grant=Sum("lbf_grant")
    )
    amounts = CoFinancing.objects.aggregate(
        committed=Sum("amount", filter=Q(status__in=COMMITTED)),
        paid=Sum("amount", filter=Q(status=CoFinancing.Status.PAID)),
    )
    totals["tenancies"] = Estate.objects.aggregate(total=Sum("tenancies"))["total"] or 0
    totals["running"] = Plan.objects.exclude(status__in=FINAL_STATUSES).count()
    for key in ("budget", "lbf_grant"):
        totals[key] = totals[key] or ZERO
    totals["committed"] = amounts["committed"] or ZERO
    totals["paid"] = amounts["paid"] or ZERO
    plans = [
        add_money_facts(plan)
        for plan in plans_with_money(Plan.objects.exclude(status__in=FINAL_STATUSES)).order_by(
            "name"
        )
    ]
    last = plans_last_activity(plan_ids=None)
    today = timezone.localdate()
    stale, over_budget, missing = [], [], []
    for plan in plans:
        facts = activity_facts(plan, last.get(plan.pk), today)
        plan.last_activity, plan.days_since = facts["last_activity"], facts["days_since"]
        if facts["stale"]:
            stale.append(plan)
        plan.over_by = plan.lbf_grant + plan.local_committed - plan.budget
        if plan.over_by > 0:
            over_budget.append(plan)
        if not plan.requirement_met:
            missing.append(plan)
    stale.sort(key=lambda plan: (plan.last_activity, plan.name))
    # The front page lists the areas with the most plans (then budget), the rest summed.
    ranked = sorted(by_area, key=lambda row: (-row["count"], -row["budget"], row["area_id"]))
    front, rest = ranked[: figures.FRONT_AREAS], ranked[figures.FRONT_AREAS :]
    return {
        "by_status": by_status,
        "by_area": front,
        "other_areas": {
            "areas": len(rest),
            "count": sum(row["count"] for row in rest),
            "budget": sum((row["budget"] for row in rest), ZERO),
            "lbf_grant": sum((row["lbf_grant"] for row in rest), ZERO),
        },
        "all_areas": by_area,
        "totals": totals,
        "stale": [(p.pk, p.name, p.last_activity, p.days_since) for p in stale[:10]],
        "stale_count": len(stale),
        "over_budget": [(p.pk, p.name, p.over_by) for p in over_budget[:10]],
        "over_budget_count": len(over_budget),
        "missing_cofinancing": [(p.pk, p.name, p.local_missing) for p in missing[:10]],
        "missing_cofinancing_count": len(missing),
    }


def _shown(context, reader=None) -> dict:
    """What the front page shows (``context``), with every area from the page of all
    areas (read by ``reader``)."""
    attention = context["attention"]
    return {
        "by_status": context["by_status"],
        "by_area": context["by_area"],
        "other_areas": context["other_areas"],
        "all_areas": reader.get(reverse("plans_by_area")).context["by_area"] if reader else None,
        "totals": context["totals"],
        "stale": [(p.pk, p.name, p.active_on, p.days_since) for p in attention["stale"]],
        "stale_count": attention["stale_count"],
        "over_budget": [(p.pk, p.name, p.over_by) for p in attention["over_budget"]],
        "over_budget_count": attention["over_budget_count"],
        "missing_cofinancing": [
            (p.pk, p.name, p.local_missing) for p in attention["missing_cofinancing"]
        ],
        "missing_cofinancing_count": attention["missing_cofinancing_count"],
    }


def _odd_plans() -> None:
    """Edges of the rules next to the generated shapes: a budget of 0, a plan exactly on
    its budget, one a krone over, one exactly at 25 %, one whose 25 % is rounded to the
    øre, a plan with nothing dated, a closed one, one a day past stale and one just not."""
    today = timezone.localdate()
    for name, budget, lbf, local, status in (
        ("Kant nul budget", ZERO, ZERO, ZERO, "idea"),
        ("Kant præcis på budget", 4 * M, 3 * M, M, "approved"),
        ("Kant en krone over", 4 * M, 3 * M, M + 1, "approved"),
        ("Kant præcis 25 procent", Decimal("4000000.04"), 3 * M, Decimal("1000000.01"), "dialogue"),
        ("Kant afrundet", Decimal("4000000.05"), 3 * M, Decimal("1000000.01"), "dialogue"),
        ("Kant afsluttet", 4 * M, 3 * M, ZERO, "closed"),
    ):
        plan = factories.plan(name=name, budget=budget, lbf_grant=lbf, status=status)
        if local:
            factories.housing_contribution(plan, amount=local)
    forgotten = factories.plan(name="Kant glemt", status="implementation")
    factories.backdate(forgotten, timezone.now() - timedelta(days=STALE_AFTER_DAYS + 1))
    recent = factories.plan(name="Kant netop aktiv", status="implementation")
    factories.backdate(recent, timezone.now() - timedelta(days=STALE_AFTER_DAYS + 1))
    factories.status_change(recent, "implementation", day=today - timedelta(days=STALE_AFTER_DAYS))


def test_the_dashboard_shows_what_the_computation_over_every_plan_showed(client_for, politician):
    call_command("generate_load_data", "--scale", "0.002", stdout=io.StringIO())
    _odd_plans()
    for n in range(figures.FRONT_AREAS):  # more areas than the front page lists
        factories.plan(name=f"Plan i område {n}", area=factories.area(f"Ekstra område {n}"))
    reader = client_for(politician)
    expected = _old_figures()
    assert expected["stale_count"] and expected["over_budget_count"]
    assert expected["missing_cofinancing_count"]

    # More areas than the front page lists: the rest are summed up in one row.
    assert expected["other_areas"]["areas"] > 0

    # Nothing of the edges stored yet: they are computed on the fly.
    assert _shown(reader.get(HOME).context, reader) == expected
    figures.refresh_all()
    assert PlanFigures.objects.count() == Plan.objects.count()
    assert _shown(reader.get(HOME).context, reader) == expected
    # And from nothing stored at all.
    assert _shown(_context_without_stored_figures(reader)) == {**expected, "all_areas": None}


def test_the_demo_data_shows_what_the_computation_over_every_plan_showed(client_for):
    call_command("load_demo", stdout=io.StringIO())  # refreshes at the end
    assert PlanFigures.objects.count() == Plan.objects.count() == 33
    reader = client_for(factories.user(roles.POLITICIAN, "laeser"))
    assert _shown(reader.get(HOME).context, reader) == _old_figures()


# -- a fixed number of queries ------------------------------------------------------------------


def _grow(times: int) -> list[int]:
    committee = factories.committee()
    ids = []
    for n in range(times):
        plan = factories.plan(status="implementation", area=factories.area())
        factories.estate(plan)
        factories.commitment(plan, amount=Decimal(100_000), status="paid")
        factories.housing_contribution(plan)
        factories.status_change(plan, "implementation")
        meeting = factories.meeting(
            committee, day=timezone.localdate() + timedelta(days=10 + n), status="published"
        )
        plan.agenda_items.add(factories.item(meeting))
        ids.append(plan.pk)
    return ids


def test_the_dashboard_reads_stored_figures_in_as_many_queries_at_two_sizes(client_for, politician):
    client = client_for(politician)
    counts = []
    for times in (2, 20):
        figures.refresh(_grow(times))
        client.get(HOME)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(HOME)
        shown = min(Area.objects.count(), figures.FRONT_AREAS)
        assert len(response.context["by_area"]) == shown
        assert response.context["other_areas"]["areas"] == Area.objects.count() - shown
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15, counts


def test_refresh_runs_as_many_queries_for_one_plan_as_for_many():
    figures.refresh([])  # the summary row is made once, by the first refresh ever
    counts = []
    for times in (1, 12):
        ids = _grow(times)
        with CaptureQueriesContext(connection) as queries:
            figures.refresh(ids)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_command_refreshes_every_plan_and_says_how_far_it_has_come():
    plans = [factories.plan() for _ in range(3)]
    out = io.StringIO()
    call_command("refresh_plan_figures", stdout=out)
    assert PlanFigures.objects.filter(plan__in=plans).count() == 3
    assert "100 %  3 of 3 plans" in out.getvalue()
    assert "Plan figures ready: 3 rows written" in out.getvalue()
    out = io.StringIO()
    call_command("refresh_plan_figures", stdout=out)
    assert "Plan figures ready: 0 rows written" in out.getvalue()
