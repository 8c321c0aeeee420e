"""Building the seed meeting (BIU, 28 May 2009) with item 18 exactly as in the seed,
through the web pages a committee secretary uses."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases.models import AgendaItem, AgendaVersion, Attachment, Case
from committees.models import Meeting, Membership
from demo import seed
from tests import factories

pytestmark = pytest.mark.django_db

ATTACHMENT_NAME = "Bilag 1 – Nye procesmuligheder (2009-300035).pdf"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def biu(secretary):
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    committee = factories.committee(
        "BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu", administration=bif
    )
    factories.member(secretary, committee, role=Membership.Role.SECRETARY)
    return committee, bif


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def build_seed_meeting(client, secretary, committee, bif) -> tuple[Meeting, AgendaItem]:
    client.force_login(secretary)
    response = client.post(
        reverse("meetings:meeting_create"),
        {
            "committee": committee.pk,
            "day": "2009-05-28",
            "start": "15:00",
            "location": "Københavns Rådhus, udvalgsværelset",
        },
    )
    meeting = Meeting.objects.get(committee=committee)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    for number in range(1, 18):
        response = client.post(
            reverse("cases:item_create"),
            factories.item_form_data(
                title=f"Punkt {number}",
                item_type="orientation",
                recommending_administration=str(bif.pk),
                meeting=str(meeting.pk),
                points=["at udvalget tager orienteringen til efterretning."],
            ),
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        reverse("cases:item_create"),
        factories.item_form_data(
            case_number=seed.SEED_CASE_NUMBER,
            meeting=str(meeting.pk),
            item_type="discussion",
            title=seed.SEED_TITLE,
            summary=seed.SEED_SUMMARY,
            recommending_administration=str(bif.pk),
            problem=seed.SEED_PROBLEM,
            solution=seed.SEED_SOLUTION,
            economy=seed.SEED_ECONOMY,
            further_process=seed.SEED_FURTHER_PROCESS,
            points=seed.SEED_RECOMMENDATION_POINTS,
        ),
    )
    item = AgendaItem.objects.get(case__number=seed.SEED_CASE_NUMBER)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:item_detail", args=[item.pk])
    response = client.post(
        reverse("cases:attachment_create", args=[item.pk]),
        {
            "title": seed.SEED_ATTACHMENT_TITLE,
            "case_number": seed.SEED_ATTACHMENT_CASE_NUMBER,
            "file": factories.pdf_upload(ATTACHMENT_NAME, PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return meeting, item


def test_secretary_builds_item_18_exactly_as_in_the_seed(client, secretary, biu):
    committee, bif = biu
    meeting, item = build_seed_meeting(client, secretary, committee, bif)

    item.refresh_from_db()
    assert item.number == 18
    assert item.meeting == meeting
    assert item.status == AgendaItem.Status.SCHEDULED
    assert item.item_type == AgendaItem.ItemType.DISCUSSION
    assert item.recommending_administration == bif
    assert (item.title, item.summary) == (seed.SEED_TITLE, seed.SEED_SUMMARY)
    assert (item.problem, item.solution) == (seed.SEED_PROBLEM, seed.SEED_SOLUTION)
    assert (item.economy, item.further_process) == (seed.SEED_ECONOMY, seed.SEED_FURTHER_PROCESS)
    assert [(p.position, p.text) for p in item.recommendation_points.all()] == [
        (1, "at Beskæftigelses- og Integrationsudvalget drøfter sagen.")
    ]
    # The seed's own case number, registered as a historical case.
    case = Case.objects.get(number="2009-68440")
    assert case.title == seed.SEED_TITLE and case.administration == bif
    attachment = Attachment.objects.get(item=item)
    assert (attachment.position, attachment.case_number) == (1, "2009-300035")
    assert attachment.original_filename == ATTACHMENT_NAME
    assert attachment.file.read() == PDF

    # Published: the meeting page shows version 1 and the item in the seed's structure.
    response = client.post(reverse("meetings:meeting_publish", args=[meeting.pk]))
    assert response.status_code == 302
    version = AgendaVersion.objects.get(meeting=meeting)
    assert (version.number, version.kind) == (1, AgendaVersion.Kind.ORIGINAL)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED

    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Dagsorden offentliggjort" in content
    assert "Første offentliggørelse" in content
    expected_in_order = [
        f"18. {seed.SEED_TITLE}",
        "(2009-68440)",
        escape(seed.SEED_SUMMARY),
        "Indstilling og beslutning",
        "Beskæftigelses- og Integrationsforvaltningen indstiller,",
        "at Beskæftigelses- og Integrationsudvalget drøfter sagen.",
        "Problemstilling",
        *[escape(p) for p in paragraphs(seed.SEED_PROBLEM)],
        "Løsning",
        *[escape(p) for p in paragraphs(seed.SEED_SOLUTION)],
        "Økonomi",
        escape(seed.SEED_ECONOMY),
        "Videre proces",
        escape(seed.SEED_FURTHER_PROCESS),
        "Bilag",
        seed.SEED_ATTACHMENT_TITLE,
        "(2009-300035)",
    ]
    start = content.index(f'id="punkt-{item.pk}"')
    position = start
    for text in expected_in_order:
        text = text.replace("\n", "<br>")
        found = content.find(text, position)
        assert found != -1, f"missing or out of order: {text[:60]}"
        position = found + len(text)
    # The recommendation point is numbered 1 and the attachment is bilag 1.
    assert re.search(r'<li value="1">at Beskæftigelses- og Integrationsudvalget', content)
    download = reverse("cases:attachment_download", args=[attachment.pk])
    assert f'<li value="1">\n      <a href="{download}">' in content

    # The attachment comes back under its Danish name.
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert (
        "filename*=utf-8''Bilag%201%20%E2%80%93%20Nye%20procesmuligheder"
        in (response["Content-Disposition"])
    )


def test_seed_case_page_shows_item_18_for_a_politician(client, secretary, politician, biu):
    committee, bif = biu
    meeting, item = build_seed_meeting(client, secretary, committee, bif)
    client.post(reverse("meetings:meeting_publish", args=[meeting.pk]))
    client.force_login(politician)
    content = client.get(reverse("cases:case_detail", args=["2009-68440"])).content.decode()
    assert f"18. {seed.SEED_TITLE}" in content
    assert "28. maj 2009" in content
    assert "at Beskæftigelses- og Integrationsudvalget drøfter sagen." in content
    assert "2009-300035" in content
    assert meeting.starts_at.date() == date(2009, 5, 28)
