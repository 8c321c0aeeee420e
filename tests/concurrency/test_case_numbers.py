"""Case numbers drawn by many people at the same moment stay unique (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from cases.models import Case
from cases.services import case_create
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gives_unique_numbers(on_postgres):
    admin = factories.administration("BIF")
    workers = 12
    barrier = threading.Barrier(workers)
    numbers, errors = [], []

    def create(index):
        try:
            barrier.wait(timeout=10)
            numbers.append(case_create(title=f"Samtidig {index}", administration=admin).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(numbers) == workers
    assert len(set(numbers)) == workers
    assert Case.objects.count() == workers
