"""Two refreshes of a plan's stored figures at once end with the later data (PostgreSQL).

``helhedsplaner.dashboard.figures`` locks the plans' rows before it computes: a refresh
that computed from older data cannot write after one that computed from newer data.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from helhedsplaner.dashboard import figures
from helhedsplaner.models import CoFinancing, PlanFigures, PlanFiguresSummary
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
