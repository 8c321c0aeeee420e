from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.models import Committee, FollowUpGroup, Meeting, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def test_membership_one_role_per_person_committee_and_period():
    committee = factories.committee()
    person = factories.person()
    Membership.objects.create(person=person, committee=committee, start_date=date(2009, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=person,
            committee=committee,
            start_date=date(2009, 1, 1),
            role=Membership.Role.CHAIR,
        )


def test_membership_overlapping_period_refused_by_clean():
    committee = factories.committee()
    person = factories.person()
    Membership.objects.create(
        person=person, committee=committee, start_date=date(2006, 1, 1), end_date=date(2009, 12, 31)
    )
    overlapping = Membership(person=person, committee=committee, start_date=date(2009, 6, 1))
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    later = Membership(person=person, committee=committee, start_date=date(2010, 1, 1))
    later.full_clean()  # no overlap: fine


def test_membership_start_after_end_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=factories.person(),
            committee=factories.committee(),
            start_date=date(2010, 1, 1),
            end_date=date(2009, 1, 1),
        )


def test_committee_period_start_before_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.committee(period_start=date(2010, 1, 1), period_end=date(2009, 1, 1))


def test_committee_kind_must_be_known():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.committee(kind="club")


def test_meeting_approved_minutes_need_timestamp():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.meeting(status=Meeting.Status.MINUTES_APPROVED)


def test_informal_follow_up_group_cannot_be_a_committee():
    special = factories.committee(kind=Committee.Kind.SPECIAL_COMMITTEE)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpGroup.objects.create(
            name="Gruppe", kind=FollowUpGroup.Kind.INFORMAL, committee=special
        )
