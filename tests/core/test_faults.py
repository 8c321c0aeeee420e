"""Faults: the 500 page says whether the change was saved; a failed page-cache bump after a
commit never becomes an error page nor a stale page; private responses are not kept."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from committees.models import Committee
from core import pagecache, roles
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in():
    client = Client(raise_request_exception=False)
    client.force_login(factories.user(roles.SECRETARY, "fejl"))
    return client


@override_settings(ROOT_URLCONF="tests.core.urls_faults")
def test_a_change_committed_before_the_error_is_reported_as_saved(signed_in):
    response = signed_in.post("/test/gem-og-fejl/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Din ændring er gemt, men siden kunne ikke vises" in page
    assert "ikke gemt" not in page
    assert Committee.objects.filter(short_name="GEMT").exists()


@override_settings(ROOT_URLCONF="tests.core.urls_faults")
def test_a_change_rolled_back_by_the_error_is_reported_as_not_saved(signed_in):
    response = signed_in.post("/test/fejl-foer-gem/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Din ændring blev ikke gemt" in page
    assert "er gemt" not in page
    assert not Committee.objects.filter(short_name="RULLET").exists()


@override_settings(ROOT_URLCONF="tests.core.urls_faults")
def test_a_failed_read_gets_the_plain_error_page(signed_in):
    response = signed_in.get("/test/fejl-ved-laesning/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Systemet kunne ikke vise siden" in page and "gemt, men" not in page


@pytest.fixture
def broken_bump(monkeypatch):
    """The generation's one-row update fails (a database that takes no more writes to it)."""
    monkeypatch.setattr(pagecache, "TOUCH_SQL", "UPDATE core_cachescope_missing SET x = 1 {values}")
    return monkeypatch


def test_a_failed_bump_after_a_save_is_no_error_and_no_stale_page(broken_bump):
    plan = factories.plan(name="Helhedsplan Før")
    reader = Client()
    reader.force_login(factories.user(roles.POLITICIAN, "laeser"))
    url = reverse("planstatus:plan_status", args=[plan.pk])
    assert "Helhedsplan Før" in reader.get(url).content.decode()  # cached now
    generation = pagecache.generation()

    # The write commits; the bump after it fails. That is logged, not raised.
    type(plan).objects.filter(pk=plan.pk).update(name="Helhedsplan Efter")
    assert pagecache.generation() == generation and pagecache.bump_owed()
    # This process does not serve the page it cached before the write.
    assert "Helhedsplan Efter" in reader.get(url).content.decode()

    # Once the database takes the bump again, the next request pays it: the generation
    # moves (so other processes render afresh too) and the cache is used again.
    broken_bump.undo()
    assert "Helhedsplan Efter" in reader.get(url).content.decode()
    assert pagecache.generation() > generation and not pagecache.bump_owed()


def test_a_failed_bump_on_commit_does_not_raise_from_the_transaction(broken_bump):
    from django.db import transaction

    plan = factories.plan(name="Helhedsplan I Transaktion")
    with transaction.atomic():  # the bump runs from on_commit here
        type(plan).objects.filter(pk=plan.pk).update(name="Helhedsplan Gemt")
    plan.refresh_from_db()
    assert plan.name == "Helhedsplan Gemt" and pagecache.bump_owed()
    broken_bump.undo()
    assert pagecache.retry_failed_bump() and not pagecache.bump_owed()


@pytest.fixture
def secretary_client():
    client = Client()
    client.force_login(factories.user(roles.ADMINISTRATOR, "adm"))
    return client


def test_private_pages_and_downloads_are_not_stored_by_browsers_or_proxies(secretary_client):
    plan = factories.plan(name="Helhedsplan Privat")
    url = reverse("planstatus:plan_status", args=[plan.pk])
    for _ in range(2):  # rendered, then served from the page cache
        response = secretary_client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    item = factories.item(factories.meeting())
    attachment = factories.attachment(item)
    download = secretary_client.get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    pdf = secretary_client.get(reverse("pdf:meeting_agenda", args=[item.meeting.pk]))
    assert pdf.status_code == 200 and pdf["Cache-Control"] == "private, no-store"


def test_anonymous_pages_are_left_alone():
    response = Client().get(reverse("accessibility"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_database_connection_is_health_checked():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
