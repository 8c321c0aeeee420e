"""The meeting page is kept in the page cache: a page kept from before the meeting started
is not served after it, so "Mark as held" appears once the meeting has started (issue 18,
point 5). Transactional: inside a test transaction nothing is cached."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import Meeting
from tests import factories
from tests.cachedpage import get_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_button_appears_once_the_meeting_has_started_even_on_a_kept_page(client, secretary):
    committee = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")
    # Early in the day (Copenhagen), so an hour later is the same day for the cache's key.
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    starts = today + timedelta(hours=1)
    meeting = Meeting.objects.create(
        committee=committee, starts_at=starts, status=Meeting.Status.PUBLISHED
    )
    factories.item(meeting)
    client.force_login(secretary)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    button = reverse("meetings:meeting_mark_held", args=[meeting.pk])
    with mock.patch("django.utils.timezone.now", return_value=today):
        assert get_page(client, url)[0] == "miss"
        status, content = get_page(client, url)
        assert status == "hit" and button not in content
    with mock.patch("django.utils.timezone.now", return_value=starts + timedelta(minutes=5)):
        status, content = get_page(client, url)
        assert status == "miss" and button in content
        client.post(button)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
