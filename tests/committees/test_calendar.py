from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
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


def test_committee_feed_masks_closed_items_and_shows_drafts_without_items(client, setup):
    response = client.get(reverse("calendar_committee", args=[setup["feed"].token, "tmu"]))
    found = events(response)
    assert len(found) == 2  # the scheduled (draft) meeting too, its date is not secret
    description = str(found[0]["description"])
    assert "Åbent punkt om byfornyelse" in description
    assert "Fortroligt grundkøb" not in description
    assert "Lukket punkt" in description
    assert str(found[1]["status"]) == "TENTATIVE"
    assert not_published() in str(found[1]["description"])


def not_published() -> str:
    with translation.override("da"):
        return gettext("Agenda not published")


def test_a_members_feed_lists_scheduled_meetings_before_the_agenda_is_published(
    client, setup, politician
):
    biu = setup["biu"]
    day = timezone.localdate() + timedelta(days=30)
    draft = factories.meeting(biu, day=day, hour=16, status=Meeting.Status.DRAFT)
    factories.item(draft, title="Udkast der ikke må ses")
    found = events(client.get(reverse("calendar_mine", args=[setup["feed"].token])))
    event = next(e for e in found if str(e["uid"]) == f"meeting-{draft.pk}@helhedsplaner")
    assert str(event["status"]) == "TENTATIVE"
    assert not_published() in str(event["summary"])
    assert str(event["description"]) == f"{biu.name} – {not_published()}"
    assert (
        "Udkast der ikke må ses"
        not in client.get(reverse("calendar_mine", args=[setup["feed"].token])).content.decode()
    )
    assert str(event["url"]) == "http://testserver" + reverse(
        "meetings:meeting_detail", args=[draft.pk]
    )
    assert str(event["location"]) == "Rådhuset"
    assert int(event["sequence"]) == draft.version
    assert event["last-modified"].dt == draft.updated_at.replace(microsecond=0)


def test_an_events_sequence_and_last_modified_rise_with_a_change(client, setup, secretary):
    from committees.services import meeting_update

    biu = setup["biu"]
    draft = factories.meeting(
        biu, day=timezone.localdate() + timedelta(days=30), status=Meeting.Status.DRAFT
    )
    url = reverse("calendar_mine", args=[setup["feed"].token])

    def event():
        return next(
            e
            for e in events(client.get(url))
            if str(e["uid"]) == f"meeting-{draft.pk}@helhedsplaner"
        )

    before = event()
    moved = meeting_update(
        meeting=draft,
        expected_version=draft.version,
        day=timezone.localdate() + timedelta(days=31),
        start=time(17),
        location="Tingbjerg Bibliotek",
    )
    after = event()
    assert int(after["sequence"]) == moved.version > int(before["sequence"])
    assert after["last-modified"].dt >= before["last-modified"].dt
    assert str(after["location"]) == "Tingbjerg Bibliotek"


def test_every_event_links_to_its_meeting_page(client, setup):
    found = events(client.get(reverse("calendar_committee", args=[setup["feed"].token, "tmu"])))
    for event in found:
        pk = str(event["uid"]).removeprefix("meeting-").removesuffix("@helhedsplaner")
        assert str(event["url"]).endswith(reverse("meetings:meeting_detail", args=[int(pk)]))


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
