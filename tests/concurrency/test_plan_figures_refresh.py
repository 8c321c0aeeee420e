"""Two refreshes of a plan's stored figures at once end with the later data (PostgreSQL).

``helhedsplaner.dashboard.figures`` locks the plans' rows before it computes: a refresh
that computed from older data cannot write after one that computed from newer data. The
summary over all plans is computed by one process at a time, and a refresh that finds
it being computed leaves it to that process, which computes once more.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from helhedsplaner.dashboard import figures
from helhedsplaner.models import CoFinancing, PlanFigures, PlanFiguresSummary
from helhedsplaner.plans.services import plan_update
from tests import factories

M = Decimal(1_000_000)


@pytest.mark.django_db(transaction=True)
def test_a_refresh_that_computed_old_figures_cannot_overwrite_a_later_one(on_postgres, monkeypatch):
    """The first refresh computes, then stalls before writing; meanwhile a commitment is
    committed (not held up by the refresh's lock). The commitment's own refresh (run
    after its commit by the page cache's hook) waits for the first, then computes
    afresh, so the figures stored last include the commitment."""
    plan = factories.plan(budget=10 * M, lbf_grant=6 * M)
    figures.refresh([plan.pk])
    computed, release = threading.Event(), threading.Event()
    real_compute = figures.compute

    def compute(ids, today=None):
        result = real_compute(ids, today)
        if threading.current_thread().name == "first":
            computed.set()
            assert release.wait(10)
        return result

    monkeypatch.setattr(figures, "compute", compute)
    errors = []

    def run(target):
        try:
            target()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(name="first", target=run, args=(lambda: figures.refresh([plan.pk]),))
    first.start()
    assert computed.wait(10)
    writer = threading.Thread(
        target=run, args=(lambda: factories.commitment(plan, amount=M, status="granted"),)
    )
    writer.start()
    # A new commitment only references the plan: the refresh's lock does not hold up
    # its commit.
    deadline = time.monotonic() + 5
    while not CoFinancing.objects.filter(plan=plan).exists():
        assert time.monotonic() < deadline, "a commitment waited for a refresh's lock"
        time.sleep(0.05)
    writer.join(0.5)
    assert writer.is_alive(), "the commitment's refresh did not wait for the first"
    release.set()
    first.join(10)
    writer.join(10)
    assert errors == []
    row = PlanFigures.objects.get(plan=plan)
    assert (row.municipal_committed, row.local_committed) == (M, M)
    assert PlanFiguresSummary.objects.get().data["front"]["committed"] == "1000000.00"


@pytest.mark.django_db(transaction=True)
def test_a_refresh_that_finds_the_summary_being_computed_leaves_it_to_that_process(
    on_postgres, monkeypatch
):
    """The first refresh of the summary computes it and stalls before writing (its data
    read before the budget below). Meanwhile a plan's budget is saved: its refresh finds
    the summary locked, does not wait (PostgreSQL would stop it after its lock_timeout
    if it did) and returns. The first, when it has written its old summary, finds a
    refresh asked for after it had locked the row and computes once more, so the summary
    stored last has the new budget."""
    plan = factories.plan(budget=10 * M, lbf_grant=6 * M)
    factories.housing_contribution(plan, amount=Decimal(2_500_000))  # 25 % of 10 mio.
    figures.refresh([plan.pk])
    assert PlanFigures.objects.get(plan=plan).missing_cofinancing is False
    computed, release = threading.Event(), threading.Event()
    real_summarise = figures.summarise
    rounds = []

    def summarise():
        result = real_summarise()
        if threading.current_thread().name == "first":
            rounds.append(result["front"]["by_status"][0]["budget"])
            if len(rounds) == 1:
                computed.set()
                assert release.wait(10)
        return result

    monkeypatch.setattr(figures, "summarise", summarise)
    errors = []

    def run():
        try:
            figures.refresh_summary()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(name="first", target=run)
    first.start()
    assert computed.wait(10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")
    try:
        plan.refresh_from_db()
        plan_update(
            plan=plan,
            user=None,
            expected_version=plan.version,
            fields={"budget": 12 * M},
            m2m={},
            estates=[],
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    # The save's own refresh stored the plan's row and left the summary to the first.
    assert PlanFigures.objects.get(plan=plan).missing_cofinancing is True
    assert first.is_alive()
    assert PlanFiguresSummary.objects.get().data["front"]["by_status"][0]["budget"] == "10000000.00"
    release.set()
    first.join(10)
    assert errors == [] and not first.is_alive()
    assert rounds == [10 * M, 12 * M]
    assert PlanFiguresSummary.objects.get().data["front"]["by_status"][0]["budget"] == "12000000.00"
