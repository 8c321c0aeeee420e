"""A page rendered afresh for a reader it was rendered for before reads none of what the
reader may do from the database: their roles, seats and permissions are kept beside the
pages under the ``access`` version and the day (core.pagecache, core.roles.grants).

A change of who may see what (a new seat, a role taken away) raises ``access``, so the
next page reads them again and shows what they may now see. Transactional tests: inside
a test transaction the page cache is bypassed on purpose.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import pagecache, roles
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

GRANT_TABLES = ("auth_group", "auth_permission", "committees_membership")


def _grant_queries(client, url) -> tuple[str, list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    read = [q["sql"] for q in queries if any(table in q["sql"] for table in GRANT_TABLES)]
    return response[pagecache.STATUS_HEADER], read, response.content.decode()


@pytest.fixture
def agenda():
    committee = factories.committee("BIU")
    meeting = factories.meeting(committee)
    item = factories.item(meeting, title="Lukket punkt om grunden", is_closed=True)
    user = factories.user(roles.POLITICIAN, "laeser")
    client = Client()
    client.force_login(user)
    return {
        "committee": committee,
        "item": item,
        "user": user,
        "client": client,
        "url": reverse("meetings:meeting_detail", args=[meeting.pk]),
    }


def _retitle(item, title):
    item.refresh_from_db()
    item.title = title
    item.save()


def test_a_page_rendered_afresh_reads_no_grants_kept_from_the_last(agenda):
    status, read, _ = _grant_queries(agenda["client"], agenda["url"])
    assert status == "miss" and read  # the first page reads them

    _retitle(agenda["item"], "Lukket punkt om grunden, rettet")
    status, read, _ = _grant_queries(agenda["client"], agenda["url"])

    assert status == "miss"
    assert read == []


def test_a_new_seat_is_read_at_once_and_opens_the_closed_item(agenda):
    _, _, content = _grant_queries(agenda["client"], agenda["url"])
    assert "Lukket punkt om grunden" not in content

    factories.member(agenda["user"], agenda["committee"])
    status, read, content = _grant_queries(agenda["client"], agenda["url"])

    assert status == "miss" and read
    assert "Lukket punkt om grunden" in content


def test_a_role_taken_away_is_read_at_once(agenda):
    plan = factories.plan("Helhedsplan Alfa")
    url = reverse("planstatus:plan_status", args=[plan.pk])
    assert agenda["client"].get(url).status_code == 200
    plan.name = "Helhedsplan Alfa, rettet"
    plan.save()  # the next page is rendered afresh, with the kept grants at hand

    agenda["user"].groups.remove(Group.objects.get(name=roles.POLITICIAN))

    assert agenda["client"].get(url).status_code == 403
