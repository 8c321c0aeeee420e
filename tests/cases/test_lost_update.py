"""No lost update on agenda items, decisions and meetings: two people edit at once.

Both open the form; the first saves; the second's save is refused (409) with who
changed what, and the form on that page holds what is saved now, so saving it as
it stands keeps the first person's change.
"""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import AgendaItem, Decision
from committees.models import Meeting
from core import roles
from tests import factories
from tests.formpage import submit_data

pytestmark = pytest.mark.django_db


def two_secretaries():
    first, second = Client(), Client()
    first.force_login(factories.user(roles.SECRETARY, "sekretaer1", first_name="Sara"))
    second.force_login(
        factories.user(roles.SECRETARY, "sekretaer2", first_name="Karl", last_name="Kollega")
    )
    return first, second


def test_agenda_item_second_save_is_refused_and_the_conflict_form_keeps_the_first():
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    item = factories.item(meeting, title="Budget 2010", summary="Kort resumé.")
    url = reverse("cases:item_edit", args=[item.pk])
    mine, colleague = two_secretaries()
    my_form = submit_data(mine.get(url).content.decode())
    their_form = submit_data(colleague.get(url).content.decode())
    assert my_form["version"] == their_form["version"] == "1"

    assert (
        colleague.post(url, {**their_form, "title": "Budget 2010 (revideret)"}).status_code == 302
    )

    response = mine.post(url, {**my_form, "summary": "Mit nye resumé."})
    content = response.content.decode()
    assert response.status_code == 409
    assert "En anden har ændret punktet, mens du redigerede" in content
    assert "Karl Kollega" in content
    assert "Budget 2010 (revideret)" in content and "Titel" in content
    assert "Mit nye resumé." in content  # what I tried, shown beside the saved value
    item.refresh_from_db()
    assert item.title == "Budget 2010 (revideret)" and item.summary == "Kort resumé."

    # The conflict page's form holds the saved values: saving it as it is reverts nothing.
    conflict_form = submit_data(content)
    assert conflict_form["version"] == "2"
    assert conflict_form["title"] == "Budget 2010 (revideret)"
    assert mine.post(url, conflict_form).status_code == 302
    item.refresh_from_db()
    assert item.title == "Budget 2010 (revideret)" and item.summary == "Kort resumé."
    assert item.version == 3


def test_moving_an_item_makes_an_edit_form_opened_before_it_conflict():
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    first, second = factories.item(meeting), factories.item(meeting)
    url = reverse("cases:item_edit", args=[second.pk])
    mine, colleague = two_secretaries()
    my_form = submit_data(mine.get(url).content.decode())
    colleague.post(reverse("cases:item_move", args=[second.pk]), {"direction": "up"})
    response = mine.post(url, {**my_form, "title": "Ny titel"})
    assert response.status_code == 409
    assert "Punktnummer" in response.content.decode()  # 2 → 1, shown as the other's change
    assert AgendaItem.objects.get(pk=second.pk).number == 1
    assert AgendaItem.objects.get(pk=first.pk).number == 2


def test_decision_second_save_is_refused_and_the_conflict_form_keeps_the_first():
    meeting = factories.meeting(status=Meeting.Status.HELD)
    item = factories.item(meeting, title="Budget 2010")
    url = reverse("cases:decision_record", args=[item.pk])
    mine, colleague = two_secretaries()
    my_form = submit_data(mine.get(url).content.decode())
    their_form = submit_data(colleague.get(url).content.decode())
    assert my_form["version"] == "0"  # no decision yet

    their = {**their_form, "outcome": "approved", "text": "Godkendt som indstillet."}
    assert colleague.post(url, their).status_code == 302

    response = mine.post(url, {**my_form, "outcome": "noted", "text": "Taget til efterretning."})
    content = response.content.decode()
    assert response.status_code == 409
    assert "En anden har ændret beslutningen, mens du redigerede" in content
    assert "Karl Kollega" in content and "Godkendt som indstillet." in content
    assert "Taget til efterretning." in content  # my attempt, beside it
    assert Decision.objects.get(item=item).text == "Godkendt som indstillet."

    conflict_form = submit_data(content)
    assert conflict_form["version"] == "1"
    assert conflict_form["text"] == "Godkendt som indstillet."
    assert mine.post(url, conflict_form).status_code == 302
    decision = Decision.objects.get(item=item)
    assert (decision.outcome, decision.text) == ("approved", "Godkendt som indstillet.")
    assert decision.version == 2


def test_meeting_second_save_is_refused_and_the_conflict_form_keeps_the_first():
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    mine, colleague = two_secretaries()
    my_form = submit_data(mine.get(url).content.decode())
    their_form = submit_data(colleague.get(url).content.decode())

    their = {**their_form, "location": "Rådhuset, udvalgsværelse 1"}
    assert colleague.post(url, their).status_code == 302

    response = mine.post(url, {**my_form, "start": "16:00"})
    content = response.content.decode()
    assert response.status_code == 409
    assert "En anden har ændret mødet, mens du redigerede" in content
    assert "Karl Kollega" in content and "Rådhuset, udvalgsværelse 1" in content
    assert "16:00" in content  # my attempted start time, beside the saved one
    meeting.refresh_from_db()
    assert meeting.location == "Rådhuset, udvalgsværelse 1"
    assert meeting.starts_at.hour == 13  # 15:00 in Copenhagen (summer time), unchanged

    conflict_form = submit_data(content)
    assert conflict_form["location"] == "Rådhuset, udvalgsværelse 1"
    assert mine.post(url, conflict_form).status_code == 302
    meeting.refresh_from_db()
    assert meeting.location == "Rådhuset, udvalgsværelse 1" and meeting.version == 3


def test_publishing_makes_a_meeting_form_opened_before_it_conflict():
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    factories.item(meeting)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    mine, colleague = two_secretaries()
    my_form = submit_data(mine.get(url).content.decode())
    assert colleague.post(reverse("meetings:meeting_publish", args=[meeting.pk])).status_code == 302
    response = mine.post(url, {**my_form, "location": "Et andet sted"})
    assert response.status_code == 409
    assert "Dagsorden offentliggjort" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).location == "Rådhuset"
