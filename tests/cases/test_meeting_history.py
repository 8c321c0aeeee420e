"""History tabs of a meeting and of a decision (core.history), and who may read them."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from committees.models import Meeting, MeetingAbsence, Membership
from committees.services import meeting_absences_set
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

with translation.override("da"):
    ABSENCE = str(MeetingAbsence._meta.verbose_name).capitalize()


@pytest.fixture
def held(db):
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu")
    # Held and decided: a meeting that has started (cases.services), with four Social
    # Democrats seated, so the votes below are within the party's seats.
    meeting = factories.meeting(biu, day=date(2021, 3, 11), status=Meeting.Status.HELD)
    for index in range(4):
        Membership.objects.create(
            person=factories.person(f"Medlem {index}", party="Socialdemokratiet (A)"),
            committee=biu,
            start_date=date(2018, 1, 1),
        )
    open_item = factories.item(meeting, title="Åbent punkt om beskæftigelse")
    closed = factories.item(meeting, title="Fortroligt grundkøb i Tingbjerg", is_closed=True)
    return {"committee": biu, "meeting": meeting, "open": open_item, "closed": closed}


def decide(client, item, text="Indstillingen blev godkendt med en tilføjelse."):
    return client.post(
        reverse("cases:decision_record", args=[item.pk]),
        {
            "outcome": "approved",
            "text": text,
            "version": "0",
            "votes-TOTAL_FORMS": "1",
            "votes-INITIAL_FORMS": "0",
            "votes-0-party": "Socialdemokratiet (A)",
            "votes-0-votes_for": "3",
            "votes-0-votes_against": "0",
            "votes-0-votes_abstained": "1",
        },
    )


def test_a_decisions_creation_lists_the_values_it_was_created_with(client, secretary, held):
    client.force_login(secretary)
    assert decide(client, held["open"]).status_code == 302
    page = client.get(reverse("cases:decision_history", args=[held["open"].pk]))
    assert page.status_code == 200
    history = page.context["history"]
    created = [e for e in history if e["what"] == "Beslutning" and e["kind"] == "Oprettet"]
    assert len(created) == 1
    values = {label: new for label, _old, new in created[0]["changes"]}
    assert values["Udfald"] == "Godkendt"
    assert values["Beslutning"] == "Indstillingen blev godkendt med en tilføjelse."
    assert created[0]["who"] == secretary.username
    content = page.content.decode()
    assert "Indstillingen blev godkendt med en tilføjelse." in content
    assert "Socialdemokratiet (A)" in content  # the votes' history too
    # And the case's history shows the values a decision was created with as well.
    case_page = client.get(reverse("cases:case_history", args=[held["open"].case.number]))
    assert "Indstillingen blev godkendt med en tilføjelse." in case_page.content.decode()


def test_the_item_page_links_the_decision_history_for_the_secretariat(
    client, secretary, politician, held
):
    client.force_login(secretary)
    decide(client, held["open"])
    url = reverse("cases:decision_history", args=[held["open"].pk])
    assert url in client.get(reverse("cases:item_detail", args=[held["open"].pk])).content.decode()
    client.force_login(politician)
    assert (
        url not in client.get(reverse("cases:item_detail", args=[held["open"].pk])).content.decode()
    )
    assert client.get(url).status_code == 403


def test_meeting_history_lists_the_meeting_its_items_placing_and_absences(client, secretary, held):
    meeting = held["meeting"]
    absent = factories.person("Ida Fraværende")
    meeting_absences_set(meeting=meeting, people=[absent])
    client.force_login(secretary)
    page = client.get(reverse("meetings:meeting_history", args=[meeting.pk]))
    assert page.status_code == 200
    whats = {entry["what"] for entry in page.context["history"]}
    assert {"Møde", "Dagsordenspunkt", ABSENCE} <= whats
    content = page.content.decode()
    assert "Ida Fraværende" in content
    # Items are named by their placing only: never a title, not even the secretariat's.
    assert "Fortroligt grundkøb" not in content
    assert "Åbent punkt om beskæftigelse" not in content


def test_meeting_history_is_the_secretariats_and_administrators_only(
    client, politician, caseworker, administrator, held
):
    url = reverse("meetings:meeting_history", args=[held["meeting"].pk])
    factories.member(politician, held["committee"])
    for user in (politician, caseworker):
        client.force_login(user)
        assert client.get(url).status_code == 403
    other = factories.secretary_of(
        factories.user(roles.SECRETARY, "sekretaer-kfu", scoped=True),
        factories.committee("KFU", slug="kfu"),
    )
    client.force_login(other)
    assert client.get(url).status_code == 403
    client.force_login(administrator)
    assert client.get(url).status_code == 200


def test_the_meeting_page_links_its_history_for_the_secretariat_only(
    client, secretary, politician, held
):
    url = reverse("meetings:meeting_history", args=[held["meeting"].pk])
    page = reverse("meetings:meeting_detail", args=[held["meeting"].pk])
    client.force_login(secretary)
    assert url in client.get(page).content.decode()
    client.force_login(politician)
    assert url not in client.get(page).content.decode()
