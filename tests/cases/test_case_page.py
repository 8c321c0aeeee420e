from datetime import date, timedelta

import pytest
from django.urls import reverse

from committees.models import Meeting, Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_setup():
    committee = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    meeting = factories.meeting(committee)
    case = factories.case("2026-71502", title="Køb af erhvervslejemål")
    item = factories.item(
        meeting,
        case_obj=case,
        title="Køb af erhvervslejemål til beboerhus",
        is_closed=True,
        problem="Fortrolig købesum 4,2 mio. kr.",
    )
    attachment = factories.attachment(item, title="Fortrolig vurdering", is_closed=True)
    return committee, case, item, attachment


def page(client, user, number):
    client.force_login(user)
    return client.get(reverse("cases:case_detail", args=[number]))


def test_case_page_shows_items_in_seed_structure(client, politician):
    committee = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")
    meeting = factories.meeting(committee)
    case = factories.case("2009-68440", title="Styring")
    item = factories.item(
        meeting,
        number=18,
        case_obj=case,
        title="Styring af processerne",
        problem="Problemtekst",
        solution="Løsningstekst",
        economy="Økonomitekst",
        further_process="Procestekst",
    )
    factories.attachment(item, title="Nye procesmuligheder", case_number="2009-300035")
    content = page(client, politician, "2009-68440").content.decode()
    for text in (
        "18. Styring af processerne",
        "Indstilling og beslutning",
        "Problemstilling",
        "Løsning",
        "Økonomi",
        "Videre proces",
        "Bilag",
        "2009-300035",
        "at udvalget drøfter sagen.",
    ):
        assert text in content


def test_unknown_case_is_404(client, politician):
    assert page(client, politician, "2009-99999").status_code == 404


def test_closed_item_hidden_from_non_member(client, politician, closed_setup):
    response = page(client, politician, "2026-71502")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Lukket punkt" in content
    assert "Fortrolig købesum" not in content
    assert "Køb af erhvervslejemål til beboerhus" not in content
    assert "Fortrolig vurdering" not in content


def test_closed_item_visible_to_member(client, politician, closed_setup):
    committee, *_ = closed_setup
    factories.member(politician, committee)
    content = page(client, politician, "2026-71502").content.decode()
    assert "Fortrolig købesum" in content
    assert "Fortrolig vurdering" in content


def test_closed_item_visible_to_the_committees_secretary_only(client, closed_setup):
    secretary = factories.user("Udvalgssekretær", "sekretaer", scoped=True)
    committee, *_ = closed_setup
    assert "Fortrolig købesum" not in page(client, secretary, "2026-71502").content.decode()
    factories.member(secretary, committee, role=Membership.Role.SECRETARY)
    secretary = type(secretary).objects.get(pk=secretary.pk)  # drop cached memberships
    assert "Fortrolig købesum" in page(client, secretary, "2026-71502").content.decode()


def test_closed_item_hidden_from_caseworker(client, caseworker, closed_setup):
    assert "Fortrolig købesum" not in page(client, caseworker, "2026-71502").content.decode()


def test_closed_item_visible_to_administrator(client, administrator, closed_setup):
    assert "Fortrolig købesum" in page(client, administrator, "2026-71502").content.decode()


def test_closed_attachment_direct_url_refused_for_non_member(client, politician, closed_setup):
    *_, attachment = closed_setup
    client.force_login(politician)
    response = client.get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404


def test_closed_attachment_on_open_item_hidden_from_non_member(client, politician):
    meeting = factories.meeting()
    item = factories.item(meeting, title="Åbent punkt")
    open_attachment = factories.attachment(item, title="Offentligt bilag")
    closed_attachment = factories.attachment(item, title="Fortroligt bilag", is_closed=True)
    content = page(client, politician, item.case.number).content.decode()
    assert "Offentligt bilag" in content
    assert "Fortroligt bilag" not in content
    assert (
        client.get(reverse("cases:attachment_download", args=[open_attachment.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("cases:attachment_download", args=[closed_attachment.pk])).status_code
        == 404
    )


def test_attachment_download_keeps_danish_file_name(client, politician):
    item = factories.item(factories.meeting())
    attachment = factories.attachment(item, filename="Bilag – økonomi på Amager.pdf")
    client.force_login(politician)
    response = client.get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert (
        "filename*=utf-8''Bilag%20%E2%80%93%20%C3%B8konomi%20p%C3%A5%20Amager.pdf"
        in (response["Content-Disposition"])
    )


def test_draft_items_not_visible_to_politicians(client, politician, caseworker):
    case = factories.case("2026-00042")
    factories.item(None, case_obj=case, title="Udkast til indstilling")
    assert "Udkast til indstilling" not in page(client, politician, "2026-00042").content.decode()
    draft_meeting = factories.meeting(status=Meeting.Status.DRAFT)
    factories.item(draft_meeting, case_obj=case, title="På et ikke-offentliggjort møde")
    content = page(client, politician, "2026-00042").content.decode()
    assert "På et ikke-offentliggjort møde" not in content


def test_case_page_query_count_is_fixed(client, administrator, django_assert_max_num_queries):
    case = factories.case("2009-68440")
    for _ in range(2):
        item = factories.item(
            factories.meeting(day=date(2009, 1, 1) + timedelta(days=factories.n())), case_obj=case
        )
        factories.attachment(item)
    client.force_login(administrator)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("cases:case_detail", args=["2009-68440"]))
    for _ in range(8):
        item = factories.item(
            factories.meeting(day=date(2009, 1, 1) + timedelta(days=factories.n())),
            case_obj=case,
            points=("at a", "at b", "at c"),
        )
        factories.attachment(item)
        factories.attachment(item, is_closed=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("cases:case_detail", args=["2009-68440"]))
