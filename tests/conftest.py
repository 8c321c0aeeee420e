import os

import pytest
from django.db import connection

from core import roles
from tests import factories


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: a real-browser journey (Playwright + Chromium)")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (the database is rolled back, the caches are not)."""
    from django.core.cache import caches

    from core import pagecache

    for alias in caches:
        caches[alias].clear()
    pagecache.forget_local_memos()
    yield
    for alias in caches:
        caches[alias].clear()
    pagecache.forget_local_memos()


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("HELHEDSPLANER_REQUIRE_POSTGRES"):
            pytest.fail("HELHEDSPLANER_REQUIRE_POSTGRES is set but the database is not PostgreSQL")
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions); CI runs it there")


@pytest.fixture
def caseworker(db):
    """A caseworker granted every administration for plans and commitments, so the tests of
    those pages need not set up an administration first. Their agenda-item drafts are still
    their own administration's only (``factories.staff``). Narrowly scoped caseworkers are
    built explicitly where scoping is what a test is about."""
    return factories.user(roles.CASEWORKER, "sagsbehandler")


@pytest.fixture
def secretary(db):
    """The secretary of every committee of the test: those that exist and those the test
    creates later. A secretary of another committee is built explicitly where scoping is
    what a test is about (``factories.secretary_of``)."""
    from django.db.models.signals import post_save

    from committees.models import Committee

    if not Committee.objects.exists():  # a secretary serves a committee: one for the test
        factories.committee("SEK")
    user = factories.user(roles.SECRETARY, "sekretaer")  # serves every existing committee

    def serve(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            factories.secretary_of(user, instance, auto=True)

    uid = f"test-secretary-serves-{user.pk}"
    post_save.connect(serve, sender=Committee, dispatch_uid=uid, weak=False)
    yield user
    post_save.disconnect(sender=Committee, dispatch_uid=uid)


@pytest.fixture
def politician(db):
    return factories.user(roles.POLITICIAN, "politiker")


@pytest.fixture
def administrator(db):
    return factories.user(roles.ADMINISTRATOR, "admin")


@pytest.fixture
def client_for(client):
    """Log the test client in as the given user and return it."""

    def login(user):
        client.force_login(user)
        return client

    return login
