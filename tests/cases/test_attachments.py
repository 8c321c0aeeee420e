"""Uploading attachments: type checked by content, size limit, Danish messages, æ/ø/å kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment
from committees.models import Meeting, Membership
from tests import factories

pytestmark = pytest.mark.django_db

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64


@pytest.fixture
def item(client, secretary):
    client.force_login(secretary)
    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    factories.member(secretary, meeting.committee, role=Membership.Role.SECRETARY)
    return factories.item(meeting)


def upload(client, item, name, content, **fields):
    data = {"title": fields.pop("title", "Notat"), "file": SimpleUploadedFile(name, content)}
    data.update(fields)
    return client.post(reverse("cases:attachment_create", args=[item.pk]), data)


def error_page(response) -> str:
    assert response.status_code == 200
    content = response.content.decode()
    assert "Formularen blev ikke gemt. Ret følgende:" in content
    assert 'href="#id_file"' in content or 'href="#id_case_number"' in content
    assert not Attachment.objects.exists()
    return content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Notat om økonomi på Amager.pdf", b"%PDF-1.7\n..."),
        ("Budget.xlsx", factories.office_zip("xlsx")),
        ("Referat.docx", factories.office_zip("docx")),
        ("Slides.pptx", factories.office_zip("pptx")),
        ("Tekst.odt", factories.office_zip("odt")),
        ("Regneark.ods", factories.office_zip("ods")),
        ("Gammelt notat.doc", OLE),
        ("Gammelt regneark.xls", OLE),
    ],
)
def test_allowed_types_are_accepted(client, item, name, content):
    response = upload(client, item, name, content, case_number="2009-300035")
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    assert attachment.original_filename == name
    assert attachment.case_number == "2009-300035"
    assert attachment.size == len(content)


def test_attachments_are_numbered_in_order_and_keep_danish_names(client, item):
    upload(client, item, "Første bilag.pdf", b"%PDF-1.4\n", title="Første")
    upload(client, item, "Andet bilag – æøå.pdf", b"%PDF-1.4\n", title="Andet", is_closed="on")
    assert list(Attachment.objects.values_list("position", "title", "is_closed")) == [
        (1, "Første", False),
        (2, "Andet", True),
    ]
    second = Attachment.objects.get(position=2)
    response = client.get(reverse("cases:attachment_download", args=[second.pk]))
    assert (
        "filename*=utf-8''Andet%20bilag%20%E2%80%93%20%C3%A6%C3%B8%C3%A5.pdf"
        in (response["Content-Disposition"])
    )


def test_a_text_file_named_pdf_is_refused_by_its_content(client, item):
    content = error_page(upload(client, item, "bilag.pdf", b"Dette er ikke en PDF"))
    assert "Filen er ikke en PDF- eller Office-fil." in content
    assert "filtypen kontrolleres ud fra filens indhold" in content
    assert 'value="Notat"' in content  # the title typed is kept


def test_a_pdf_named_docx_is_refused(client, item):
    error_page(upload(client, item, "bilag.docx", b"%PDF-1.4\n"))


def test_a_plain_zip_named_docx_is_refused(client, item):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", "MZ")
    error_page(upload(client, item, "bilag.docx", buffer.getvalue()))


def test_an_executable_is_refused(client, item):
    error_page(upload(client, item, "program.exe", b"MZ\x90\x00"))


def test_an_empty_file_is_refused(client, item):
    assert "Filen er tom." in error_page(upload(client, item, "tom.pdf", b""))


def test_a_file_over_the_limit_is_refused(client, item, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    content = error_page(upload(client, item, "stor.pdf", b"%PDF-1.4\n" + b"x" * 2000))
    assert "Filen er for stor" in content
    assert "Grænsen er 1,0" in content


def test_a_bad_attachment_case_number_is_refused(client, item):
    content = error_page(upload(client, item, "bilag.pdf", b"%PDF-1.4\n", case_number="300035"))
    assert "Et sagsnummer ser sådan ud: 2019-0077034" in content


def test_no_file_chosen_gets_a_message(client, item):
    response = client.post(reverse("cases:attachment_create", args=[item.pk]), {"title": "X"})
    assert 'href="#id_file"' in error_page(response)
