"""Two saves of the same plan version at the same moment: exactly one wins (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from helhedsplaner.models import Plan
from helhedsplaner.plans import services
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_version_let_exactly_one_through(on_postgres):
    plan = factories.plan(name="Helhedsplan Samtidig")
    users = [factories.user() for _ in range(6)]  # no role: a flushed test database has none
    barrier = threading.Barrier(len(users))
    saved, conflicts, errors = [], [], []

    def save(index, user):
        try:
            barrier.wait(timeout=10)
            services.plan_update(
                plan=plan,
                user=user,
                expected_version=1,
                fields={"budget": Decimal(10_000_000 + index)},
                m2m={},
                estates=[],
            )
            saved.append(index)
        except services.PlanConflict:
            conflicts.append(index)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i, u)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(saved) == 1 and len(conflicts) == len(users) - 1
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.version == 2
    assert plan.budget == Decimal(10_000_000 + saved[0])
