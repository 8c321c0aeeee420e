"""A pool's budget cut waits for a grant under way and then sees it (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from helhedsplaner.cofinancing import services
from helhedsplaner.models import CoFinancing, CoFinancingPool
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_budget_cut_during_a_grant_is_refused_after_the_grant(on_postgres):
    """1.500.000 kr. of 2.000.000 kr. is granted; a grant of 400.000 kr. holds the pool's
    lock while the administrator cuts the budget to 1.600.000 kr.: the cut waits, then
    sees 1.900.000 kr. granted and is refused, so the pool is never over-committed."""
    plan, admin = factories.plan(), factories.administration("TMF")
    pool = factories.pool(budget=Decimal("2000000"))
    item = factories.deciding_item()
    factories.commitment(
        plan,
        admin,
        amount=Decimal("1500000"),
        source="pool",
        pool=pool,
        status=CoFinancing.Status.GRANTED,
        granted_by_item=item,
    )
    proposed = factories.commitment(plan, admin, amount=Decimal("400000"), source="pool", pool=pool)
    granted, release, outcome = threading.Event(), threading.Event(), {}

    def grant():
        try:
            with transaction.atomic():
                services.commitment_grant(commitment=proposed, item=item)
                granted.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def cut():
        try:
            services.pool_update(pool=pool, budget=Decimal("1600000"))
            outcome["saved"] = True
        except ValidationError as error:
            outcome["refused"] = error.message_dict["budget"][0]
        finally:
            connection.close()

    granting = threading.Thread(target=grant)
    granting.start()
    assert granted.wait(timeout=10)
    cutting = threading.Thread(target=cut)
    cutting.start()
    cutting.join(timeout=1)
    assert cutting.is_alive()  # waits for the pool's lock
    release.set()
    granting.join()
    cutting.join()
    assert "saved" not in outcome
    assert "1.900.000 kr." in outcome["refused"]
    assert CoFinancingPool.objects.get(pk=pool.pk).budget == Decimal("2000000")
