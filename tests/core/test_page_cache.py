"""The page cache (core.pagecache) through HTTP: hits, invalidation, and who gets what.

These tests run in autocommit (transactional tests): inside a test transaction the
cache is bypassed on purpose, since a transaction may hold uncommitted writes.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import pagecache, roles
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), len(queries)


def _without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


@pytest.fixture
def plan():
    return factories.plan(name="Helhedsplan Cachehuset", budget=Decimal(1000), lbf_grant=Decimal(0))


def _reader(username: str, role: str, **names) -> Client:
    client = Client()
    client.force_login(factories.user(role, username, **names))
    return client


def test_a_second_read_is_served_from_the_cache_with_the_readers_own_name(plan):
    url = reverse("planstatus:plan_status", args=[plan.pk])
    first_reader = _reader("anna", roles.POLITICIAN, first_name="Anna", last_name="Ø")
    # (Created first: a new user is a write, and every write starts a new generation.)
    other = _reader("bo", roles.POLITICIAN, first_name="Bo <b>", last_name="Bøg")
    cold, cold_queries = _get(first_reader, url)
    warm, warm_queries = _get(first_reader, url)
    # Session, user and the generation: nothing else is read for a cached page.
    assert warm_queries == 3 < cold_queries
    assert _without_tokens(warm) == _without_tokens(cold)
    assert "Helhedsplan Cachehuset" in warm

    # Another politician shares the rendering but sees their own name, escaped.
    shared, shared_queries = _get(other, url)
    assert "Bo &lt;b&gt; Bøg" in shared and "Anna Ø" not in shared
    assert shared_queries < cold_queries
    assert pagecache.NAME_PLACEHOLDER not in shared
    assert pagecache.CSRF_PLACEHOLDER not in shared


def test_any_committed_write_shows_at_once_even_without_signals(plan):
    url = reverse("planstatus:plan_status", args=[plan.pk])
    reader = _reader("anna", roles.POLITICIAN)
    _get(reader, url)
    # QuerySet.update() sends no signals; the write watcher sees it all the same.
    type(plan).objects.filter(pk=plan.pk).update(name="Helhedsplan Nyt Navn")
    page, _queries = _get(reader, url)
    assert "Helhedsplan Nyt Navn" in page and "Cachehuset" not in page


def test_the_generation_moves_only_when_a_transaction_commits(plan):
    before = pagecache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        type(plan).objects.filter(pk=plan.pk).update(name="Rullet tilbage")
        raise RuntimeError
    assert pagecache.generation() == before
    with transaction.atomic():
        type(plan).objects.filter(pk=plan.pk).update(name="Første")
        factories.estate(plan, "Blok A")
        assert pagecache.generation() == before  # not before the commit
    assert pagecache.generation() == before + 1  # once per transaction
    # Signing in (a session row, the last-login stamp) does not empty the cache.
    factories.user(roles.POLITICIAN, "carl")
    before_login = pagecache.generation()
    client = Client()
    assert client.post("/log-ind/", {"username": "carl", "password": "pw"}).status_code == 302
    client.get(reverse("home"))
    assert pagecache.generation() == before_login
    # But any other change to a user does (names are shown on pages), and so does
    # a role given (a many-to-many add: INSERT … ON CONFLICT / INSERT OR IGNORE).
    dora = factories.user(None, "dora")
    assert pagecache.generation() == before_login + 1
    dora.groups.add(Group.objects.get(name=roles.POLITICIAN))
    assert pagecache.generation() == before_login + 2


def test_closed_items_stay_closed_for_readers_outside_the_committee():
    committee = factories.committee("BIU")
    meeting = factories.meeting(committee)
    factories.item(meeting, title="Åbent punkt")
    factories.item(meeting, title="Hemmelig grundhandel", is_closed=True)
    member_user = factories.user(roles.POLITICIAN, "medlem")
    factories.member(member_user, committee)
    member = Client()
    member.force_login(member_user)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])

    members_page, _queries = _get(member, url)
    assert "Hemmelig grundhandel" in members_page
    outsider = _reader("udenfor", roles.POLITICIAN)
    for _ in range(2):  # rendered for the outsider, then served from the cache
        page, _queries = _get(outsider, url)
        assert "Hemmelig grundhandel" not in page and "Lukket punkt" in page
    # The member still gets the members' edition from the cache.
    assert "Hemmelig grundhandel" in _get(member, url)[0]

    # Leaving the committee is a write: the former member is an outsider at once.
    member_user.person.memberships.all().delete()
    member = Client()
    member.force_login(member_user)
    assert "Hemmelig grundhandel" not in _get(member, url)[0]


def test_permissions_are_checked_for_every_reader(plan):
    url = reverse("planstatus:plan_status", args=[plan.pk])
    reader = _reader("anna", roles.POLITICIAN)
    _get(reader, url)
    _get(reader, url)
    without_role = Client()
    without_role.force_login(factories.user(None, "ingen"))
    assert without_role.get(url).status_code == 403
    # Taking the permission from the role is a write: the cached page is not served.
    Group.objects.get(name=roles.POLITICIAN).permissions.remove(
        Permission.objects.get(codename="view_plan", content_type__app_label="helhedsplaner")
    )
    assert reader.get(url).status_code == 403


def test_a_role_change_reaches_a_signed_in_reader(plan):
    url = reverse("planstatus:plan_status", args=[plan.pk])
    user = factories.user(roles.POLITICIAN, "anna")
    client = Client()
    client.force_login(user)
    _get(client, url)
    user.groups.clear()
    assert client.get(url).status_code == 403


def test_the_token_in_a_cached_page_works_and_messages_are_not_cached():
    committee = factories.committee("BIU")
    meeting = factories.meeting(committee, status="draft")
    factories.item(meeting, title="Punkt til dagsordenen")
    secretary = Client(enforce_csrf_checks=True)
    secretary.force_login(factories.user(roles.SECRETARY, "sekretaer"))
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    _get(secretary, url)
    page, queries = _get(secretary, url)
    assert queries == 3
    token = TOKEN.search(page).group(1)

    response = secretary.post(
        reverse("meetings:meeting_publish", args=[meeting.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    after, _queries = _get(secretary, url)
    assert "Dagsordenen er offentliggjort." in after
    again, _queries = _get(secretary, url)
    assert "Dagsordenen er offentliggjort." not in again
    assert "Offentliggjorte versioner af dagsordenen" in again


def test_each_language_has_its_own_pages(plan):
    url = reverse("helhedsplaner:plan_list")
    client = _reader("anna", roles.POLITICIAN)
    assert "Helhedsplaner" in _get(client, url)[0]
    client.cookies["django_language"] = "en"
    english, _queries = _get(client, url)
    assert 'lang="en"' in english
    client.cookies["django_language"] = "da"
    assert 'lang="da"' in _get(client, url)[0]


def test_the_dashboard_figures_are_shared_by_readers_of_every_kind(plan):
    """The figures over all plans are the same for every kind of reader, and a write
    shows on every reader's page at once (they are precomputed per plan, not cached:
    helhedsplaner.dashboard.figures; this plan has none stored yet, so its figures are
    computed as the page is read)."""
    politician = _reader("anna", roles.POLITICIAN)
    caseworker = _reader("carl", roles.CASEWORKER)
    home = reverse("home")
    first, _queries = _get(politician, home)
    attention = first.split('id="attention"')[1].split('id="upcoming"')[0]
    assert "Helhedsplan Cachehuset" in attention.split('id="attention-missing"')[1]
    # Another kind of reader gets its own page, with the same figures.
    other_kind, _queries = _get(caseworker, home)
    assert attention in other_kind
    # A commitment that meets the 25 % requirement takes the plan off the list at once.
    factories.commitment(plan, amount=Decimal(300), status="granted")
    second, _queries = _get(politician, home)
    assert (
        "Helhedsplan Cachehuset"
        not in second.split('id="attention-missing"')[1].split("</section>")[0]
    )


def _shared_pages() -> dict[str, str]:
    committee = factories.committee("BIU")
    meeting = factories.meeting(committee)
    item = factories.item(meeting, title="Boligsocial indsats i Tingbjerg")
    factories.item(meeting, title="Fortroligt punkt", is_closed=True)
    plan = factories.plan(name="Helhedsplan Tingbjerg")
    return {
        "home": reverse("home"),
        "plan_list": reverse("helhedsplaner:plan_list"),
        "plan_detail": reverse("helhedsplaner:plan_detail", args=[plan.pk]),
        "plan_status": reverse("planstatus:plan_status", args=[plan.pk]),
        "meeting_detail": reverse("meetings:meeting_detail", args=[meeting.pk]),
        "case_detail": reverse("cases:case_detail", args=[item.case.number]),
        "item_detail": reverse("cases:item_detail", args=[item.pk]),
        "search": reverse("search") + "?q=Tingbjerg",
    }


@pytest.mark.parametrize(
    "role", [roles.POLITICIAN, roles.CASEWORKER, roles.SECRETARY, roles.ADMINISTRATOR]
)
def test_every_shared_page_is_served_again_unchanged(role):
    pages = _shared_pages()
    user = factories.user(role, "laeser", first_name="Læser")
    if role == roles.ADMINISTRATOR:
        user.is_superuser = True
        user.save()
    client = Client()
    client.force_login(user)
    for name, url in pages.items():
        first, rendered = _get(client, url)
        again, served = _get(client, url)
        # (The front page asks when the next meeting starts once per agenda version and
        # until it starts: see the next test.)
        assert served == 3 < rendered, name
        assert _without_tokens(again) == _without_tokens(first), name
        assert "Læser" in again, name


def test_invalidate_caches_renders_pages_afresh_after_writes_outside_django(plan):
    from io import StringIO

    from django.core.management import call_command

    url = reverse("planstatus:plan_status", args=[plan.pk])
    reader = _reader("anna", roles.POLITICIAN)
    _get(reader, url)
    # A write the watcher cannot see: another connection, as psql would be.
    plan_table = type(plan)._meta.db_table
    if connection.vendor == "postgresql":
        import psycopg

        settings_dict = connection.settings_dict
        with psycopg.connect(
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
            user=settings_dict["USER"],
            dbname=settings_dict["NAME"],
            autocommit=True,
        ) as other:
            other.execute(
                f"UPDATE {plan_table} SET name = 'Omdøbt i psql' WHERE id = %s", [plan.pk]
            )
    else:
        import sqlite3

        with sqlite3.connect(connection.settings_dict["NAME"]) as other:
            other.execute(f"UPDATE {plan_table} SET name = 'Omdøbt i psql' WHERE id = ?", [plan.pk])
    assert "Omdøbt i psql" not in _get(reader, url)[0]  # still the cached page
    out = StringIO()
    call_command("invalidate_caches", stdout=out)
    assert "Cache generation" in out.getvalue()
    assert "Omdøbt i psql" in _get(reader, url)[0]


def test_the_front_page_moves_a_meeting_from_coming_to_past_when_it_starts():
    """The front page depends on the time of day, not just the data: a meeting that has
    started is no longer "upcoming", with no write in between."""
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    # Within a few hours of now: the reader's session would expire after eight idle ones.
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    later = start + timedelta(hours=2)
    committee = factories.committee("BIU")
    meeting = factories.meeting(committee, day=start.date(), hour=start.hour)
    item = factories.item(meeting, title="Status for helhedsplanen")
    factories.plan(name="Helhedsplan Morgenmøde").agenda_items.add(item)
    reader = _reader("anna", roles.POLITICIAN)

    def upcoming_section(page: str) -> str:
        return page.split('id="upcoming"')[1].split("</section>")[0]

    def at(moment):
        return mock.patch("django.utils.timezone.now", return_value=moment)

    with at(start - timedelta(minutes=30)):
        assert "Status for helhedsplanen" in upcoming_section(_get(reader, "/")[0])
        assert "Status for helhedsplanen" in upcoming_section(_get(reader, "/")[0])
    with at(start + timedelta(minutes=30)):
        assert "Status for helhedsplanen" not in upcoming_section(_get(reader, "/")[0])
    # A meeting added later: the front page knows at once that it is to come, and moves
    # it to the past when it has started.
    factories.plan(name="Helhedsplan Eftermiddag").agenda_items.add(
        factories.item(
            factories.meeting(committee, day=later.date(), hour=later.hour),
            title="Eftermiddagens punkt",
        )
    )
    with at(start + timedelta(minutes=30)):
        assert "Eftermiddagens punkt" in upcoming_section(_get(reader, "/")[0])
    with at(later + timedelta(minutes=30)):
        assert "Eftermiddagens punkt" not in upcoming_section(_get(reader, "/")[0])
