"""The shared pool is never over-committed by simultaneous grants (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from helhedsplaner.cofinancing import services
from helhedsplaner.models import CoFinancing, CoFinancingPool
from tests import factories

Status = CoFinancing.Status


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_never_overcommit_the_pool(on_postgres):
    """20 people grant 150.000 kr. each at the same moment from a 1.000.000 kr. pool:
    exactly six fit (900.000 kr.); the other fourteen are refused with the balance."""
    plan = factories.plan()
    admin = factories.administration("TMF")
    pool = factories.pool(budget=Decimal("1000000"))
    item = factories.deciding_item()
    commitments = [
        services.commitment_create(
            plan=plan,
            administration=admin,
            year=2021,
            amount=Decimal("150000"),
            source=CoFinancing.Source.POOL,
            pool=pool,
        )
        for _ in range(20)
    ]
    barrier = threading.Barrier(len(commitments))
    granted, refused, errors = [], [], []

    def grant(commitment):
        try:
            barrier.wait(timeout=10)
            services.commitment_grant(commitment=commitment, item=item)
            granted.append(commitment.pk)
        except ValidationError as error:
            refused.append(error.message_dict["amount"][0])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=grant, args=(c,)) for c in commitments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(granted) == 6
    assert len(refused) == 14
    assert set(refused) == {"Puljen har kun 100.000 kr. tilbage."}
    assert CoFinancing.objects.filter(status=Status.GRANTED).count() == 6
    assert services.pool_balance(pool=CoFinancingPool.objects.get(pk=pool.pk)) == Decimal(100000)
