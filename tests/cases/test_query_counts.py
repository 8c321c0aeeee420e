"""Agenda, meeting, case and history pages run a fixed number of queries,
however many items, points, attachments, votes and corrections there are."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases import pdf
from cases.models import AgendaItem, Correction, DecisionVote, MemberInquiry
from cases.services import meeting_publish
from committees.models import Meeting, MeetingAbsence, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def grow(meeting, case, count, secretary):
    """Add ``count`` fully furnished items (closed ones too) to the meeting and the case."""
    for index in range(count):
        item = factories.item(
            meeting,
            case_obj=case,
            is_closed=index % 2 == 1,
            points=("at a", "at b", "at c"),
        )
        factories.attachment(item)
        factories.attachment(item, is_closed=True)
        decision = factories.decision(item)
        DecisionVote.objects.create(decision=decision, party=f"Parti {index}", votes_for=3)
        Correction.objects.create(
            item=item,
            decision=decision,
            field="text",
            old_value="a",
            new_value="b",
            reason="Stavefejl",
            corrected_by=secretary,
        )
        factories.plan().agenda_items.add(item)
        MeetingAbsence.objects.create(meeting=meeting, person=factories.person())
        MemberInquiry.objects.create(
            meeting=meeting, member=factories.person(), text="?", case=factories.case()
        )


@pytest.fixture
def furnished(secretary):
    committee = factories.committee("BIU")
    factories.member(secretary, committee, role=Membership.Role.SECRETARY)
    meeting = factories.meeting(committee, status=Meeting.Status.DRAFT)
    case = factories.case("2009-68440")
    grow(meeting, case, 2, secretary)
    meeting_publish(meeting=meeting, user=secretary)
    return committee, meeting, case


def assert_fixed(client, url, grow_more, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as small:
        assert client.get(url).status_code == 200
    grow_more()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role_fixture", ["secretary", "politician", "administrator"])
def test_meeting_page_query_count_is_fixed(
    request, client, furnished, secretary, role_fixture, django_assert_max_num_queries
):
    _, meeting, case = furnished
    client.force_login(request.getfixturevalue(role_fixture))
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert_fixed(
        client,
        url,
        lambda: grow(meeting, case, 8, secretary),
        django_assert_max_num_queries,
        limit=22,
    )
    # The page then shows the pending changes, computed from the loaded items.
    assert "Punkt 10 tilføjet" in client.get(url).content.decode()


@pytest.mark.parametrize("role_fixture", ["secretary", "politician"])
def test_case_page_query_count_is_fixed(
    request, client, furnished, secretary, role_fixture, django_assert_max_num_queries
):
    committee, meeting, case = furnished
    client.force_login(request.getfixturevalue(role_fixture))

    def more():
        for offset in range(4):
            other = factories.meeting(
                committee, day=date(2010, 1, 1) + timedelta(days=offset), status="published"
            )
            grow(other, case, 2, secretary)

    assert_fixed(
        client,
        reverse("cases:case_detail", args=[case.number]),
        more,
        django_assert_max_num_queries,
        limit=20,
    )


def test_case_history_query_count_is_fixed(
    client, furnished, secretary, politician, django_assert_max_num_queries
):
    _, meeting, case = furnished
    client.force_login(politician)
    assert_fixed(
        client,
        reverse("cases:case_history", args=[case.number]),
        lambda: grow(meeting, case, 6, secretary),
        django_assert_max_num_queries,
        limit=15,
    )


def test_item_page_query_count_is_fixed(
    client, furnished, secretary, django_assert_max_num_queries
):
    _, meeting, case = furnished
    item = AgendaItem.objects.filter(meeting=meeting).first()
    client.force_login(secretary)

    def more():
        for _ in range(5):
            factories.attachment(item)
            factories.plan().agenda_items.add(item)

    assert_fixed(
        client,
        reverse("cases:item_detail", args=[item.pk]),
        more,
        django_assert_max_num_queries,
        limit=20,
    )


def test_lists_query_count_is_fixed(client, secretary, django_assert_max_num_queries):
    client.force_login(secretary)

    def more():
        for index in range(6):
            factories.meeting(day=date(2011, 1, 1) + timedelta(days=index))
            factories.item(None, status=AgendaItem.Status.READY)

    factories.item(None, status=AgendaItem.Status.READY)
    factories.meeting()
    for name in ("meetings:meeting_list", "cases:ready_items"):
        with django_assert_max_num_queries(15) as small:
            client.get(reverse(name))
        more()
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse(name))


def test_minutes_html_query_count_is_fixed(furnished, secretary, django_assert_max_num_queries):
    """The minutes print every item's corrections with who made them: one query for all
    of them, however many items carry corrections."""
    _, meeting, case = furnished
    with django_assert_max_num_queries(40) as small:
        html = pdf.meeting_minutes_html(meeting=meeting, edition=pdf.Edition.MEMBERS)
    assert html.count("Stavefejl") == 2
    grow(meeting, case, 6, secretary)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = pdf.meeting_minutes_html(meeting=meeting, edition=pdf.Edition.MEMBERS)
    assert html.count("Stavefejl") == 8
