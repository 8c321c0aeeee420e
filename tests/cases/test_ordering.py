"""Moving items up and down and grouping closed items last, without JavaScript."""

import pytest
from django.urls import reverse

from committees.models import Meeting, Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(client, secretary):
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    factories.member(secretary, meeting.committee, role=Membership.Role.SECRETARY)
    items = [
        factories.item(meeting, title="A"),
        factories.item(meeting, title="B (lukket)", is_closed=True),
        factories.item(meeting, title="C"),
        factories.item(meeting, title="D"),
    ]
    client.force_login(secretary)
    return meeting, items


def order(meeting):
    return list(meeting.agenda_items.order_by("number").values_list("number", "title"))


def test_move_up_and_down_swaps_numbers(client, agenda):
    meeting, items = agenda
    response = client.post(reverse("cases:item_move", args=[items[3].pk]), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith("#raekkefoelge")
    assert order(meeting) == [(1, "A"), (2, "B (lukket)"), (3, "D"), (4, "C")]
    client.post(reverse("cases:item_move", args=[items[0].pk]), {"direction": "down"})
    assert order(meeting) == [(1, "B (lukket)"), (2, "A"), (3, "D"), (4, "C")]


def test_moving_the_first_item_up_changes_nothing(client, agenda):
    meeting, items = agenda
    client.post(reverse("cases:item_move", args=[items[0].pk]), {"direction": "up"})
    assert order(meeting) == [(1, "A"), (2, "B (lukket)"), (3, "C"), (4, "D")]


def test_closed_items_can_be_grouped_last(client, agenda):
    meeting, _ = agenda
    response = client.post(reverse("meetings:meeting_group_closed_last", args=[meeting.pk]))
    assert response.status_code == 302
    assert order(meeting) == [(1, "A"), (2, "C"), (3, "D"), (4, "B (lukket)")]


def test_taking_an_item_off_closes_the_gap(client, agenda):
    meeting, items = agenda
    client.post(reverse("cases:item_unschedule", args=[items[1].pk]))
    assert order(meeting) == [(1, "A"), (2, "C"), (3, "D")]
    items[1].refresh_from_db()
    assert (items[1].meeting, items[1].number, items[1].status) == (None, None, "ready")


def test_the_meeting_page_has_move_buttons_in_agenda_order(client, agenda):
    meeting, items = agenda
    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    up = reverse("cases:item_move", args=[items[0].pk])
    assert content.count(f'action="{up}"') == 1  # the first item can only go down
    assert '<input type="hidden" name="direction" value="up">' in content
    assert "Sæt lukkede punkter sidst" in content
    assert "<script" not in content


def test_renumbering_history_has_no_temporary_numbers(client, agenda):
    meeting, items = agenda
    client.post(reverse("meetings:meeting_group_closed_last", args=[meeting.pk]))
    numbers = set(items[1].history.values_list("number", flat=True))
    assert numbers == {2, 4}


def test_a_secretary_outside_the_committee_cannot_move_a_closed_item(client, agenda):
    meeting, items = agenda
    outsider = factories.user("Udvalgssekretær", "anden-sekretaer", scoped=True)
    client.force_login(outsider)
    response = client.post(reverse("cases:item_move", args=[items[1].pk]), {"direction": "up"})
    assert response.status_code == 403
    assert order(meeting)[1] == (2, "B (lukket)")
