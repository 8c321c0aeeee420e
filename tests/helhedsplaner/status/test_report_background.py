"""The status report rendered in the background (cases.rendering): kept once per kind of
reader, served from storage, made again after a change to its plan without anyone
asking. Through the HTTP client; the after-commit hook and the kept digest need real
commits (transactional tests), the rest runs in the test transaction."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cases import pdf
from cases.models import RenderedFile
from committees.models import Meeting
from core import roles
from helhedsplaner.status import pdf as status_pdf
from tests import factories
from tests.pdfs import pdf_bytes, text_of


def _url(plan):
    return reverse("planstatus:plan_status_pdf", args=[plan.pk])


def _reader(name, role=roles.POLITICIAN) -> Client:
    client = Client()
    client.force_login(factories.user(role, name))
    return client


def _text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(page.split()) for page in text_of(pdf_bytes(response)))


@pytest.fixture
def built(monkeypatch):
    """How many times the report's HTML was built, and how many PDFs were rendered."""
    seen = {"html": 0, "pdf": 0}
    html, render = status_pdf.plan_status_report_html, pdf.html_to_pdf

    def count_html(**kwargs):
        seen["html"] += 1
        return html(**kwargs)

    def count_pdf(source):
        seen["pdf"] += 1
        return render(source)

    monkeypatch.setattr(status_pdf, "plan_status_report_html", count_html)
    monkeypatch.setattr(pdf, "html_to_pdf", count_pdf)
    return seen


@pytest.fixture
def closed_item(story):
    meeting = factories.meeting(story["tmu"], day=date(2022, 2, 1), status=Meeting.Status.HELD)
    item = factories.item(meeting, title="Køb af beboerhus", is_closed=True)
    story["plan"].agenda_items.add(item)
    return item


@pytest.mark.django_db(transaction=True)
def test_a_report_is_made_once_per_kind_of_reader_and_then_served_from_storage(
    story, closed_item, built, django_assert_max_num_queries
):
    plan = story["plan"]
    first, second = _reader("laeser1"), _reader("laeser2")
    text = _text(first.get(_url(plan)))
    assert "Lukket punkt" in text and "Køb af beboerhus" not in text
    assert built == {"html": 2, "pdf": 1}  # the digest in the request, the job's own

    # Again, and for another reader of the same kind: the stored file, no HTML built (the
    # digest is kept under the status page's scopes), a handful of queries.
    with django_assert_max_num_queries(8):
        again = first.get(_url(plan))
    assert _text(again) == text
    assert _text(second.get(_url(plan))) == text
    assert built == {"html": 2, "pdf": 1}
    assert RenderedFile.objects.filter(subject=f"plan:{plan.pk}").count() == 1

    # A member of the committee of the closed item reads it in full: a report of its own.
    member = factories.user(roles.POLITICIAN, "medlem")
    factories.member(member, story["tmu"])
    client = Client()
    client.force_login(member)
    assert "Køb af beboerhus" in _text(client.get(_url(plan)))
    assert RenderedFile.objects.filter(subject=f"plan:{plan.pk}").count() == 2
    assert built["pdf"] == 2


@pytest.mark.django_db(transaction=True)
def test_a_change_to_the_plan_makes_its_reports_again_without_anyone_asking(story, built):
    plan = story["plan"]
    reader = _reader("laeser")
    assert "Helhedsplan Tårnby" in _text(reader.get(_url(plan)))
    row = RenderedFile.objects.get(subject=f"plan:{plan.pk}")
    old_file = row.file.name

    plan.name = "Helhedsplan Tårnby Nord"
    plan.save()

    # The commit asked for the report again; the (immediate) backend made it at once.
    row.refresh_from_db()
    assert row.is_ready and row.file.name != old_file
    assert not row.file.storage.exists(old_file)
    rendered = built["pdf"]
    text = _text(reader.get(_url(plan)))
    assert "Helhedsplan Tårnby Nord" in text
    assert built["pdf"] == rendered  # the download served what the hook had made


@pytest.mark.django_db
def test_a_failed_report_says_why_and_its_reader_has_it_made_again(story, monkeypatch):
    plan = story["plan"]
    real = pdf.html_to_pdf

    def broken(html):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    reader = _reader("laeser")
    response = reader.get(_url(plan))
    page = response.content.decode()
    assert response.status_code == 202 and "PDF&#x27;en kunne ikke laves" in page
    assert "RuntimeError" in page and 'http-equiv="refresh"' not in page
    assert "Prøv igen" in page
    assert reverse("planstatus:plan_status", args=[plan.pk]) in page  # the way back

    monkeypatch.setattr(pdf, "html_to_pdf", real)
    retried = reader.post(_url(plan))
    assert retried.status_code == 302
    assert "Helhedsplan Tårnby" in _text(reader.get(retried["Location"]))
    assert RenderedFile.objects.get(subject=f"plan:{plan.pk}").attempts == 2


@pytest.mark.django_db
def test_without_a_worker_the_report_page_says_it_is_being_made(story, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = _reader("laeser").get(_url(story["plan"]))
    page = response.content.decode()
    assert response.status_code == 202
    assert 'http-equiv="refresh"' in page and "<progress" in page
    assert "Statusrapport – Helhedsplan Tårnby" in page


@pytest.mark.django_db(transaction=True)
def test_a_deleted_plan_takes_its_reports_and_their_files_with_it(story):
    plan = story["plan"]
    _text(_reader("laeser").get(_url(plan)))
    row = RenderedFile.objects.get(subject=f"plan:{plan.pk}")
    assert row.file.storage.exists(row.file.name)
    plan.commitments.all().delete()  # commitments protect their plan
    plan.delete()
    assert not RenderedFile.objects.filter(subject=f"plan:{plan.pk}").exists()
    assert not row.file.storage.exists(row.file.name)
