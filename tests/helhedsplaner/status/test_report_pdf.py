"""The plan status report PDF: the status page's headline and timeline, read back with pypdf."""

import io
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from committees.models import Meeting
from tests import factories
from tests.pdfs import pdf_bytes
from tests.pdfs import text_of as pages_of

pytestmark = pytest.mark.django_db


def pdf_url(plan):
    return reverse("planstatus:plan_status_pdf", args=[plan.pk])


def text_of(response) -> str:
    return " ".join(" ".join(page.split()) for page in pages_of(pdf_bytes(response)))


@pytest.fixture
def closed_item(story):
    meeting = factories.meeting(story["tmu"], day=date(2022, 2, 1), status=Meeting.Status.HELD)
    item = factories.item(meeting, title="Køb af beboerhus", is_closed=True)
    story["plan"].agenda_items.add(item)
    return item


def test_report_has_the_headline_and_timeline_of_the_page(
    client_for,
    politician,
    story,
    closed_item,
):
    client = client_for(politician)
    response = client.get(pdf_url(story["plan"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response)
    page = client.get(reverse("planstatus:plan_status", args=[story["plan"].pk]))
    assert "Statusrapport" in text
    for expected in (
        "Helhedsplan Tårnby",
        "Under gennemførelse",
        "1. januar 2020 – 31. december 2023",
        "Teknik- og Miljøforvaltningen",
        "2 afdelinger, 450 lejemål",
        "Planen gik over i »Godkendt«.",
        "Puljebevilling 2020",
        "Beskæftigelsesindsatsen – status",
        "Udvalget tog orienteringen til efterretning.",
        "Gruppen drøftede planen.",
        "Kun året er registreret.",
        "Lukket punkt",
        "Kommunal medfinansiering i alt",
    ):
        assert expected in text, expected
        assert expected in page.content.decode(), expected
    assert "Køb af beboerhus" not in text  # closed, and the politician is not on TMU
    assert text.index("Puljebevilling 2020") < text.index("Beskæftigelsesindsatsen – status")
    assert text.index("Beskæftigelsesindsatsen – status") < text.index("Gruppen drøftede")


def test_committee_member_gets_the_closed_item_in_full(
    client_for,
    politician,
    story,
    closed_item,
):
    factories.member(politician, story["tmu"])
    assert "Køb af beboerhus" in text_of(client_for(politician).get(pdf_url(story["plan"])))


def test_report_has_a_danish_file_name_title_and_language(
    client_for,
    politician,
    story,
    django_assert_max_num_queries,
):
    client = client_for(politician)
    # The report's own queries twice (its digest in the request, its HTML again in the
    # job, which the test's immediate backend runs here), and those of its stored row.
    with django_assert_max_num_queries(45):
        response = client.get(pdf_url(story["plan"]))
    name = "Statusrapport – Helhedsplan Tårnby.pdf"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(pdf_bytes(response)))
    assert reader.metadata.title == "Statusrapport – Helhedsplan Tårnby"
    assert str(reader.trailer["/Root"]["/Lang"]) == "da"
    assert "Side 1 af" in reader.pages[0].extract_text()


def test_user_without_a_role_gets_no_report(client_for, story):
    client = client_for(factories.user(None, "udenrolle"))
    assert client.get(pdf_url(story["plan"])).status_code == 403
