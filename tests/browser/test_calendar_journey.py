"""Journey: the secretary makes next year's meeting plan for Teknik- og Miljøudvalget; a
member of the committee finds the committee's next scheduled meeting in their calendar
feed, marked "Dagsorden ikke offentliggjort" and linking to its meeting page, before its
agenda is published.
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar
from playwright.sync_api import expect

from committees.models import Committee, Meeting, Membership, Person
from core import roles
from tests.browser.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TMU = "Teknik- og Miljøudvalget"


def da(text: str) -> str:
    with translation.override("da"):
        return gettext(text)


def test_a_members_feed_shows_the_planned_meetings_before_the_agenda(page_as, axe):
    tmu = Committee.objects.get(short_name="TMU")
    member = User.objects.create_user("politiker-tmu", password=PASSWORD, first_name="Tove")
    member.groups.add(Group.objects.get(name=roles.POLITICIAN))
    person = Person.objects.create(name="Tove TMU-medlem", party="Venstre (V)", user=member)
    Membership.objects.create(person=person, committee=tmu, start_date="2022-01-01")
    year = max(timezone.localdate().year + 1, 2027)

    # The secretary makes the plan: the second Tuesday of every month at 16.00, not in July.
    page = page_as("sekretaer")
    page.goto(page.base + "/moeder/")
    page.get_by_role("link", name=da("The year's meeting plan")).click()
    expect(page.get_by_role("heading", level=1, name=da("The year's meeting plan"))).to_be_visible()
    page.get_by_label(da("Committee")).select_option(label=TMU)
    page.get_by_label(da("Year")).fill(str(year))
    page.get_by_label(da("Weekday")).select_option(label=da("Tuesday"))
    page.get_by_label(da("How often")).select_option(value="m2")
    page.get_by_label(da("Start time")).fill("16:00")
    page.locator("#id_location").fill("Københavns Rådhus, udvalgsværelset")
    july = next(d for d in range(8, 15) if date(year, 7, d).weekday() == 1)
    page.get_by_label(da("Dates to skip")).fill(f"{july:02d}.07.{year}")
    page.get_by_role("button", name=da("Show the dates")).click()
    preview = page.locator(".meeting-plan-preview")
    expect(preview).to_be_visible()
    axe(page, "meeting plan preview")
    # The demo's January meeting of TMU is on the plan's first date: left alone, and said.
    expect(preview).to_contain_text(da("Already has a meeting (left alone)"))
    before = Meeting.objects.filter(committee=tmu).count()
    preview.get_by_role("button").click()
    expect(page.locator(".messages, .message").first).to_be_visible()
    created = Meeting.objects.filter(committee=tmu).count() - before
    assert created == 10  # 12 months, not July, January taken
    nxt = (
        Meeting.objects.filter(
            committee=tmu, status=Meeting.Status.DRAFT, starts_at__gte=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    assert nxt.location == "Københavns Rådhus, udvalgsværelset"

    # The member opens their calendar page and reads the feed at the address it shows.
    member_page = page_as("politiker-tmu")
    member_page.goto(member_page.base + "/kalender/")
    axe(member_page, "calendar page")
    feed_url = member_page.locator(".feed-url").first.inner_text().strip()
    response = member_page.request.get(feed_url)
    assert response.ok
    events = list(Calendar.from_ical(response.body()).walk("VEVENT"))
    event = next(e for e in events if str(e["uid"]) == f"meeting-{nxt.pk}@helhedsplaner")
    assert da("Agenda not published") in str(event["summary"])
    assert da("Agenda not published") in str(event["description"])
    assert str(event["status"]) == "TENTATIVE"
    assert event["dtstart"].dt == nxt.starts_at
    meeting_url = str(event["url"])
    assert meeting_url.endswith(f"/moeder/{nxt.pk}/")

    # The link opens the meeting page: date, time and place, no agenda yet.
    member_page.goto(meeting_url)
    expect(member_page.locator(".facts .status")).to_have_text(da("Agenda not published"))
    expect(member_page.locator(".facts")).to_contain_text("Københavns Rådhus, udvalgsværelset")
    expect(member_page.get_by_text(da("The agenda has not been published yet."))).to_be_visible()
    axe(member_page, "scheduled meeting page")
