"""The committee list and a committee's page: members, meetings, follow-up groups."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import FollowUpGroup, Meeting, Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def biu(secretary):
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    committee = factories.committee(
        "BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu", administration=bif
    )
    for name, party, role in (
        ("Gitte Dahl", "Dansk Folkeparti (O)", Membership.Role.CHAIR),
        ("Hans Nørgaard", "Socialdemokratiet (A)", Membership.Role.VICE_CHAIR),
        ("Ida Vestergaard", "SF – Socialistisk Folkeparti (F)", Membership.Role.MEMBER),
    ):
        Membership.objects.create(
            person=factories.person(name, party=party),
            committee=committee,
            role=role,
            start_date=date(2006, 1, 1),
        )
    Membership.objects.create(
        person=factories.person("Tidligere Medlem", party="Venstre (V)"),
        committee=committee,
        start_date=date(2002, 1, 1),
        end_date=date(2005, 12, 31),
    )
    factories.member(secretary, committee, role=Membership.Role.SECRETARY)
    return committee


def test_committee_list_shows_committees_with_current_member_counts(client, politician, biu):
    client.force_login(politician)
    content = client.get(reverse("committees:committee_list")).content.decode()
    assert "Beskæftigelses- og Integrationsudvalget" in content
    assert reverse("committees:committee_detail", args=["biu"]) in content
    assert '<td class="num">3</td>' in content  # the former member and the secretary don't count
    assert "Stående udvalg" in content


def test_committee_page_lists_current_members_with_role_and_party(client, politician, biu):
    client.force_login(politician)
    content = client.get(reverse("committees:committee_detail", args=["biu"])).content.decode()
    chair = content.index("Gitte Dahl")
    vice = content.index("Hans Nørgaard")
    assert chair < vice < content.index("Ida Vestergaard")
    assert "Formand" in content and "Næstformand" in content
    assert "Dansk Folkeparti (O)" in content
    current, former = content.split('id="tidligere-medlemmer"')
    assert "Tidligere Medlem" not in current  # a former member, listed under former members
    assert "Tidligere Medlem" in former and "1. januar 2002 – 31. december 2005" in former
    assert "Udvalgssekretærer: sekretaer" in content
    assert "Nyt møde" not in content  # politicians don't create meetings


def test_committee_page_splits_upcoming_and_past_meetings(client, secretary, biu):
    today = timezone.localdate()
    factories.meeting(biu, day=today + timedelta(days=10), status=Meeting.Status.DRAFT)
    factories.meeting(biu, day=date(2009, 5, 28))
    client.force_login(secretary)
    content = client.get(reverse("committees:committee_detail", args=["biu"])).content.decode()
    upcoming = content.index("Kommende møder")
    past = content.index("Tidligere møder")
    assert upcoming < content.index("Kladde") < past < content.index("28. maj 2009")
    assert "Nyt møde" in content
    assert f"{reverse('meetings:meeting_create')}?udvalg=biu" in content


def test_committee_page_shows_follow_up_groups_formed_and_own(client, politician, biu):
    FollowUpGroup.objects.create(
        name="Politisk følgegruppe for de områdebaserede indsatser",
        kind=FollowUpGroup.Kind.INFORMAL,
        formed_by=biu,
    )
    special = factories.committee("§17", name="Udvalget for områdebaserede indsatser", slug="s17")
    FollowUpGroup.objects.create(
        name="Formel følgegruppe", kind=FollowUpGroup.Kind.FORMAL, committee=special
    )
    client.force_login(politician)
    content = client.get(reverse("committees:committee_detail", args=["biu"])).content.decode()
    assert "Politisk følgegruppe for de områdebaserede indsatser" in content
    assert "uformel gruppe" in content
    special_page = client.get(reverse("committees:committee_detail", args=["s17"])).content
    assert "Udvalget er den formelle følgegruppe “Formel følgegruppe”." in special_page.decode()


def test_unknown_committee_is_404(client, politician):
    client.force_login(politician)
    assert (
        client.get(reverse("committees:committee_detail", args=["findes-ikke"])).status_code == 404
    )


def test_committee_pages_query_count_is_fixed(
    client, politician, biu, django_assert_max_num_queries
):
    client.force_login(politician)
    today = timezone.localdate()
    factories.meeting(biu, day=today + timedelta(days=3))
    factories.meeting(biu, day=date(2009, 1, 1))
    urls = [
        reverse("committees:committee_detail", args=["biu"]),
        reverse("committees:committee_list"),
    ]
    small = {}
    for url in urls:
        with django_assert_max_num_queries(12) as context:
            client.get(url)
        small[url] = len(context.captured_queries)
    for index in range(15):
        factories.meeting(biu, day=today + timedelta(days=20 + index))
        factories.meeting(biu, day=date(2008, 1, 1) + timedelta(days=index))
        Membership.objects.create(
            person=factories.person(party="Enhedslisten (Ø)"),
            committee=biu,
            start_date=date(2006, 1, 1),
        )
        factories.committee()
    for url in urls:
        with django_assert_max_num_queries(small[url]):
            client.get(url)
    detail = client.get(urls[0]).content.decode()
    # 17 upcoming and 17 past meetings, but each list stops at ten (plus the two menu links).
    assert detail.count('href="/moeder/') == 2 * 10 + 2
