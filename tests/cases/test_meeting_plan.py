"""The year's meeting plan (mødeplan): preview, skipped dates, existing meetings, refusals,
and what members and non-members see of the scheduled (draft) meetings it creates."""

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from committees.models import Meeting
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("meetings:meeting_plan")


def not_published() -> str:
    with translation.override("da"):
        return gettext("Agenda not published")


@pytest.fixture
def biu(db):
    return factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget", slug="biu")


def plan_data(committee, **extra) -> dict:
    return {
        "committee": committee.pk,
        "year": 2031,
        "weekday": 3,  # Thursday
        "every": "w1",
        "start": "16:00",
        "location": "Rådhuset, udvalgsværelse 3",
        "skip": "",
        **extra,
    }


def test_preview_lists_the_dates_and_creates_nothing(client, secretary, biu):
    client.force_login(secretary)
    response = client.post(URL, plan_data(biu, preview="1"))
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["preview"]["planned"][0] == date(2031, 1, 2)
    assert len(response.context["preview"]["planned"]) == 52  # Thursdays of 2031
    assert 'name="create"' in content
    assert Meeting.objects.count() == 0


def test_create_makes_draft_meetings_in_one_go_skipping_the_dates_asked(client, secretary, biu):
    client.force_login(secretary)
    skip = "03.07.2031\n10.07.2031\n\n 17.07.2031 \n"
    response = client.post(URL, plan_data(biu, skip=skip, create="1"), follow=True)
    assert response.status_code == 200
    meetings = Meeting.objects.filter(committee=biu).order_by("starts_at")
    assert meetings.count() == 49
    assert {m.status for m in meetings} == {Meeting.Status.DRAFT}
    first = timezone.localtime(meetings[0].starts_at)
    assert (first.date(), first.time()) == (date(2031, 1, 2), time(16, 0))
    assert meetings[0].location == "Rådhuset, udvalgsværelse 3"
    days = {timezone.localtime(m.starts_at).date() for m in meetings}
    assert date(2031, 7, 10) not in days and date(2031, 7, 24) in days
    assert "49 møder" in response.content.decode() or "49" in response.content.decode()
    # The history names who made them.
    assert meetings[0].history.first().history_user == secretary


def test_dates_with_a_meeting_already_are_left_alone_and_named(client, secretary, biu):
    existing = factories.meeting(biu, day=date(2031, 1, 9), hour=10, status=Meeting.Status.DRAFT)
    client.force_login(secretary)
    preview = client.post(URL, plan_data(biu, preview="1")).context["preview"]
    assert preview["taken"] == [date(2031, 1, 9)]
    assert date(2031, 1, 9) not in preview["planned"]
    response = client.post(URL, plan_data(biu, create="1"), follow=True)
    assert Meeting.objects.filter(committee=biu).count() == 52
    assert Meeting.objects.get(pk=existing.pk).starts_at == existing.starts_at
    assert "09.01.2031" in response.content.decode()
    # A second run creates nothing more.
    client.post(URL, plan_data(biu, create="1"))
    assert Meeting.objects.filter(committee=biu).count() == 52


def test_monthly_plan_on_the_second_thursday(client, secretary, biu):
    client.force_login(secretary)
    response = client.post(URL, plan_data(biu, every="m2", skip="10.07.2031", preview="1"))
    planned = response.context["preview"]["planned"]
    assert len(planned) == 11 and date(2031, 7, 10) not in planned
    assert planned[:2] == [date(2031, 1, 9), date(2031, 2, 13)]
    every_other = client.post(URL, plan_data(biu, every="w2", preview="1"))
    assert every_other.context["preview"]["planned"][:2] == [date(2031, 1, 2), date(2031, 1, 16)]


def test_bad_skip_dates_are_refused_and_the_input_kept(client, secretary, biu):
    client.force_login(secretary)
    response = client.post(URL, plan_data(biu, skip="31.02.2031\n04.07.2031", create="1"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "31.02.2031" in content  # named in the message and kept in the field
    assert response.context["errors"]
    assert Meeting.objects.count() == 0
    # 04.07.2031 is a Friday: not one of the plan's dates.
    response = client.post(URL, plan_data(biu, skip="04.07.2031", create="1"))
    assert "04.07.2031" in response.content.decode()
    assert response.context["errors"]
    assert Meeting.objects.count() == 0


def test_a_secretary_of_another_committee_is_refused(client, biu):
    other_committee = factories.committee("KFU", slug="kfu")
    other = factories.secretary_of(
        factories.user(roles.SECRETARY, "sekretaer-kfu", scoped=True), other_committee
    )
    client.force_login(other)
    assert client.get(URL).status_code == 200  # their own committee's plan
    assert client.get(URL + "?udvalg=biu").status_code == 403
    assert client.post(URL, plan_data(biu, preview="1")).status_code == 403
    assert client.post(URL, plan_data(biu, create="1")).status_code == 403
    assert Meeting.objects.count() == 0
    assert list(client.get(URL).context["form"].fields["committee"].queryset) == [other_committee]


def test_politicians_and_caseworkers_are_refused(client, politician, caseworker, biu):
    for user in (politician, caseworker):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, plan_data(biu, create="1")).status_code == 403
    assert Meeting.objects.count() == 0


def test_the_meeting_list_links_the_plan_for_the_secretariat_only(client, secretary, politician):
    client.force_login(secretary)
    assert URL in client.get(reverse("meetings:meeting_list")).content.decode()
    client.force_login(politician)
    assert URL not in client.get(reverse("meetings:meeting_list")).content.decode()


# -- what members and non-members see of a scheduled meeting ------------------------------------


@pytest.fixture
def scheduled(biu):
    meeting = factories.meeting(biu, day=date(2031, 1, 2), hour=16, status=Meeting.Status.DRAFT)
    factories.item(meeting, title="Hemmeligt udkast til punkt")
    factories.item(meeting, title="Lukket udkast", is_closed=True)
    return meeting


def test_a_member_sees_a_scheduled_meetings_date_and_place_but_no_items(
    client, politician, biu, scheduled
):
    factories.member(politician, biu)
    client.force_login(politician)
    content = client.get(reverse("meetings:meeting_detail", args=[scheduled.pk])).content.decode()
    assert "2. januar 2031" in content and "16:00" in content and "Rådhuset" in content
    assert not_published() in content
    assert "Hemmeligt udkast" not in content and "Lukket udkast" not in content
    assert reverse("pdf:meeting_agenda", args=[scheduled.pk]) not in content
    listing = client.get(reverse("meetings:meeting_list")).content.decode()
    assert not_published() in listing
    assert client.get(reverse("pdf:meeting_agenda", args=[scheduled.pk])).status_code == 404


def test_a_non_member_sees_the_same_dates_and_nothing_more(client, politician, scheduled):
    """Meeting dates are not secret: every signed-in user sees the scheduled meeting's date,
    time and place (as before), never its items."""
    client.force_login(politician)
    response = client.get(reverse("meetings:meeting_detail", args=[scheduled.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert not_published() in content
    assert "Hemmeligt udkast" not in content and "Lukket udkast" not in content
    assert client.get(reverse("pdf:meeting_agenda", args=[scheduled.pk])).status_code == 404


def test_the_secretariat_still_sees_the_draft_agenda(client, secretary, scheduled):
    client.force_login(secretary)
    content = client.get(reverse("meetings:meeting_detail", args=[scheduled.pk])).content.decode()
    assert "Hemmeligt udkast til punkt" in content
