"""Follow-up groups: what the members read before a meeting, and the meeting notes."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from committees.models import FollowUpGroup, FollowUpGroupMeeting, FollowUpGroupMembership
from helhedsplaner.models import CoFinancing
from tests import factories

pytestmark = pytest.mark.django_db

Status = CoFinancing.Status


@pytest.fixture
def group():
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    group = factories.follow_up_group(
        "Politisk følgegruppe", formed_by=tmu, mandate="Følger helhedsplanerne tæt."
    )
    for name, chair in (("Anne Andersen", True), ("Bo Bech", False)):
        FollowUpGroupMembership.objects.create(
            group=group, person=factories.person(name, party="Enhedslisten (Ø)"), is_chair=chair
        )
    FollowUpGroupMeeting.objects.create(group=group, date=date(2010, 9, 15), notes="Status.")
    plan = factories.plan(
        name="Helhedsplan Tingbjerg 2019",
        status="implementation",
        budget=Decimal("4000000"),
        lbf_grant=Decimal("3000000"),
    )
    plan.follow_up_groups.add(group)
    bif = factories.administration("BIF")
    factories.commitment(plan, bif, amount=Decimal("600000"), status=Status.PAID)
    factories.commitment(plan, bif, amount=Decimal("400000"), status=Status.GRANTED)
    factories.commitment(plan, bif, amount=Decimal("999000"), status=Status.PROPOSED)
    return group, plan, tmu


def page(client, group):
    return client.get(reverse("followup:group_detail", args=[group.pk]))


def test_group_page_shows_kind_members_plans_and_money(client_for, politician, group):
    group, plan, _ = group
    response = page(client_for(politician), group)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Uformel gruppe." in content
    assert "uden beslutningskompetence" in content
    assert "Nedsat af Teknik- og Miljøudvalget." in content
    assert "Anne Andersen (Enhedslisten (Ø)) – formand" in content
    assert "Bo Bech" in content
    assert "Helhedsplan Tingbjerg 2019" in content
    assert "Under gennemførelse" in content
    assert "1 mio. kr." in content  # granted incl. paid
    assert "600.000 kr." in content  # paid
    assert "999.000 kr." not in content  # proposed is not money at a glance
    assert '<span class="met">Opfyldt</span>' in content  # 1.000.000 of 4.000.000 = 25 %
    assert "15. september 2010" in content


def test_formal_group_says_it_is_a_section_17_committee(client_for, politician):
    br = factories.committee("PFU", name="Udvalget for områdebaserede indsatser")
    group = factories.follow_up_group(kind=FollowUpGroup.Kind.FORMAL, committee=br)
    content = page(client_for(politician), group).content.decode()
    assert "Formelt særligt udvalg (§ 17, stk. 4)" in content
    assert "nedsat af Borgerrepræsentationen efter styrelseslovens § 17, stk. 4" in content
    assert "Udvalget: Udvalget for områdebaserede indsatser." in content


def test_recent_decisions_apply_the_closed_rule(client_for, politician, group):
    group, plan, tmu = group
    open_item = factories.deciding_item(tmu, title="Status for Helhedsplan Tingbjerg 2019")
    closed = factories.deciding_item(
        tmu, title="Køb af erhvervslejemål", is_closed=True, day=date(2021, 3, 2)
    )
    later = factories.meeting(tmu, day=date(2022, 1, 1))
    undecided = factories.item(later, title="Uden beslutning")
    plan.agenda_items.add(open_item, closed, undecided)
    content = page(client_for(politician), group).content.decode()
    assert "Status for Helhedsplan Tingbjerg 2019" in content
    assert "Godkendt" in content
    assert "Lukket punkt" in content
    assert "Køb af erhvervslejemål" not in content
    assert "Uden beslutning" not in content
    factories.member(politician, tmu)
    politician = type(politician).objects.get(pk=politician.pk)
    assert "Køb af erhvervslejemål" in page(client_for(politician), group).content.decode()


def test_secretary_records_a_meeting_with_notes(client_for, secretary, group):
    group, *_ = group
    client = client_for(secretary)
    assert "Registrér et møde" in page(client, group).content.decode()
    url = reverse("followup:meeting_create", args=[group.pk])
    response = client.post(url, {"date": "2011-03-09", "notes": "Gennemgang af puljen."})
    assert response.status_code == 302
    meeting = group.meetings.get(date=date(2011, 3, 9))
    assert meeting.notes == "Gennemgang af puljen."
    assert meeting.history.latest("history_date").history_user == secretary
    content = page(client, group).content.decode()
    assert "9. marts 2011" in content
    assert "Gennemgang af puljen." in content
    assert "Oprettet: Følgegruppemøde" in content  # the history section


def test_meeting_on_the_same_day_is_refused_in_danish(client_for, secretary, group):
    group, *_ = group
    url = reverse("followup:meeting_create", args=[group.pk])
    response = client_for(secretary).post(url, {"date": "2010-09-15", "notes": "Mine noter"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Gruppen har allerede et møde den dag." in content
    assert 'href="#id_date"' in content
    assert "Mine noter" in content
    assert group.meetings.count() == 1


def test_politician_and_caseworker_cannot_record_meetings(
    client_for, politician, caseworker, group
):
    group, *_ = group
    url = reverse("followup:meeting_create", args=[group.pk])
    for user in (politician, caseworker):
        client = client_for(user)
        assert "Registrér et møde" not in page(client, group).content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url, {"date": "2012-01-01"}).status_code == 403
    assert group.meetings.count() == 1


def test_group_list(client_for, politician, group):
    content = client_for(politician).get(reverse("followup:group_list")).content.decode()
    assert "Politisk følgegruppe" in content
    assert "Uformel gruppe" in content
    assert "15. september 2010" in content


@pytest.mark.parametrize("extra", [0, 12])
def test_group_page_runs_a_fixed_number_of_queries(
    client_for, politician, group, django_assert_max_num_queries, extra
):
    group, _plan, tmu = group
    for index in range(extra):
        plan = factories.plan()
        plan.follow_up_groups.add(group)
        factories.commitment(plan, factories.administration("SOF"), status=Status.PAID)
        item = factories.deciding_item(tmu, day=date(2015, 1, 1 + index))
        plan.agenda_items.add(item)
        FollowUpGroupMeeting.objects.create(group=group, date=date(2012, 1, 1 + index))
    client = client_for(politician)
    client.get(reverse("followup:group_list"))
    # 17 since issue 9: the reader's committees are read up front (mark_items).
    with django_assert_max_num_queries(17):
        assert page(client, group).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("followup:group_list")).status_code == 200
