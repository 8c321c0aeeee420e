"""Follow-up groups set up in the product's own screens: the group, its members, the plans
it follows and its meetings, written by the secretariat and administrators, read by all."""

import re
from datetime import date

import pytest
from django.urls import reverse

from committees.models import (
    Committee,
    FollowUpGroup,
    FollowUpGroupMeeting,
    FollowUpGroupMembership,
)
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

SPECIAL = Committee.Kind.SPECIAL_COMMITTEE


@pytest.fixture
def setting():
    """BR forms a formal group around its special committee; TMU forms an informal one.
    The secretary of the special committee manages the formal group, the KFU secretary
    does not (but, like every secretary, the informal one)."""
    br = factories.committee("BR", name="Borgerrepræsentationen", kind="city_council")
    special = factories.committee(
        "STH",
        name="Særudvalget for Tingbjerg-Husum",
        kind=SPECIAL,
        period_start=date(2022, 6, 1),
        period_end=date(2027, 12, 31),
        **_established(),
    )
    kfu = factories.committee("KFU", name="Kultur- og Fritidsudvalget")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    formal = factories.follow_up_group(
        "Den politiske følgegruppe", kind=FollowUpGroup.Kind.FORMAL, committee=special, formed_by=br
    )
    informal = factories.follow_up_group("Uformel gruppe", formed_by=tmu)
    own = factories.secretary_of(factories.user(roles.SECRETARY, scoped=True), special)
    other = factories.secretary_of(factories.user(roles.SECRETARY, scoped=True), kfu)
    return {
        "br": br,
        "special": special,
        "kfu": kfu,
        "formal": formal,
        "informal": informal,
        "own": own,
        "other": other,
    }


def _established() -> dict:
    fields = {field.name for field in Committee._meta.get_fields()}
    if "established_by" in fields:
        return {"established_by": "BR-beslutning", "established_on": date(2022, 5, 12)}
    return {}


def group_data(**overrides) -> dict:
    data = {
        "name": "Ny følgegruppe",
        "kind": "informal",
        "committee": "",
        "formed_by": "",
        "mandate": "Følger planerne.",
        "period_start": "2024-01-01",
        "period_end": "",
    }
    data.update(overrides)
    return data


def detail(group):
    return reverse("followup:group_detail", args=[group.pk])


# -- create and edit ----------------------------------------------------------------------------


def test_secretary_sets_up_a_formal_group_linked_to_its_special_committee(client_for, setting):
    special = factories.committee(
        "SÆR2",
        name="Særudvalget for Husum",
        kind=SPECIAL,
        period_start=date(2024, 1, 1),
        period_end=date(2027, 12, 31),
        **_established(),
    )
    factories.secretary_of(setting["own"], special)
    client = client_for(setting["own"])
    response = client.post(
        reverse("followup:group_create"),
        group_data(
            name="Følgegruppen for Husum",
            kind="formal",
            committee=special.pk,
            formed_by=setting["br"].pk,
        ),
    )
    group = FollowUpGroup.objects.get(name="Følgegruppen for Husum")
    assert response.status_code == 302 and response["Location"] == detail(group)
    assert (group.kind, group.committee, group.formed_by) == ("formal", special, setting["br"])
    page = client.get(detail(group)).content.decode()
    assert "Særudvalget for Husum" in page
    assert group.history.get().history_user == setting["own"]


def test_a_formal_group_needs_its_special_committee(client_for, setting):
    client = client_for(setting["own"])
    response = client.post(
        reverse("followup:group_create"), group_data(kind="formal", name="Uden udvalg")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page
    assert "§ 17, stk. 4" in page
    assert 'value="Uden udvalg"' in page  # the input is kept
    assert not FollowUpGroup.objects.filter(name="Uden udvalg").exists()


def test_a_formal_group_needs_a_special_committee_not_a_standing_one(client_for, setting):
    client = client_for(setting["own"])
    response = client.post(
        reverse("followup:group_create"),
        group_data(kind="formal", name="Forkert udvalg", committee=setting["kfu"].pk),
    )
    # A standing committee is not even offered as a special committee.
    assert response.status_code == 400
    assert not FollowUpGroup.objects.filter(name="Forkert udvalg").exists()


def test_an_informal_group_has_no_special_committee(client_for, setting, administrator):
    special = factories.committee(
        "SÆR3",
        name="Særudvalget for Nørrebro",
        kind=SPECIAL,
        period_start=date(2024, 1, 1),
        period_end=date(2027, 12, 31),
        **_established(),
    )
    client = client_for(administrator)
    response = client.post(
        reverse("followup:group_create"),
        group_data(kind="informal", name="Uformel med udvalg", committee=special.pk),
    )
    assert response.status_code == 400
    assert "informal" in response.content.decode() or "uformel" in response.content.decode()
    assert not FollowUpGroup.objects.filter(name="Uformel med udvalg").exists()


def test_a_secretary_cannot_set_up_a_formal_group_they_would_not_manage(client_for, setting):
    """The KFU secretary may set up groups, but a formal group of a special committee and a
    forming committee she does not serve would be out of her hands at once: refused."""
    special = factories.committee(
        "SÆR4",
        name="Særudvalget for Bispebjerg",
        kind=SPECIAL,
        period_start=date(2024, 1, 1),
        period_end=date(2027, 12, 31),
        **_established(),
    )
    client = client_for(setting["other"])
    response = client.post(
        reverse("followup:group_create"),
        group_data(
            kind="formal", name="Bispebjerg", committee=special.pk, formed_by=setting["br"].pk
        ),
    )
    assert response.status_code == 400
    assert not FollowUpGroup.objects.filter(name="Bispebjerg").exists()


def test_secretary_edits_and_ends_the_group_with_history(client_for, setting):
    group = setting["formal"]
    client = client_for(setting["own"])
    assert client.get(reverse("followup:group_edit", args=[group.pk])).status_code == 200
    response = client.post(
        reverse("followup:group_edit", args=[group.pk]),
        group_data(
            name=group.name,
            kind="formal",
            committee=setting["special"].pk,
            formed_by=setting["br"].pk,
            mandate="Nyt kommissorium.",
            period_start="2022-06-01",
            period_end="2025-12-31",
        ),
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.mandate == "Nyt kommissorium." and group.period_end == date(2025, 12, 31)
    latest = group.history.first()
    assert latest.history_type == "~" and latest.history_user == setting["own"]
    page = client.get(detail(group)).content.decode()
    assert "Nyt kommissorium." in page and "31. december 2025" in page


def test_period_end_before_start_is_refused_and_input_kept(client_for, setting):
    group = setting["informal"]
    client = client_for(setting["other"])  # any secretary manages an informal group
    response = client.post(
        reverse("followup:group_edit", args=[group.pk]),
        group_data(name=group.name, period_start="2024-06-01", period_end="2024-01-01"),
    )
    assert response.status_code == 400
    assert 'value="2024-06-01"' in response.content.decode()
    group.refresh_from_db()
    assert group.period_end is None


# -- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other", "caseworker", "politician"])
def test_formal_group_refuses_others_per_object(client_for, setting, who, caseworker, politician):
    user = {"other": setting["other"], "caseworker": caseworker, "politician": politician}[who]
    group = setting["formal"]
    membership = FollowUpGroupMembership.objects.create(
        group=group, person=factories.person("Anne"), is_chair=False
    )
    meeting = FollowUpGroupMeeting.objects.create(group=group, date=date(2023, 1, 5))
    client = client_for(user)
    for name, arg in [
        ("followup:group_edit", group.pk),
        ("followup:members", group.pk),
        ("followup:group_plans", group.pk),
        ("followup:meeting_create", group.pk),
        ("followup:meeting_edit", meeting.pk),
    ]:
        url = reverse(name, args=[arg])
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x", "date": "2024-01-01"}).status_code == 403, url
    for name in ("followup:member_remove", "followup:member_make_chair"):
        url = reverse(name, args=[membership.pk])
        assert client.post(url).status_code == 403, url
    assert FollowUpGroupMembership.objects.filter(pk=membership.pk, is_chair=False).exists()
    page = client.get(detail(group)).content.decode()
    assert reverse("followup:group_edit", args=[group.pk]) not in page
    assert reverse("followup:members", args=[group.pk]) not in page
    assert reverse("followup:meeting_edit", args=[meeting.pk]) not in page


def test_caseworkers_and_politicians_cannot_set_up_groups(client_for, caseworker, politician):
    for user in (caseworker, politician):
        client = client_for(user)
        assert client.get(reverse("followup:group_create")).status_code == 403
        assert client.post(reverse("followup:group_create"), group_data()).status_code == 403
        assert (
            reverse("followup:group_create")
            not in client.get(reverse("followup:group_list")).content.decode()
        )
    assert not FollowUpGroup.objects.exists()


def test_any_secretary_manages_an_informal_group(client_for, setting):
    group = setting["informal"]
    client = client_for(setting["other"])
    page = client.get(detail(group)).content.decode()
    assert reverse("followup:group_edit", args=[group.pk]) in page
    assert reverse("followup:members", args=[group.pk]) in page


def test_administrator_manages_every_group(client_for, setting, administrator):
    client = client_for(administrator)
    for group in (setting["formal"], setting["informal"]):
        assert client.get(reverse("followup:group_edit", args=[group.pk])).status_code == 200
        assert client.get(reverse("followup:members", args=[group.pk])).status_code == 200


# -- members ------------------------------------------------------------------------------------


def test_members_added_one_chair_and_removed_with_history(client_for, setting):
    group = setting["formal"]
    anne = factories.person("Anne Andersen", party="Enhedslisten (Ø)")
    bo = factories.person("Bo Bech", party="Venstre (V)")
    client = client_for(setting["own"])
    url = reverse("followup:members", args=[group.pk])
    assert client.post(url, {"person": anne.pk, "is_chair": "on"}).status_code == 302
    assert client.post(url, {"person": bo.pk, "is_chair": "on"}).status_code == 302
    chairs = FollowUpGroupMembership.objects.filter(group=group, is_chair=True)
    assert [m.person for m in chairs] == [bo]  # one chair: Anne became an ordinary member
    again = client.post(url, {"person": anne.pk})
    assert again.status_code == 400 and "Anne Andersen" in again.content.decode()

    anne_seat = FollowUpGroupMembership.objects.get(group=group, person=anne)
    client.post(reverse("followup:member_make_chair", args=[anne_seat.pk]))
    chairs = FollowUpGroupMembership.objects.filter(group=group, is_chair=True)
    assert [m.person for m in chairs] == [anne]

    bo_seat = FollowUpGroupMembership.objects.get(group=group, person=bo)
    response = client.post(reverse("followup:member_remove", args=[bo_seat.pk]))
    assert response.status_code == 302
    assert not FollowUpGroupMembership.objects.filter(pk=bo_seat.pk).exists()
    removed = FollowUpGroupMembership.history.filter(id=bo_seat.pk, history_type="-").get()
    assert removed.history_user == setting["own"]
    assert "Bo Bech er ikke længere medlem af gruppen" in client.get(detail(group)).content.decode()
    page = client.get(detail(group)).content.decode()  # the message shown once, above
    members = page[: page.index('id="history-title"')]
    assert "Anne Andersen" in members and "Bo Bech" not in members
    assert page.count("Bo Bech") >= 1  # in the history only
    assert client.get(reverse("followup:member_remove", args=[anne_seat.pk])).status_code == 405


def test_removed_member_of_another_group_is_not_found(client_for, setting):
    client = client_for(setting["own"])
    assert client.post(reverse("followup:member_remove", args=[999999])).status_code == 404


# -- plans followed -----------------------------------------------------------------------------


def test_secretary_chooses_the_plans_with_a_filter_and_they_show_on_both_pages(client_for, setting):
    group = setting["formal"]
    tingbjerg = factories.plan(name="Helhedsplan Tingbjerg 2019")
    husum = factories.plan(name="Helhedsplan Husum 2020")
    other = factories.plan(name="Helhedsplan Nørrebro 2018")
    group.plans.add(other)
    client = client_for(setting["own"])
    url = reverse("followup:group_plans", args=[group.pk])
    filtered = client.get(url, {"q": "tingbjerg"}).content.decode()
    assert "Helhedsplan Tingbjerg 2019" in filtered and "Helhedsplan Husum 2020" not in filtered
    assert f'type="hidden" name="plans" value="{other.pk}"' in filtered  # kept, not shown
    response = client.post(url, {"plans": [tingbjerg.pk, husum.pk]})
    assert response.status_code == 302
    assert set(group.plans.all()) == {tingbjerg, husum}
    page = client.get(detail(group)).content.decode()
    assert "Helhedsplan Tingbjerg 2019" in page and "Helhedsplan Nørrebro 2018" not in page
    status = client.get(reverse("planstatus:plan_status", args=[tingbjerg.pk])).content.decode()
    assert group.name in status


def test_unknown_plan_is_refused(client_for, setting):
    client = client_for(setting["own"])
    url = reverse("followup:group_plans", args=[setting["formal"].pk])
    response = client.post(url, {"plans": [999999]})
    assert response.status_code == 400
    page = response.content.decode()
    target = re.search(r'error-summary.*?href="#([^"]+)"', page, re.S).group(1)
    assert f'id="{target}"' in page  # the summary links to the list of plans


# -- meetings -----------------------------------------------------------------------------------


def test_secretary_edits_a_recorded_meeting_with_history(client_for, setting):
    group = setting["formal"]
    client = client_for(setting["own"])
    client.post(
        reverse("followup:meeting_create", args=[group.pk]),
        {"date": "2023-03-01", "notes": "Første møde."},
    )
    meeting = FollowUpGroupMeeting.objects.get(group=group)
    FollowUpGroupMeeting.objects.create(group=group, date=date(2023, 4, 1))
    url = reverse("followup:meeting_edit", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Første møde." in page and 'value="2023-03-01"' in page
    clash = client.post(url, {"date": "2023-04-01", "notes": "Rettet."})
    assert clash.status_code == 400 and "Rettet." in clash.content.decode()
    response = client.post(url, {"date": "2023-03-02", "notes": "Rettede noter."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.notes) == (date(2023, 3, 2), "Rettede noter.")
    assert meeting.history.first().history_user == setting["own"]
    detail_page = client.get(detail(group)).content.decode()
    assert "Rettede noter." in detail_page and url in detail_page


def test_group_page_history_shows_group_members_and_meetings_with_the_user(client_for, setting):
    group = setting["formal"]
    client = client_for(setting["own"])
    client.post(
        reverse("followup:members", args=[group.pk]),
        {"person": factories.person("Carl Christensen", party="Venstre (V)").pk},
    )
    client.post(
        reverse("followup:meeting_create", args=[group.pk]),
        {"date": "2023-05-01", "notes": "Noter."},
    )
    assert FollowUpGroupMembership.history.get(group_id=group.pk).history_user == setting["own"]
    assert FollowUpGroupMeeting.history.get(group_id=group.pk).history_user == setting["own"]
    page = client.get(detail(group)).content.decode()
    history = page[page.index('id="history-title"') :]
    assert "Carl Christensen" in history and "Noter." in history
    assert setting["own"].username in history or setting["own"].get_full_name() in history
