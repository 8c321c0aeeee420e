"""Every ``<time datetime>`` is a valid HTML date or date-time (issue 20, point 5): whole
seconds with the offset, never Django's ``date:"c"`` microseconds, which were 607 of the
608 errors the Nu checker found."""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.templatetags.dk import isodatetime
from tests import factories

pytestmark = pytest.mark.django_db

VALID = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?$")


def datetimes(content: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]*)"', content)


def test_history_and_meeting_pages_print_valid_moments(client_for, secretary):
    plan = factories.plan("Helhedsplan Tid")
    plan.name = "Helhedsplan Tid og sted"
    plan.save()  # history rows carry microseconds
    meeting = factories.meeting()
    item = factories.item(meeting)
    client = client_for(secretary)
    pages = [
        reverse("helhedsplaner:plan_history", args=[plan.pk]),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("cases:case_history", args=[item.case.number]),
        reverse("cases:case_detail", args=[item.case.number]),
    ]
    found = []
    for url in pages:
        values = datetimes(client.get(url).content.decode())
        found.extend(values)
        assert all(VALID.match(value) for value in values), (url, values)
    assert any("T" in value for value in found)  # the history's moments are there


def test_the_filter_drops_microseconds_and_keeps_the_offset():
    moment = timezone.make_aware(datetime(2026, 12, 3, 14, 51, 7, 123456))
    assert isodatetime(moment) == "2026-12-03T14:51:07+01:00"
    assert isodatetime(date(2009, 5, 28)) == "2009-05-28"
    assert isodatetime(None) == ""
