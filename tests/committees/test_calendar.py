from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from committees.models import CalendarFeed, Meeting
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(politician):
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget", slug="tmu")
    factories.member(politician, biu)
    soon = timezone.localdate() + timedelta(days=10)
    biu_meeting = factories.meeting(biu, day=soon, status=Meeting.Status.PUBLISHED)
    factories.item(biu_meeting, title="Helhedsplan Tingbjerg – status")
    tmu_meeting = factories.meeting(tmu, day=soon + timedelta(days=1))
    factories.item(tmu_meeting, title="Åbent punkt om byfornyelse")
    factories.item(tmu_meeting, title="Fortroligt grundkøb", is_closed=True)
    factories.meeting(tmu, day=soon + timedelta(days=20), status=Meeting.Status.DRAFT)
    feed = CalendarFeed.objects.create(user=politician)
    return {"biu": biu, "tmu": tmu, "feed": feed}


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_my_committees_feed_works_without_a_session(client, setup):
    response = client.get(reverse("calendar_mine", args=[setup["feed"].token]))
    assert response.status_code == 200
    found = events(response)
    assert [str(e["summary"]) for e in found] == ["Møde: Beskæftigelses- og Integrationsudvalget"]
    assert "Helhedsplan Tingbjerg – status" in str(found[0]["description"])
    assert found[0]["dtstart"].dt.tzinfo is not None


def test_committee_feed_masks_closed_items_and_hides_drafts_for_non_members(client, setup):
    response = client.get(reverse("calendar_committee", args=[setup["feed"].token, "tmu"]))
    found = events(response)
    assert len(found) == 1  # the draft meeting is not in a reader's feed
    description = str(found[0]["description"])
    assert "Åbent punkt om byfornyelse" in description
    assert "Fortroligt grundkøb" not in description
    assert "Lukket punkt" in description


def test_members_see_closed_item_titles_in_their_feed(client, setup, politician):
    factories.member(politician, setup["tmu"], start=factories.date(2001, 1, 1))
    response = client.get(reverse("calendar_committee", args=[setup["feed"].token, "tmu"]))
    assert "Fortroligt grundkøb" in str(events(response)[0]["description"])


def test_wrong_token_is_404(client, setup):
    assert client.get(reverse("calendar_mine", args=["not-a-token"])).status_code == 404


def test_inactive_user_feed_stops(client, setup, politician):
    politician.is_active = False
    politician.save()
    assert client.get(reverse("calendar_mine", args=[setup["feed"].token])).status_code == 404


def test_renewing_the_token_invalidates_the_old_url(client, setup, politician):
    old = setup["feed"].token
    client.force_login(politician)
    response = client.post(reverse("calendar_renew"), follow=True)
    assert "Din kalenderadresse er fornyet" in response.content.decode()
    new = CalendarFeed.objects.get(user=politician).token
    assert new != old
    client.logout()
    assert client.get(reverse("calendar_mine", args=[old])).status_code == 404
    assert client.get(reverse("calendar_mine", args=[new])).status_code == 200


def test_settings_page_shows_the_personal_urls(client, politician):
    client.force_login(politician)
    content = client.get(reverse("calendar_settings")).content.decode()
    token = CalendarFeed.objects.get(user=politician).token
    assert f"/kalender/{token}/mine.ics" in content
    assert "Forny mine kalenderadresser" in content


def test_renew_requires_post(client, politician):
    client.force_login(politician)
    assert client.get(reverse("calendar_renew")).status_code == 405


def test_feed_query_count_is_fixed(client, setup, django_assert_max_num_queries):
    url = reverse("calendar_committee", args=[setup["feed"].token, "tmu"])
    with django_assert_max_num_queries(8) as small:
        client.get(url)
    for days in range(40, 46):
        meeting = factories.meeting(setup["tmu"], day=timezone.localdate() + timedelta(days=days))
        for _ in range(3):
            factories.item(meeting)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
