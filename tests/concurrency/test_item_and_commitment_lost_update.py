"""Two editors save the same version of an agenda item, or of a commitment, at the same
moment: exactly one wins, the other gets a conflict (PostgreSQL, real threads)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from cases import services as case_services
from cases.models import AgendaItem
from committees.models import Meeting
from core.versioning import VersionConflict
from helhedsplaner.cofinancing import services as cofinancing_services
from helhedsplaner.models import CoFinancing
from tests import factories

EDITORS = 6


def race(save):
    """Run ``save(index)`` in EDITORS threads released together; (saved, conflicts)."""
    barrier = threading.Barrier(EDITORS)
    saved, conflicts, errors = [], [], []

    def run(index):
        try:
            barrier.wait(timeout=10)
            save(index)
            saved.append(index)
        except VersionConflict:
            conflicts.append(index)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return saved, conflicts


@pytest.mark.django_db(transaction=True)
def test_two_editors_of_one_item_version_let_exactly_one_through(on_postgres):
    item = factories.item(factories.meeting(status=Meeting.Status.DRAFT), title="Budget 2010")

    def save(index):
        case_services.agenda_item_update(
            item=item,
            expected_version=1,
            points=[f"at udvalget godkender forslag {index}."],
            title=f"Budget 2010, forslag {index}",
        )

    saved, conflicts = race(save)
    assert len(saved) == 1 and len(conflicts) == EDITORS - 1
    item = AgendaItem.objects.get(pk=item.pk)
    assert item.version == 2
    assert item.title == f"Budget 2010, forslag {saved[0]}"
    assert [p.text for p in item.recommendation_points.all()] == [
        f"at udvalget godkender forslag {saved[0]}."
    ]


@pytest.mark.django_db(transaction=True)
def test_two_editors_of_one_commitment_version_let_exactly_one_through(on_postgres):
    commitment = factories.commitment(factories.plan(), amount=Decimal("400000"))

    def save(index):
        cofinancing_services.commitment_update(
            commitment=commitment,
            expected_version=1,
            amount=Decimal(400_000 + index),
            note=f"Forslag {index}",
        )

    saved, conflicts = race(save)
    assert len(saved) == 1 and len(conflicts) == EDITORS - 1
    commitment = CoFinancing.objects.get(pk=commitment.pk)
    assert commitment.version == 2
    assert (commitment.amount, commitment.note) == (
        Decimal(400_000 + saved[0]),
        f"Forslag {saved[0]}",
    )
