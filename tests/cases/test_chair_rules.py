"""Rules a chair would insist on (issue 18, point 5), each enforced by the server and each
asked by the page that offers the action:

- no "held", no decision and no approval of the minutes before the meeting starts;
- a party's votes never exceed its seats on the meeting's day minus its recorded absences;
- the minutes PDF prints every registered correction with its date and reason;
- the member inquiry form only where an inquiry can be registered.
"""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from pypdf import PdfReader

from cases import pdf, services
from cases.models import Decision, MemberInquiry
from committees.models import Meeting, MeetingAbsence, Membership, Person
from tests import factories

pytestmark = pytest.mark.django_db

SOC = "Socialdemokratiet (A)"


def danish(msgid: str, **values) -> str:
    with translation.override("da"):
        return gettext(msgid) % values if values else gettext(msgid)


def not_started_message(meeting: Meeting) -> str:
    with translation.override("da"):
        when = formats.date_format(timezone.localtime(meeting.starts_at), r"j. F Y \k\l. H.i")
        return gettext(
            "The meeting has not started yet: it starts on %(when)s. Until then it cannot "
            "be marked as held, and no decision or approval of the minutes is recorded."
        ) % {"when": when}


def seats_message(party, seats, absent, allowed, cast) -> str:
    with translation.override("da"):
        return ngettext(
            "%(party)s has %(seats)s seat, %(absent)s absent: at most %(allowed)s votes, "
            "not %(cast)s.",
            "%(party)s has %(seats)s seats, %(absent)s absent: at most %(allowed)s votes, "
            "not %(cast)s.",
            seats,
        ) % {"party": party, "seats": seats, "absent": absent, "allowed": allowed, "cast": cast}


def text_of(response) -> str:
    """The page's text as a reader sees it (entities decoded, whitespace collapsed)."""
    import html

    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def in_a_week() -> date:
    return timezone.localdate() + timedelta(days=7)


@pytest.fixture
def committee(secretary):
    return factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")


# -- 1. nothing "after the meeting" before it starts -------------------------------------------


def test_a_meeting_is_not_marked_held_before_it_starts(client, secretary, committee):
    coming = factories.meeting(committee, day=in_a_week())
    factories.item(coming)
    client.force_login(secretary)
    page = client.get(reverse("meetings:meeting_detail", args=[coming.pk]))
    assert reverse("meetings:meeting_mark_held", args=[coming.pk]) not in page.content.decode()

    response = client.post(reverse("meetings:meeting_mark_held", args=[coming.pk]), follow=True)
    assert response.status_code == 200
    assert not_started_message(coming) in text_of(response)
    coming.refresh_from_db()
    assert coming.status == Meeting.Status.PUBLISHED
    with pytest.raises(ValidationError) as refused:
        services.meeting_mark_held(meeting=coming)
    assert refused.value.error_list[0].code == "not_started"


def test_a_started_meeting_is_marked_held(client, secretary, committee):
    past = factories.meeting(committee, day=date(2009, 5, 28))
    factories.item(past)
    client.force_login(secretary)
    page = client.get(reverse("meetings:meeting_detail", args=[past.pk]))
    assert reverse("meetings:meeting_mark_held", args=[past.pk]) in page.content.decode()
    client.post(reverse("meetings:meeting_mark_held", args=[past.pk]))
    past.refresh_from_db()
    assert past.status == Meeting.Status.HELD


@pytest.fixture
def held_too_early(committee):
    """A meeting marked held before it started (as data from before this rule could be)."""
    meeting = factories.meeting(committee, day=in_a_week(), status=Meeting.Status.HELD)
    item = factories.item(meeting)
    return meeting, item


def test_no_decision_before_the_meeting_starts(client, secretary, held_too_early):
    meeting, item = held_too_early
    client.force_login(secretary)
    url = reverse("cases:decision_record", args=[item.pk])
    for content in (
        client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode(),
        client.get(reverse("cases:item_detail", args=[item.pk])).content.decode(),
    ):
        assert url not in content
    response = client.get(url, follow=True)
    assert not_started_message(meeting) in text_of(response)
    response = client.post(
        url,
        {"version": "0", "outcome": "noted", "text": "Drøftet.", "votes-TOTAL_FORMS": "0"}
        | {"votes-INITIAL_FORMS": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.decision_record(item=item, expected_version=0, outcome="noted", text="Drøftet.")
    assert refused.value.error_list[0].code == "not_started"


def test_no_approval_of_the_minutes_before_the_meeting_starts(client, secretary, held_too_early):
    meeting, item = held_too_early
    Decision.objects.create(item=item, outcome="noted", text="Drøftet.")
    client.force_login(secretary)
    approve = reverse("meetings:meeting_minutes_approve", args=[meeting.pk])
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert approve not in page.content.decode()
    response = client.post(approve, follow=True)
    assert response.status_code == 200
    assert not_started_message(meeting) in text_of(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes_approved_at is None


# -- 2. votes within the party's seats --------------------------------------------------------


@pytest.fixture
def voting(client, secretary, committee):
    """BIU on 28 May 2009: three Social Democrats seated that day (one of them the chair),
    a fourth whose seat ended before, a Social Democratic substitute, one Venstre member."""
    seated = date(2006, 1, 1)
    for name, role in (
        ("Anna", Membership.Role.CHAIR),
        ("Bent", Membership.Role.MEMBER),
        ("Carla", Membership.Role.VICE_CHAIR),
    ):
        Membership.objects.create(
            person=factories.person(name, party=SOC),
            committee=committee,
            role=role,
            start_date=seated,
        )
    Membership.objects.create(
        person=factories.person("Dorte", party=SOC),
        committee=committee,
        start_date=seated,
        end_date=date(2009, 5, 27),
    )
    Membership.objects.create(
        person=factories.person("Erik", party=SOC),
        committee=committee,
        role=Membership.Role.SUBSTITUTE,
        start_date=seated,
    )
    venstre = factories.person("Frida", party="Venstre (V)")
    Membership.objects.create(person=venstre, committee=committee, start_date=seated)
    meeting = factories.meeting(committee, day=date(2009, 5, 28), status=Meeting.Status.HELD)
    item = factories.item(meeting)
    client.force_login(secretary)
    return meeting, item


def decide(client, item, votes, text="Indstillingen blev godkendt."):
    data = {
        "version": "0",
        "outcome": "approved",
        "text": text,
        "votes-TOTAL_FORMS": str(len(votes)),
        "votes-INITIAL_FORMS": "0",
    }
    for index, (party, for_, against, abstained) in enumerate(votes):
        data |= {
            f"votes-{index}-party": party,
            f"votes-{index}-votes_for": for_,
            f"votes-{index}-votes_against": against,
            f"votes-{index}-votes_abstained": abstained,
        }
    return client.post(reverse("cases:decision_record", args=[item.pk]), data)


def test_more_votes_than_seats_are_refused_naming_the_party_and_both_numbers(client, voting):
    _, item = voting
    response = decide(client, item, [(SOC, "9", "0", "0")], text="Min beslutningstekst")
    assert response.status_code == 200
    content = text_of(response)
    assert seats_message(SOC, 3, 0, 3, 9) in content
    assert "Min beslutningstekst" in content  # what the user typed is kept
    assert 'name="votes-0-votes_for" value="9"' in response.content.decode()
    assert not Decision.objects.exists()


def test_the_decision_form_says_how_many_votes_each_party_has(client, voting):
    meeting, item = voting
    MeetingAbsence.objects.create(meeting=meeting, person=Person.objects.get(name="Bent"))
    content = text_of(client.get(reverse("cases:decision_record", args=[item.pk])))
    with translation.override("da"):
        for party, seats, absent in ((SOC, 3, 1), ("Venstre (V)", 1, 0)):
            values = {"party": party, "seats": seats, "absent": absent, "allowed": seats - absent}
            line = ngettext(
                "%(party)s: %(seats)s seat, %(absent)s absent, at most %(allowed)s votes",
                "%(party)s: %(seats)s seats, %(absent)s absent, at most %(allowed)s votes",
                seats,
            )
            assert line % values in content


def test_votes_up_to_the_seats_are_recorded(client, voting):
    _, item = voting
    response = decide(client, item, [(SOC, "2", "0", "1"), ("Venstre (V)", "", "1", "")])
    assert response.status_code == 302
    assert sorted(Decision.objects.get().votes.values_list("party", "votes_for")) == [
        (SOC, 2),
        ("Venstre (V)", 0),
    ]


def test_recorded_absences_lower_the_limit(client, voting):
    meeting, item = voting
    MeetingAbsence.objects.create(meeting=meeting, person=Person.objects.get(name="Bent"))
    response = decide(client, item, [(SOC, "3", "0", "0")])
    assert response.status_code == 200
    assert seats_message(SOC, 3, 1, 2, 3) in text_of(response)
    assert decide(client, item, [(SOC, "1", "1", "0")]).status_code == 302


def test_a_party_without_a_seat_casts_no_votes(client, voting):
    _, item = voting
    response = decide(client, item, [("Enhedslisten (Ø)", "1", "0", "0")])
    assert response.status_code == 200
    assert seats_message("Enhedslisten (Ø)", 0, 0, 0, 1) in text_of(response)
    assert not Decision.objects.exists()


def test_every_party_over_its_limit_is_named_and_the_party_is_matched_loosely(client, voting):
    _, item = voting
    response = decide(
        client, item, [(" socialdemokratiet (a) ", "3", "0", "0"), ("Venstre (V)", "1", "1", "0")]
    )
    content = text_of(response)
    assert seats_message("Venstre (V)", 1, 0, 1, 2) in content
    assert "socialdemokratiet (a) har" not in content  # within its seats, however written


# -- 3. corrections in the minutes PDF ------------------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_the_minutes_pdf_prints_every_correction_with_date_and_reason(secretary, committee):
    meeting = factories.meeting(committee, day=date(2009, 5, 28), status=Meeting.Status.HELD)
    item = factories.item(meeting, title="Styring af de politiske processer")
    closed = factories.item(meeting, title="Grundkøb", is_closed=True)
    for each in (item, closed):
        Decision.objects.create(item=each, outcome="noted", text="Udvalget drøftede sagen.")
    services.agenda_item_correct(
        item=item,
        field="title",
        new_value="Styring af de politiske processer om helhedsplaner",
        reason="Titlen var forkortet ved en fejl.",
        user=secretary,
    )
    services.meeting_minutes_approve(meeting=meeting)
    decision = Decision.objects.get(item=item)
    services.decision_correct(
        decision=decision,
        field="text",
        new_value="Udvalget drøftede sagen og bad om en status.",
        reason="Protokollen udelod udvalgets ønske om status.",
        user=secretary,
    )
    services.decision_correct(
        decision=Decision.objects.get(item=closed),
        field="text",
        new_value="Fortrolig rettet tekst.",
        reason="Hemmelig grund.",
        user=secretary,
    )
    meeting.refresh_from_db()
    text = pdf_text(pdf.meeting_minutes_pdf(meeting=meeting, edition=pdf.Edition.PUBLIC))
    with translation.override("da"):
        heading = gettext("Corrections")
    with translation.override("da"):
        today = formats.date_format(timezone.localtime(), "j. F Y")
    assert heading in text
    assert "Titlen var forkortet ved en fejl." in text
    assert "Protokollen udelod udvalgets ønske om status." in text
    assert "Udvalget drøftede sagen og bad om en status." in text
    assert "Styring af de politiske processer" in text  # the old title, printed as before
    assert text.count(today) >= 2  # each correction's date
    assert "sekretaer" in text  # by whom
    # A closed item's correction is content: only in the members' edition.
    assert "Hemmelig grund." not in text
    members = pdf_text(pdf.meeting_minutes_pdf(meeting=meeting, edition=pdf.Edition.MEMBERS))
    assert "Hemmelig grund." in members


# -- 4. the inquiry form only where it can be used ---------------------------------------------


@pytest.fixture
def inquiry_meetings(committee):
    member = factories.person("Pernille Politiker", party=SOC)
    Membership.objects.create(person=member, committee=committee, start_date=date(2006, 1, 1))
    approved = {Meeting.Status.MINUTES_APPROVED: {"minutes_approved_at": timezone.now()}}
    return {
        status: factories.meeting(
            committee, day=date(2009, 5, 28), hour=hour, status=status, **approved.get(status, {})
        )
        for hour, status in enumerate(Meeting.Status.values, start=9)
    }


def test_the_inquiry_form_is_offered_only_where_an_inquiry_is_registered(
    client, secretary, inquiry_meetings
):
    client.force_login(secretary)
    for status, meeting in inquiry_meetings.items():
        link = reverse("meetings:inquiry_create", args=[meeting.pk])
        page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        usable = status in (Meeting.Status.PUBLISHED, Meeting.Status.HELD)
        assert (link in page.content.decode()) == usable, status
        form = client.get(link)
        if usable:
            assert form.status_code == 200
            assert "Pernille Politiker" in form.content.decode()
        else:
            assert form.status_code == 302, status
            assert form["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])


def test_the_inquiry_form_on_a_draft_meeting_says_why(client, secretary, inquiry_meetings):
    draft = inquiry_meetings[Meeting.Status.DRAFT]
    client.force_login(secretary)
    url = reverse("meetings:inquiry_create", args=[draft.pk])
    response = client.get(url, follow=True)
    expected = danish("Inquiries are registered at a meeting with a published agenda.")
    assert expected in text_of(response)
    response = client.post(
        url,
        {"member": "", "text": "Spørgsmål", "title": "Sag", "administration": ""},
        follow=True,
    )
    assert expected in text_of(response)
    assert not MemberInquiry.objects.exists()


def test_the_meeting_page_offers_the_members_edition_only_when_it_holds_closed_content(
    client_for, secretary
):
    """Issue 18, point 5: "Medlemsudgave … med lukkede punkter" only where there are any."""
    meeting = factories.meeting(status=Meeting.Status.PUBLISHED)
    item = factories.item(meeting)
    client = client_for(secretary)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    members = reverse("pdf:meeting_agenda", args=[meeting.pk]) + "?udgave=medlem"
    assert members not in client.get(url).content.decode()

    attachment = factories.attachment(item, title="Fortroligt bilag", is_closed=True)
    assert members in client.get(url).content.decode()

    attachment.is_closed = False
    attachment.save()
    assert members not in client.get(url).content.decode()
    factories.item(meeting, is_closed=True)
    assert members in client.get(url).content.decode()
