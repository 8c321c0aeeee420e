"""A page read while another connection writes is never served after that write
commits; a write that is rolled back keeps the cached page (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core import pagecache, roles
from helhedsplaner.models import Plan
from tests import factories


def _write_in_another_connection(plan_pk, *, commit: bool, written, may_finish, errors):
    try:
        with transaction.atomic():
            Plan.objects.filter(pk=plan_pk).update(name="Helhedsplan Efter")
            written.set()
            assert may_finish.wait(timeout=10)
            if not commit:
                transaction.set_rollback(True)
    except Exception as exc:  # pragma: no cover - reported below
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("commit", [True, False])
def test_a_concurrent_write_shows_exactly_when_it_commits(on_postgres, commit):
    plan = factories.plan(name="Helhedsplan Før")
    reader = Client()
    reader.force_login(factories.user(roles.POLITICIAN, "anna"))
    url = reverse("planstatus:plan_status", args=[plan.pk])
    written, may_finish, errors = threading.Event(), threading.Event(), []
    writer = threading.Thread(
        target=_write_in_another_connection,
        args=(plan.pk,),
        kwargs={"commit": commit, "written": written, "may_finish": may_finish, "errors": errors},
    )
    writer.start()
    assert written.wait(timeout=10)
    generation_during = pagecache.generation()
    # Rendered and cached while the write is open: the committed name.
    during = reader.get(url).content.decode()
    assert "Helhedsplan Før" in during
    may_finish.set()
    writer.join()
    assert errors == []
    after = reader.get(url).content.decode()
    if commit:
        assert pagecache.generation() == generation_during + 1
        assert "Helhedsplan Efter" in after and "Helhedsplan Før" not in after
    else:
        assert pagecache.generation() == generation_during
        assert "Helhedsplan Før" in after
