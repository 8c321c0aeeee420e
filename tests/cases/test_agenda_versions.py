"""Publishing an agenda leaves a version; later changes are never silent."""

import pytest
from django.urls import reverse

from cases.models import AgendaItem, AgendaVersion
from cases.versions import agenda_changes
from committees.models import Meeting, Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(client, secretary):
    committee = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")
    factories.member(secretary, committee, role=Membership.Role.SECRETARY)
    meeting = factories.meeting(committee, status=Meeting.Status.DRAFT)
    items = [factories.item(meeting, title=f"Punkt nummer {n}") for n in (1, 2, 3)]
    client.force_login(secretary)
    return meeting, items


def publish(client, meeting):
    return client.post(reverse("meetings:meeting_publish", args=[meeting.pk]), follow=True)


def page(client, meeting) -> str:
    return client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()


def test_publishing_records_version_1_and_publishes_the_meeting(client, agenda):
    meeting, items = agenda
    response = publish(client, meeting)
    assert "Dagsordenen er offentliggjort." in response.content.decode()
    version = AgendaVersion.objects.get(meeting=meeting)
    assert version.number == 1 and version.kind == "original"
    assert [i["title"] for i in version.snapshot["items"]] == [
        "Punkt nummer 1",
        "Punkt nummer 2",
        "Punkt nummer 3",
    ]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED


def test_publishing_again_without_changes_is_refused(client, agenda):
    meeting, _ = agenda
    publish(client, meeting)
    response = publish(client, meeting)
    assert "Intet er ændret, siden version 1 blev offentliggjort." in response.content.decode()
    assert AgendaVersion.objects.filter(meeting=meeting).count() == 1


def test_an_added_item_shows_as_pending_then_as_a_supplementary_agenda(
    client, agenda, secretary, politician
):
    meeting, items = agenda
    publish(client, meeting)
    ready = factories.item(None, title="Nyt punkt", status=AgendaItem.Status.READY)
    client.post(
        reverse("cases:item_schedule", args=[ready.pk]), {f"punkt{ready.pk}-meeting": meeting.pk}
    )
    ready.refresh_from_db()
    assert ready.number == 4
    # Everybody who reads the agenda sees that it changed after publishing.
    client.force_login(politician)
    content = page(client, meeting)
    assert "Ændret siden seneste offentliggjorte version" in content
    assert "Punkt 4 tilføjet" in content
    assert "Offentliggør ændringerne" not in content  # the politician may not publish
    client.force_login(secretary)
    publish(client, meeting)
    version = AgendaVersion.objects.get(meeting=meeting, number=2)
    assert version.kind == AgendaVersion.Kind.SUPPLEMENTARY
    content = page(client, meeting)
    assert "Tillægsdagsorden" in content
    assert "Punkt 4 tilføjet" in content
    assert "Ændret siden seneste offentliggjorte version" not in content


def test_an_edited_title_makes_a_new_version_that_says_what_changed(client, agenda):
    meeting, items = agenda
    publish(client, meeting)
    data = factories.item_form_data(
        title="Punkt nummer 3 (ny titel)",
        recommending_administration=str(items[2].recommending_administration_id),
        points=["at udvalget drøfter sagen."],
        version=str(AgendaItem.objects.get(pk=items[2].pk).version),  # the form as loaded now
    )
    data.pop("case_number")
    response = client.post(reverse("cases:item_edit", args=[items[2].pk]), data)
    assert response.status_code == 302
    assert "Punkt 3 ændret: titel" in page(client, meeting)
    publish(client, meeting)
    version = AgendaVersion.objects.get(meeting=meeting, number=2)
    assert version.kind == AgendaVersion.Kind.NEW_VERSION
    assert version.change_lines() == ["Punkt 3 ændret: titel"]
    assert "Ny version" in page(client, meeting)


def test_moving_and_removing_items_are_listed_in_the_new_version(client, agenda):
    meeting, items = agenda
    publish(client, meeting)
    client.post(reverse("cases:item_move", args=[items[2].pk]), {"direction": "up"})
    client.post(reverse("cases:item_unschedule", args=[items[0].pk]))
    publish(client, meeting)
    lines = AgendaVersion.objects.get(meeting=meeting, number=2).change_lines()
    assert "Punkt 1 fjernet" in lines
    assert "Punkt 3 flyttet til punkt 1" in lines
    content = page(client, meeting)
    assert "Punkt 3 flyttet til punkt 1" in content


def test_changed_meeting_place_requires_a_new_version(client, agenda):
    meeting, _ = agenda
    publish(client, meeting)
    meeting.refresh_from_db()  # publishing raised the version; the form is loaded after it
    client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "day": "2009-05-28",
            "start": "15:00",
            "location": "Rådhuset, festsalen",
            "version": meeting.version,
        },
    )
    assert "Mødested ændret" in page(client, meeting)


def test_meeting_cannot_be_marked_held_with_unpublished_changes(client, agenda):
    meeting, items = agenda
    publish(client, meeting)
    client.post(reverse("cases:item_move", args=[items[1].pk]), {"direction": "down"})
    response = client.post(reverse("meetings:meeting_mark_held", args=[meeting.pk]), follow=True)
    assert "Offentliggør den nye version, før mødet markeres som afholdt." in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED


def test_changes_compare_items_by_identity_not_by_position():
    def snap(*items):
        return {
            "meeting": {"starts_at": "x", "location": "y"},
            "items": [{"id": pk, "number": n, "title": t} for pk, n, t in items],
        }

    before = snap((10, 1, "A"), (11, 2, "B"), (12, 3, "C"), (13, 4, "D"))
    # D moved to the top; the others only followed.
    after = snap((13, 1, "D"), (10, 2, "A"), (11, 3, "B"), (12, 4, "C"))
    assert agenda_changes(before, after) == [
        {"kind": "moved", "from": 4, "to": 1},
        {"kind": "renumbered"},
    ]
    assert agenda_changes(before, before) == []
