"""After the meeting: decisions, votes, absences, approving the minutes, the lock,
and corrections that are recorded rather than silent."""

import pytest
from django.urls import reverse

from cases.models import AgendaItem, Attachment, Correction, Decision, DecisionVote
from committees.models import Meeting, MeetingAbsence, Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(client, secretary):
    committee = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")
    factories.member(secretary, committee, role=Membership.Role.SECRETARY)
    chair = factories.person("Gitte Dahl", party="Dansk Folkeparti (O)")
    member = factories.person("Hans Nørgaard", party="Socialdemokratiet (A)")
    # Enough seats for the votes recorded below (a party casts at most its seats).
    others = [
        (factories.person(f"{party} {index}", party=party), Membership.Role.MEMBER)
        for party, count in (("Socialdemokratiet (A)", 4), ("Dansk Folkeparti (O)", 2))
        for index in range(count)
    ]
    for person, role in (
        (chair, Membership.Role.CHAIR),
        (member, Membership.Role.MEMBER),
        *others,
    ):
        Membership.objects.create(
            person=person, committee=committee, role=role, start_date="2006-01-01"
        )
    meeting = factories.meeting(committee, status=Meeting.Status.PUBLISHED)
    first = factories.item(meeting, title="Styring af de politiske processer")
    second = factories.item(meeting, title="Budget 2010")
    client.force_login(secretary)
    client.post(reverse("meetings:meeting_mark_held", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    return meeting, first, second, chair, member


def decide(client, item, outcome="noted", text="Udvalget drøftede sagen.", votes=()):
    # The version of the decision as a form loaded now would carry it (0: none yet).
    version = Decision.objects.filter(item=item).values_list("version", flat=True).first()
    data = {
        "version": version or 0,
        "outcome": outcome,
        "text": text,
        "votes-TOTAL_FORMS": str(len(votes)),
        "votes-INITIAL_FORMS": "0",
    }
    for index, (party, for_, against, abstained) in enumerate(votes):
        data.update(
            {
                f"votes-{index}-party": party,
                f"votes-{index}-votes_for": for_,
                f"votes-{index}-votes_against": against,
                f"votes-{index}-votes_abstained": abstained,
            }
        )
    return client.post(reverse("cases:decision_record", args=[item.pk]), data)


def approve(client, meeting):
    return client.post(reverse("meetings:meeting_minutes_approve", args=[meeting.pk]), follow=True)


def test_decision_form_offers_a_vote_row_per_party_of_the_members(client, held):
    meeting, first, *_ = held
    content = client.get(reverse("cases:decision_record", args=[first.pk])).content.decode()
    assert 'value="Dansk Folkeparti (O)"' in content
    assert 'value="Socialdemokratiet (A)"' in content
    assert "Godkendt med ændringer" in content


def test_decision_with_votes_per_party_is_shown_on_the_meeting_page(client, held):
    meeting, first, *_ = held
    response = decide(
        client,
        first,
        outcome="approved",
        text="Indstillingen blev godkendt.",
        votes=[("Socialdemokratiet (A)", "5", "0", "0"), ("Dansk Folkeparti (O)", "", "2", "1")],
    )
    assert response.status_code == 302
    decision = Decision.objects.get(item=first)
    assert decision.outcome == "approved"
    assert sorted(decision.votes.values_list("party", "votes_for", "votes_against")) == [
        ("Dansk Folkeparti (O)", 0, 2),
        ("Socialdemokratiet (A)", 5, 0),
    ]
    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Beskæftigelses- og Integrationsudvalgets beslutning den 28. maj 2009" in content
    assert "Indstillingen blev godkendt." in content
    assert "<caption>Afstemning</caption>" in content


def test_negative_votes_are_refused_with_the_form_kept(client, held):
    _, first, *_ = held
    response = decide(client, first, text="Min tekst", votes=[("Venstre (V)", "-1", "0", "0")])
    content = response.content.decode()
    assert response.status_code == 200
    assert "Formularen blev ikke gemt. Ret følgende:" in content
    assert "Min tekst" in content
    assert not Decision.objects.exists()


def test_decision_before_the_meeting_is_held_is_refused(client, secretary):
    meeting = factories.meeting(status=Meeting.Status.PUBLISHED)
    item = factories.item(meeting)
    client.force_login(secretary)
    response = client.get(reverse("cases:decision_record", args=[item.pk]), follow=True)
    assert "Beslutninger registreres, når mødet er afholdt." in response.content.decode()


def test_absences_are_recorded_for_the_minutes(client, held):
    meeting, _, _, chair, _ = held
    response = client.post(
        reverse("meetings:meeting_absences", args=[meeting.pk]), {"people": [chair.pk]}
    )
    assert response.status_code == 302
    assert list(MeetingAbsence.objects.values_list("person__name", flat=True)) == ["Gitte Dahl"]
    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Fraværende" in content and "Gitte Dahl (Dansk Folkeparti (O))" in content


def test_minutes_need_a_decision_on_every_item(client, held):
    meeting, first, second, *_ = held
    decide(client, first)
    response = approve(client, meeting)
    assert "Registrér først en beslutning på alle punkter. Mangler: punkt 2." in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


@pytest.fixture
def locked(client, held):
    meeting, first, second, *_ = held
    factories.attachment(first, title="Notat")
    decide(client, first)
    decide(client, second, outcome="approved", text="Godkendt.")
    response = approve(client, meeting)
    assert "Referatet er godkendt. Mødet er nu låst." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    assert meeting.minutes_approved_at is not None
    return meeting, first, second


LOCKED = "Referatet af dette møde er godkendt, så intet i det kan ændres."


def edit_requests(meeting, item):
    """Every page that could change the locked meeting, with POST data that would."""
    return [
        (reverse("cases:item_edit", args=[item.pk]), factories.item_form_data(title="Ændret")),
        (
            reverse("cases:attachment_create", args=[item.pk]),
            {"title": "Nyt bilag", "file": factories.pdf_upload()},
        ),
        (reverse("cases:item_move", args=[item.pk]), {"direction": "down"}),
        (reverse("cases:item_unschedule", args=[item.pk]), {}),
        (reverse("cases:decision_record", args=[item.pk]), {"outcome": "rejected", "text": "x"}),
        (reverse("agenda_item_plans", args=[item.pk]), {"plans": []}),
        (
            reverse("meetings:meeting_edit", args=[meeting.pk]),
            {"day": "2009-06-01", "start": "10:00", "location": "Andetsteds"},
        ),
        (reverse("meetings:meeting_publish", args=[meeting.pk]), {}),
        (reverse("meetings:meeting_mark_held", args=[meeting.pk]), {}),
        (reverse("meetings:meeting_minutes_approve", args=[meeting.pk]), {}),
        (reverse("meetings:meeting_group_closed_last", args=[meeting.pk]), {}),
        (reverse("meetings:meeting_absences", args=[meeting.pk]), {"people": []}),
        (
            reverse("meetings:inquiry_create", args=[meeting.pk]),
            {"member": "", "text": "x", "title": "x", "administration": ""},
        ),
    ]


def snapshot(meeting):
    items = AgendaItem.objects.filter(meeting=meeting).order_by("pk")
    return (
        list(items.values_list("pk", "number", "title", "meeting_id", "status")),
        list(Decision.objects.order_by("pk").values_list("outcome", "text")),
        Attachment.objects.count(),
        DecisionVote.objects.count(),
        MeetingAbsence.objects.count(),
        Meeting.objects.filter(pk=meeting.pk).values_list("starts_at", "location", "status").get(),
    )


def test_every_edit_is_refused_after_the_minutes_are_approved(client, locked):
    meeting, first, _ = locked
    before = snapshot(meeting)
    for url, data in edit_requests(meeting, first):
        for method in ("get", "post"):
            response = getattr(client, method)(url, data if method == "post" else None)
            if response.status_code == 405:  # POST-only actions
                continue
            assert response.status_code == 302, f"{method} {url}: {response.status_code}"
            followed = client.get(response["Location"])
            assert LOCKED in followed.content.decode(), f"{method} {url} gave no message"
    assert snapshot(meeting) == before


def test_locked_meeting_page_offers_no_edits_but_says_why(client, locked):
    meeting, first, _ = locked
    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Referatet er godkendt, og mødet er låst." in content
    for url in (
        reverse("cases:item_move", args=[first.pk]),
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        reverse("cases:decision_record", args=[first.pk]),
    ):
        assert url not in content
    item_page = client.get(reverse("cases:item_detail", args=[first.pk])).content.decode()
    assert reverse("cases:item_edit", args=[first.pk]) not in item_page
    assert reverse("cases:decision_correct", args=[first.pk]) in item_page


def test_correction_of_a_decision_is_recorded_and_shown_in_item_and_history(
    client, locked, secretary
):
    meeting, first, _ = locked
    url = reverse("cases:decision_correct", args=[first.pk])
    response = client.post(url, {"field": "text", "new_value": "Udvalget drøftede sagen."})
    assert response.status_code == 200
    assert "Formularen blev ikke gemt. Ret følgende:" in response.content.decode()
    assert 'href="#id_reason"' in response.content.decode()
    assert not Correction.objects.exists()

    response = client.post(
        url,
        {
            "field": "text",
            "new_value": "Udvalget drøftede sagen og bad om en ny indstilling.",
            "reason": "Protokollen udelod udvalgets anmodning.",
        },
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.old_value == "Udvalget drøftede sagen."
    assert correction.corrected_by == secretary
    first.decision.refresh_from_db()
    assert first.decision.text == "Udvalget drøftede sagen og bad om en ny indstilling."

    item_page = client.get(reverse("cases:item_detail", args=[first.pk])).content.decode()
    assert "Rettelser" in item_page
    assert "Protokollen udelod udvalgets anmodning." in item_page
    history = client.get(reverse("cases:case_history", args=[first.case.number])).content.decode()
    assert "Rettelse af punkt 1" in history
    assert "rettet med registreret begrundelse" in history
    assert "Protokollen udelod udvalgets anmodning." in history


def test_correction_of_the_outcome_uses_the_outcome_list(client, locked):
    _, first, _ = locked
    response = client.post(
        reverse("cases:decision_correct", args=[first.pk]),
        {"field": "outcome", "new_outcome": "approved", "reason": "Fejl i protokollen."},
    )
    assert response.status_code == 302
    first.decision.refresh_from_db()
    assert first.decision.outcome == "approved"
    item_page = client.get(reverse("cases:item_detail", args=[first.pk])).content.decode()
    assert "Taget til efterretning" in item_page and "Godkendt" in item_page


def test_correction_of_an_item_text_after_the_lock(client, locked):
    _, first, _ = locked
    response = client.post(
        reverse("cases:item_correct", args=[first.pk]),
        {
            "field": "title",
            "new_value": "Styring af de politiske processer (rettet)",
            "reason": "Stavefejl.",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "Styring af de politiske processer (rettet)"
    assert Correction.objects.get().field == "title"


def test_decision_can_be_changed_until_the_minutes_are_approved(client, held):
    _, first, *_ = held
    decide(client, first, text="Første udkast.")
    decide(client, first, text="Endelig tekst.")
    assert Decision.objects.get(item=first).text == "Endelig tekst."
    assert not Correction.objects.exists()
