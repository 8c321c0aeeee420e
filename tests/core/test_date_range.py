"""Dates and years are accepted from 1990 to 2100 on every form, and a date already
stored outside that range (year 1, year 9999) does not break the pages that show it."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from committees.models import FollowUpGroupMeeting, Meeting
from helhedsplaner.models import CoFinancing, Plan, PlanStatusChange
from tests import factories
from tests.helhedsplaner.formdata import plan_post

pytestmark = pytest.mark.django_db

DATE_MESSAGE = "Angiv en dato fra 01.01.1990 til 31.12.2100."
YEAR_MESSAGE = "Angiv et år fra 1990 til 2100."
OUT_OF_RANGE = ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_meeting_outside_the_range_gets_a_danish_error_and_is_not_saved(client_for, secretary, day):
    committee = factories.committee()
    response = client_for(secretary).post(
        reverse("meetings:meeting_create"),
        {"committee": committee.pk, "day": day, "start": "00:00", "location": "Rådhuset"},
    )
    assert response.status_code == 200
    assert DATE_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["1990-01-01", "2100-12-31"])
def test_meeting_on_the_edges_of_the_range_is_saved(client_for, secretary, day):
    committee = factories.committee()
    response = client_for(secretary).post(
        reverse("meetings:meeting_create"),
        {"committee": committee.pk, "day": day, "start": "23:30", "location": ""},
    )
    assert response.status_code == 302
    assert Meeting.objects.count() == 1


def test_meeting_edit_refuses_year_9999(client_for, secretary):
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    response = client_for(secretary).post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {"day": "9999-12-31", "start": "15:00", "location": "Rådhuset"},
    )
    assert DATE_MESSAGE in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at.year == 2009


def test_date_inputs_tell_the_browser_the_range(client_for, secretary):
    content = client_for(secretary).get(reverse("meetings:meeting_create")).content.decode()
    assert 'min="1990-01-01"' in content
    assert 'max="2100-12-31"' in content


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_follow_up_meeting_outside_the_range_is_refused(client_for, secretary, day):
    group = factories.follow_up_group()
    response = client_for(secretary).post(
        reverse("followup:meeting_create", args=[group.pk]), {"date": day, "notes": "Noter"}
    )
    assert DATE_MESSAGE in response.content.decode()
    assert not FollowUpGroupMeeting.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1900-05-01"])
def test_plan_transition_outside_the_range_is_refused(client_for, caseworker, day):
    plan = factories.plan()
    response = client_for(caseworker).post(
        reverse("helhedsplaner:plan_transition", args=[plan.pk]),
        {"to_status": "prequalification", "prequalification-date": day},
    )
    assert DATE_MESSAGE in response.content.decode()
    assert not PlanStatusChange.objects.filter(plan=plan, to_status="prequalification").exists()


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "2020-01-01"), ("2020-01-01", "9999-12-31")]
)
def test_plan_period_outside_the_range_is_refused(client_for, caseworker, start, end):
    response = client_for(caseworker).post(
        reverse("helhedsplaner:plan_create"), plan_post(start=start, end=end)
    )
    assert DATE_MESSAGE in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize("year", ["1", "1989", "2101", "9999"])
def test_commitment_year_outside_the_range_names_the_range(client_for, caseworker, year):
    plan = factories.plan()
    admin = factories.administration()
    response = client_for(caseworker).post(
        reverse("cofinancing:commitment_create"),
        {
            "plan": plan.pk,
            "administration": admin.pk,
            "year": year,
            "amount": "1.000",
            "source": "own_budget",
        },
    )
    assert YEAR_MESSAGE in response.content.decode()
    assert not CoFinancing.objects.exists()


def test_search_year_outside_the_range_names_the_range(client_for, politician):
    response = client_for(politician).get(reverse("search"), {"q": "plan", "aar": "9999"})
    assert response.status_code == 200
    assert YEAR_MESSAGE in response.content.decode()


def test_services_refuse_a_date_outside_the_range_too(caseworker):
    from django.core.exceptions import ValidationError

    from committees import services as committee_services
    from helhedsplaner.followup.services import follow_up_meeting_create

    with pytest.raises(ValidationError) as error:
        committee_services.meeting_create(
            committee=factories.committee(),
            day=datetime.date(1, 1, 1),
            start=datetime.time(0, 0),
        )
    assert error.value.message_dict["day"] == [DATE_MESSAGE]
    with pytest.raises(ValidationError):
        follow_up_meeting_create(group=factories.follow_up_group(), date=datetime.date(9999, 1, 1))
    assert not Meeting.objects.exists()


# -- dates stored before the rule, by the admin or by SQL -----------------------------------


def _pages_render(client, meeting):
    for url in (
        reverse("meetings:meeting_list"),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:meeting_edit", args=[meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "stored",
    [
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(9999, 12, 31, 23, 30, tzinfo=datetime.UTC),
    ],
)
def test_meeting_stored_with_year_1_or_9999_still_renders_and_can_be_repaired(
    client_for, secretary, stored
):
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=stored)
    client = client_for(secretary)
    _pages_render(client, meeting)
    response = client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "day": "2009-05-28",
            "start": "15:00",
            "location": "Rådhuset",
            "version": meeting.version,
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at.year == 2009


def test_meeting_stored_before_year_1_by_sql_still_renders(client_for, secretary):
    """What the old form stored on PostgreSQL for 0001-01-01 00:00 Copenhagen time: a BC
    timestamp psycopg cannot read; on SQLite a year-0 text Python cannot parse."""
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    value = (
        "0001-12-31 23:09:40+00 BC" if connection.vendor == "postgresql" else "0000-12-31 23:09:40"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Meeting._meta.db_table} SET starts_at = %s WHERE id = %s",  # noqa: S608
            [value, meeting.pk],
        )
    _pages_render(client_for(secretary), meeting)
    assert Meeting.objects.get(pk=meeting.pk).starts_at.year == 1


def test_meeting_stored_after_year_9999_by_sql_still_renders(client_for, secretary):
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    value = "12000-01-01 00:00:00+00" if connection.vendor == "postgresql" else "12000-01-01"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Meeting._meta.db_table} SET starts_at = %s WHERE id = %s",  # noqa: S608
            [value, meeting.pk],
        )
    _pages_render(client_for(secretary), meeting)
