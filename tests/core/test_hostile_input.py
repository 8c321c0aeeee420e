"""NUL bytes and oversize text: refused with a clear Danish answer, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import AgendaItem, Attachment
from committees.models import Meeting
from tests import factories

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Adressen indeholder et NUL-tegn (%00), som ikke er tilladt."


@pytest.mark.parametrize(
    "url",
    [
        "/sager/%00/",
        "/sager/2009-%0068440/historik/",
        "/kalender/%00/mine.ics",
        "/moeder/%00",
        "/sager/?q=%00",
        "/soeg/?q=a%00b",
        "/planer/?q=%00&status=idea",
        "/medfinansiering/?administration=%00",
    ],
)
def test_nul_in_path_or_query_is_a_400_in_danish(client_for, politician, url):
    response = client_for(politician).get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")


def test_nul_is_refused_before_sign_in_too(client):
    response = client.get("/kalender/%00/mine.ics")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_nul_answer_follows_the_chosen_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/sager/%00/")
    assert response.status_code == 400
    assert "The address contains a NUL character" in response.content.decode()


def test_ordinary_percent_signs_are_not_refused(client_for, politician):
    assert client_for(politician).get("/soeg/", {"q": "100%"}).status_code == 200


@pytest.mark.parametrize("field", ["location", "day", "start", "committee"])
def test_nul_in_a_meeting_field_is_a_form_error_and_nothing_is_saved(client_for, secretary, field):
    committee = factories.committee()
    data = {"committee": committee.pk, "day": "2024-05-28", "start": "15:00", "location": "R"}
    data[field] = f"{data[field]}\x00"
    response = client_for(secretary).post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode() or "errorlist" in response.content.decode()
    assert not Meeting.objects.exists()


def test_nul_in_an_item_title_is_a_form_error(client_for, secretary):
    committee = factories.committee()
    data = factories.item_form_data(
        title="Punkt\x00", decided_by=committee.pk, recommending_administration=""
    )
    response = client_for(secretary).post(reverse("cases:item_create"), data)
    assert response.status_code == 200
    assert "Null-tegn er ikke tilladte." in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_nul_in_an_attachment_file_name_never_reaches_the_database(client_for, secretary):
    item = factories.item(factories.meeting())
    for name in ("bi\x00lag.pdf", "bilag.pdf\x00.exe", "\x00"):
        upload = SimpleUploadedFile(name, b"%PDF-1.4\n%demo\n", content_type="application/pdf")
        response = client_for(secretary).post(
            reverse("cases:attachment_create", args=[item.pk]), {"title": "Bilag", "file": upload}
        )
        assert response.status_code in (200, 302)
    for attachment in Attachment.objects.all():  # (SQLite's LIKE cannot look for a NUL)
        assert "\x00" not in attachment.original_filename
        assert "\x00" not in attachment.file.name


def test_oversize_text_is_a_form_error_not_a_database_error(client_for, secretary):
    committee = factories.committee()
    response = client_for(secretary).post(
        reverse("meetings:meeting_create"),
        {"committee": committee.pk, "day": "2024-05-28", "start": "15:00", "location": "x" * 201},
    )
    assert response.status_code == 200
    assert "Denne værdi må højst have 200 tegn (den har 201)." in response.content.decode()
    assert not Meeting.objects.exists()
