"""A member's inquiry at a meeting becomes a case; the case and the meeting link both ways."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AgendaItem, Case, MemberInquiry
from committees.models import Meeting, Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client, secretary):
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    committee = factories.committee(
        "BIU", name="Beskæftigelses- og Integrationsudvalget", administration=bif
    )
    member = factories.person("Pernille Politiker", party="Socialdemokratiet (A)")
    Membership.objects.create(person=member, committee=committee, start_date="2006-01-01")
    meeting = factories.meeting(committee, day=timezone.datetime(2009, 5, 14).date())
    client.force_login(secretary)
    return bif, committee, member, meeting


def test_registering_an_inquiry_creates_a_linked_case(client, setup, politician):
    bif, committee, member, meeting = setup
    form = client.get(reverse("meetings:inquiry_create", args=[meeting.pk])).content.decode()
    assert "Pernille Politiker" in form
    response = client.post(
        reverse("meetings:inquiry_create", args=[meeting.pk]),
        {
            "member": member.pk,
            "text": "Udvalget bør drøfte styringen af helhedsplanerne.",
            "title": "Styring af de politiske processer",
            "administration": bif.pk,
        },
    )
    inquiry = MemberInquiry.objects.get()
    case = inquiry.case
    assert response.status_code == 302
    assert case.title == "Styring af de politiske processer"
    assert case.administration == bif
    assert case.opened_on.isoformat() == "2009-05-14"

    # Later an item on the case answers the inquiry.
    later = factories.meeting(committee, day=timezone.datetime(2009, 5, 28).date())
    answer = factories.item(later, number=18, case_obj=case, title="Styring af processerne")

    client.force_login(politician)
    case_page = client.get(reverse("cases:case_detail", args=[case.number])).content.decode()
    assert (
        "Opstod ved medlemsforespørgsel fra Pernille Politiker (Socialdemokratiet (A))" in case_page
    )
    assert "mødet i Beskæftigelses- og Integrationsudvalget den 14. maj 2009" in case_page
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in case_page

    meeting_page = client.get(
        reverse("meetings:meeting_detail", args=[meeting.pk])
    ).content.decode()
    assert "Udvalget bør drøfte styringen af helhedsplanerne." in meeting_page
    assert reverse("cases:case_detail", args=[case.number]) in meeting_page
    assert "punkt 18 på mødet i Beskæftigelses- og Integrationsudvalget den 28. maj 2009" in (
        meeting_page
    )
    assert reverse("cases:item_detail", args=[answer.pk]) in meeting_page


def test_inquiry_form_errors_are_danish_and_keep_the_text(client, setup):
    _, _, _, meeting = setup
    response = client.post(
        reverse("meetings:inquiry_create", args=[meeting.pk]),
        {"member": "", "text": "Min forespørgsel", "title": "", "administration": ""},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_member"' in content and 'href="#id_title"' in content
    assert "Min forespørgsel" in content
    assert not Case.objects.exists()


def test_answering_items_on_unpublished_agendas_are_not_shown_to_politicians(
    client, setup, politician
):
    bif, committee, member, meeting = setup
    case = factories.case(admin=bif)
    MemberInquiry.objects.create(meeting=meeting, member=member, text="Spørgsmål", case=case)
    draft = factories.meeting(committee, status=Meeting.Status.DRAFT, hour=9)
    hidden = factories.item(draft, case_obj=case, status=AgendaItem.Status.SCHEDULED)
    client.force_login(politician)
    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("cases:item_detail", args=[hidden.pk]) not in content
