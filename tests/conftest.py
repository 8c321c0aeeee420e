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

    for alias in caches:
        caches[alias].clear()
    yield
    for alias in caches:
        caches[alias].clear()


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("HELHEDSPLANER_REQUIRE_POSTGRES"):
            pytest.fail("HELHEDSPLANER_REQUIRE_POSTGRES is set but the database is not PostgreSQL")
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions); CI runs it there")


@pytest.fixture
def caseworker(db):
    return factories.user(roles.CASEWORKER, "sagsbehandler")


@pytest.fixture
def secretary(db):
    return factories.user(roles.SECRETARY, "sekretaer")


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
