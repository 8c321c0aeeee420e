"""Closed items on every page: only the committee's members, its secretaries and
administrators see the content; everybody else sees the number and "Lukket punkt"."""

import pytest
from django.urls import reverse

from cases.services import agenda_item_correct, decision_record, meeting_minutes_approve
from committees.models import Meeting, Membership
from tests import factories

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Køb af erhvervslejemål til beboerhus"
SECRET_TEXT = "Fortrolig købesum 4,2 mio. kr."
SECRET_CORRECTION = "Købesummen er 4,4 mio. kr."
SECRET_ATTACHMENT = "Fortrolig vurdering"
OPEN_TITLE = "Status for Helhedsplan Tingbjerg"


@pytest.fixture
def world(secretary):
    committee = factories.committee("TMU", name="Teknik- og Miljøudvalget", slug="tmu")
    factories.member(secretary, committee, role=Membership.Role.SECRETARY)
    meeting = factories.meeting(committee, status=Meeting.Status.HELD)
    case = factories.case("2026-71502", title="Ejendomskøb i Tingbjerg")
    open_item = factories.item(meeting, title=OPEN_TITLE, case_obj=case)
    closed = factories.item(
        meeting, case_obj=case, title=SECRET_TITLE, is_closed=True, problem=SECRET_TEXT
    )
    closed_attachment = factories.attachment(closed, title=SECRET_ATTACHMENT)
    closed_on_open = factories.attachment(open_item, title="Fortroligt bilag", is_closed=True)
    decision_record(
        item=open_item, expected_version=0, outcome="noted", text="Taget til efterretning."
    )
    decision_record(
        item=closed, expected_version=0, outcome="approved", text="Købet blev godkendt."
    )
    meeting_minutes_approve(meeting=meeting)
    agenda_item_correct(
        item=closed, field="problem", new_value=SECRET_CORRECTION, reason="Forkert beløb."
    )
    return {
        "committee": committee,
        "meeting": meeting,
        "case": case,
        "closed": closed,
        "attachment": closed_attachment,
        "closed_on_open": closed_on_open,
    }


def pages(world):
    return {
        "meeting": reverse("meetings:meeting_detail", args=[world["meeting"].pk]),
        "item": reverse("cases:item_detail", args=[world["closed"].pk]),
        "case": reverse("cases:case_detail", args=[world["case"].number]),
        "history": reverse("cases:case_history", args=[world["case"].number]),
        "committee": reverse("committees:committee_detail", args=["tmu"]),
    }


SECRETS = (SECRET_TITLE, SECRET_TEXT, SECRET_CORRECTION, SECRET_ATTACHMENT, "Købet blev godkendt.")


def assert_sees_nothing_secret(client, world):
    for name, url in pages(world).items():
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200, name
        for secret in SECRETS:
            assert secret not in content, f"{secret!r} leaked on the {name} page"
        if name in ("meeting", "item", "case"):
            assert "Lukket punkt" in content, name
    for attachment in (world["attachment"], world["closed_on_open"]):
        response = client.get(reverse("cases:attachment_download", args=[attachment.pk]))
        assert response.status_code == 404
    # The open item stays readable.
    assert OPEN_TITLE in client.get(pages(world)["meeting"]).content.decode()


def assert_sees_everything(client, world):
    expected = {
        "meeting": (SECRET_TITLE, SECRET_CORRECTION, SECRET_ATTACHMENT, "Købet blev godkendt."),
        "item": (SECRET_TITLE, SECRET_CORRECTION, SECRET_TEXT, "Forkert beløb."),
        "case": (SECRET_TITLE, SECRET_ATTACHMENT),
        "history": (SECRET_TITLE, SECRET_CORRECTION, "Forkert beløb."),
    }
    for name, texts in expected.items():
        content = client.get(pages(world)[name]).content.decode()
        for text in texts:
            assert text in content, f"{text!r} missing on the {name} page"
    for attachment in (world["attachment"], world["closed_on_open"]):
        response = client.get(reverse("cases:attachment_download", args=[attachment.pk]))
        assert response.status_code == 200


def test_member_sees_the_closed_item(client, politician, world):
    factories.member(politician, world["committee"])
    client.force_login(politician)
    assert_sees_everything(client, world)


def test_non_member_politician_sees_only_number_and_lukket_punkt(client, politician, world):
    client.force_login(politician)
    assert_sees_nothing_secret(client, world)
    content = client.get(pages(world)["meeting"]).content.decode()
    assert "2. Lukket punkt" in content


def test_caseworker_sees_only_lukket_punkt(client, caseworker, world):
    factories.staff(caseworker, world["case"].administration)
    client.force_login(caseworker)
    assert_sees_nothing_secret(client, world)


def test_the_committees_secretary_sees_the_closed_item(client, secretary, world):
    client.force_login(secretary)
    assert_sees_everything(client, world)


def test_another_committees_secretary_does_not(client, world):
    other = factories.user("Udvalgssekretær", "anden-sekretaer", scoped=True)
    factories.member(other, factories.committee("BIU"), role=Membership.Role.SECRETARY)
    client.force_login(other)
    assert_sees_nothing_secret(client, world)
    # ... and may not open its edit pages either.
    closed = world["closed"]
    for name in ("cases:item_correct", "cases:decision_correct", "cases:decision_record"):
        assert client.get(reverse(name, args=[closed.pk])).status_code == 403, name


def test_administrator_sees_the_closed_item(client, administrator, world):
    client.force_login(administrator)
    assert_sees_everything(client, world)


def test_former_member_no_longer_sees_it(client, politician, world):
    from datetime import date

    factories.member(politician, world["committee"], start=date(2000, 1, 1), end=date(2001, 1, 1))
    client.force_login(politician)
    assert_sees_nothing_secret(client, world)


def test_closed_badge_on_the_agenda_reads_lukket_not_the_plan_status(client, administrator):
    from django.urls import reverse

    from tests import factories

    meeting = factories.meeting()
    factories.item(meeting, title="Fortroligt køb", is_closed=True)
    client.force_login(administrator)
    content = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert '<span class="badge badge-closed">Lukket</span>' in content
    assert "Afsluttet" not in content
