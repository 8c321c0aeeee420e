"""A meeting's PDFs rendered in the background and served from storage (cases.rendering)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from cases import pdf, rendering, services
from cases.models import AgendaItem, RenderedFile
from committees.models import Meeting, Membership
from tests import factories
from tests.pdfs import pdf_bytes, text_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def meeting():
    committee = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")
    meeting = factories.meeting(committee)
    item = factories.item(meeting, number=1, title="Helhedsplan for Tingbjerg")
    factories.attachment(
        item,
        title="Notat",
        content=pdf.html_to_pdf("<html lang='da'><title>N</title><p>Notatets tekst</p></html>"),
        filename="Notat.pdf",
    )
    return meeting


def _agenda(meeting, edition=""):
    return reverse("pdf:meeting_agenda", args=[meeting.pk]) + edition


@pytest.fixture
def no_weasyprint(monkeypatch):
    """From here on, rendering a PDF fails the test."""

    def refuse(html):
        raise AssertionError("rendered in the request")

    def arm():
        monkeypatch.setattr(pdf, "html_to_pdf", refuse)
        monkeypatch.setattr(pdf, "_document", refuse)

    return arm


def test_a_download_is_rendered_once_and_then_served_from_storage(
    client, secretary, meeting, no_weasyprint
):
    client.force_login(secretary)
    first = client.get(_agenda(meeting))
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    first_pdf = pdf_bytes(first)
    stored = RenderedFile.objects.get(meeting=meeting, kind="agenda")
    assert stored.status == RenderedFile.Status.READY and stored.file.name.startswith("rendered/")
    no_weasyprint()
    again = client.get(_agenda(meeting))
    assert again.status_code == 200
    again_pdf = pdf_bytes(again)
    assert again_pdf == first_pdf
    assert "Helhedsplan for Tingbjerg" in "\n".join(text_of(again_pdf))


def test_a_change_the_pdf_shows_is_never_served_stale(
    client, secretary, meeting, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    client.get(_agenda(meeting))
    old = RenderedFile.objects.get(meeting=meeting, kind="agenda")
    item = AgendaItem.objects.get(meeting=meeting, number=1)
    item.title = "Helhedsplan for Bispebjerg"
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        text = "\n".join(text_of(pdf_bytes(client.get(_agenda(meeting)))))
    assert "Bispebjerg" in text and "Tingbjerg" not in text
    new = RenderedFile.objects.get(pk=old.pk)
    assert new.source != old.source and new.file.name != old.file.name
    assert not old.file.storage.exists(old.file.name)  # the old file is gone


@pytest.mark.django_db(transaction=True)
def test_a_change_to_the_meeting_makes_its_pdfs_again_before_anyone_asks(
    client, secretary, meeting, monkeypatch
):
    # Through a real commit: the page-cache hook asks again for what was made before
    # (the immediate backend makes it at once), so the next download is the stored file.
    client.force_login(secretary)
    client.get(_agenda(meeting))
    public = _agenda(meeting, "?udgave=offentlig")
    client.get(public)
    before = {row.pk: row.source for row in RenderedFile.objects.filter(meeting=meeting)}
    assert len(before) == 2
    item = AgendaItem.objects.get(meeting=meeting, number=1)
    item.title = "Helhedsplan for Bispebjerg"
    item.save()
    after = {row.pk: row for row in RenderedFile.objects.filter(meeting=meeting)}
    assert all(row.is_ready and row.source != before[pk] for pk, row in after.items())

    def refuse(html):
        raise AssertionError("rendered in the request")

    monkeypatch.setattr(pdf, "html_to_pdf", refuse)
    for url in (_agenda(meeting), public):
        text = "\n".join(text_of(pdf_bytes(client.get(url))))
        assert "Bispebjerg" in text and "Tingbjerg" not in text


def test_each_edition_and_language_is_a_document_of_its_own(client, politician, meeting):
    closed = factories.item(meeting, number=2, title="Fortroligt køb", is_closed=True)
    factories.member(politician, meeting.committee)
    client.force_login(politician)
    members = "\n".join(text_of(pdf_bytes(client.get(_agenda(meeting)))))
    public = "\n".join(text_of(pdf_bytes(client.get(_agenda(meeting, "?udgave=offentlig")))))
    assert closed.title in members and closed.title not in public
    editions = set(RenderedFile.objects.values_list("edition", "language"))
    assert editions == {("members", "da"), ("public", "da")}


def test_publishing_renders_both_editions_and_the_package_in_the_background(
    client, secretary, meeting, settings, no_weasyprint
):
    settings.PDF_RENDER_AT_PUBLISH = True
    services.meeting_publish(meeting=meeting, user=secretary)
    rows = RenderedFile.objects.filter(
        meeting=meeting, version__isnull=True, status=RenderedFile.Status.READY
    )
    assert sorted(rows.values_list("kind", "edition")) == [
        ("agenda", "members"),
        ("agenda", "public"),
        ("package", "members"),
        ("package", "public"),
    ]
    no_weasyprint()  # the readers' downloads render nothing
    factories.member(secretary, meeting.committee, role=Membership.Role.SECRETARY)
    client.force_login(secretary)
    package = client.get(reverse("pdf:meeting_package", args=[meeting.pk]))
    assert package.status_code == 200
    assert "Notatets tekst" in "\n".join(text_of(pdf_bytes(package)))


@override_settings(TASKS=DUMMY)
def test_without_a_worker_the_download_says_the_pdf_is_being_made(client, politician, meeting):
    client.force_login(politician)
    response = client.get(_agenda(meeting))
    page = response.content.decode()
    assert response.status_code == 202
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "PDF&#x27;en venter på at blive lavet." in page or "venter på at blive lavet" in page
    assert '<progress id="pdf-progress" max="100" value="0">' in page
    row = RenderedFile.objects.get(meeting=meeting)
    assert row.status == RenderedFile.Status.QUEUED and not row.file
    # Asked for once: the page reloading itself does not queue it again.
    client.get(_agenda(meeting))
    assert RenderedFile.objects.get(pk=row.pk).requested_at == row.requested_at


def test_a_failed_rendering_says_why_and_the_secretary_has_it_made_again(
    client, politician, secretary, meeting, monkeypatch
):
    real = pdf.html_to_pdf

    def broken(html):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    client.force_login(politician)
    response = client.get(_agenda(meeting))
    page = response.content.decode()
    assert response.status_code == 202 and "PDF&#x27;en kunne ikke laves" in page
    assert "RuntimeError" in page and 'http-equiv="refresh"' not in page
    assert "Prøv igen" not in page  # a reader cannot ask again
    assert client.post(_agenda(meeting)).status_code == 403

    monkeypatch.setattr(pdf, "html_to_pdf", real)
    client.force_login(secretary)
    public = _agenda(meeting, "?udgave=offentlig")  # the edition the politician asked for
    assert "Prøv igen" in client.get(public).content.decode()
    retried = client.post(public)
    assert retried.status_code == 302
    response = client.get(retried["Location"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert RenderedFile.objects.get(meeting=meeting).attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_what_a_download_asked_for(
    client, secretary, meeting, on_postgres, settings, tmp_path
):
    # The database backend and a worker process of its own (manage.py db_worker), as in
    # production: the download is answered at once with the page that says the PDF is
    # being made; the worker renders it; the next download serves the stored file. The
    # package, with a damaged attachment beside the good one: the job does not fail, the
    # damaged file is left out with a note in its place.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    item = meeting.agenda_items.get()
    factories.attachment(
        item, title="Beskadiget", content=b"%PDF-1.7\n" + b"\x00" * 500, filename="B.pdf"
    )
    client.force_login(secretary)
    package = reverse("pdf:meeting_package", args=[meeting.pk])
    assert client.get(_agenda(meeting)).status_code == 202
    assert client.get(package).status_code == 202
    worker = subprocess.run(
        WORKER, cwd=ROOT, env=_worker_env(settings), capture_output=True, text=True, timeout=300
    )
    assert worker.returncode == 0, worker.stderr
    rows = RenderedFile.objects.filter(meeting=meeting)
    assert {row.kind: row.status for row in rows} == {
        RenderedFile.Kind.AGENDA: RenderedFile.Status.READY,
        RenderedFile.Kind.PACKAGE: RenderedFile.Status.READY,
    }
    response = client.get(_agenda(meeting))
    assert response.status_code == 200
    assert "Helhedsplan for Tingbjerg" in "\n".join(text_of(pdf_bytes(response)))
    response = client.get(package)
    assert response.status_code == 200
    text = "\n".join(text_of(pdf_bytes(response)))
    assert "Notatets tekst" in text  # the good attachment
    assert "fordi filen er beskadiget" in text  # the note in place of the damaged one


@pytest.mark.django_db(transaction=True)
def test_publishing_with_a_real_worker_makes_the_pdfs_ready_before_anyone_asks(
    client, politician, secretary, meeting, on_postgres, settings, no_weasyprint
):
    # Publish through the secretary's page; the worker process (the database backend)
    # renders what publishing asked for; the readers' downloads render nothing.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PDF_RENDER_AT_PUBLISH = True
    meeting.status = Meeting.Status.DRAFT
    meeting.save()
    factories.member(secretary, meeting.committee, role=Membership.Role.SECRETARY)
    client.force_login(secretary)
    published = client.post(reverse("meetings:meeting_publish", args=[meeting.pk]))
    assert published.status_code == 302
    assert not RenderedFile.objects.filter(meeting=meeting, status="ready").exists()
    worker = subprocess.run(
        WORKER, cwd=ROOT, env=_worker_env(settings), capture_output=True, text=True, timeout=300
    )
    assert worker.returncode == 0, worker.stderr
    ready = RenderedFile.objects.filter(meeting=meeting, status="ready")
    # agenda and package in both editions, and version 1's agenda in both editions
    assert ready.filter(version__isnull=True).count() == 4
    assert ready.filter(version__number=1).count() == 2
    no_weasyprint()
    client.force_login(politician)
    for url in (_agenda(meeting), reverse("pdf:meeting_package", args=[meeting.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Helhedsplan for Tingbjerg" in "\n".join(text_of(pdf_bytes(response)))


# A worker process of its own, on the test's database and media, with the database backend.
WORKER = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "-v0"]


def _worker_env(settings) -> dict:
    options = connection.settings_dict
    database = (
        f"postgres://{options['USER']}@{options['HOST'] or '127.0.0.1'}:{options['PORT'] or 5432}"
        f"/{options['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_TEST_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }


def test_the_source_is_what_the_pdf_is_made_of(meeting):
    edition = pdf.Edition.PUBLIC
    parts = rendering.parts_of(meeting, RenderedFile.Kind.AGENDA, edition)
    assert rendering.source_of(RenderedFile.Kind.AGENDA, parts) == rendering.source_of(
        RenderedFile.Kind.AGENDA, rendering.parts_of(meeting, RenderedFile.Kind.AGENDA, edition)
    )
    package = rendering.parts_of(meeting, RenderedFile.Kind.PACKAGE, edition)
    before = rendering.source_of(RenderedFile.Kind.PACKAGE, package)
    attachment = AgendaItem.objects.get(meeting=meeting, number=1).attachments.get()
    attachment.title = "Notat, rettet"  # printed in the agenda: the HTML changes
    attachment.save()
    after = rendering.parts_of(meeting, RenderedFile.Kind.PACKAGE, edition)
    assert rendering.source_of(RenderedFile.Kind.PACKAGE, after) != before


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_nothing_half_made_and_the_job_is_asked_again(
    client, secretary, on_postgres, settings
):
    # A package of many attachments takes the worker seconds; it is killed (SIGKILL) while
    # rendering. No file is served and the row does not claim to be ready; once the job
    # has been quiet for STALE_AFTER, the next download asks for it again and a new
    # worker makes it.
    import signal
    import time
    from datetime import timedelta

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    committee = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    meeting = factories.meeting(committee)
    page = "<p>" + "Tekst på bilaget. " * 400 + "</p>"
    attachment_pdf = pdf.html_to_pdf(f"<html lang='da'><title>B</title>{page * 6}</html>")
    for number in range(1, 13):
        item = factories.item(meeting, number=number, title=f"Punkt {number}")
        factories.attachment(item, title=f"Bilag {number}", content=attachment_pdf)
    factories.member(secretary, committee, role=Membership.Role.SECRETARY)
    client.force_login(secretary)
    package = reverse("pdf:meeting_package", args=[meeting.pk])
    assert client.get(package).status_code == 202
    env = _worker_env(settings)
    worker = subprocess.Popen(WORKER, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while RenderedFile.objects.get(meeting=meeting).status != RenderedFile.Status.RENDERING:
            assert time.monotonic() < deadline and worker.poll() is None, "never started"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    row = RenderedFile.objects.get(meeting=meeting)
    assert row.status == RenderedFile.Status.RENDERING and not row.file and not row.is_ready
    assert client.get(package).status_code == 202  # not served, and not asked for twice
    assert RenderedFile.objects.get(pk=row.pk).requested_at == row.requested_at

    RenderedFile.objects.filter(pk=row.pk).update(
        requested_at=row.requested_at - rendering.STALE_AFTER - timedelta(seconds=1)
    )
    assert client.get(package).status_code == 202  # asked for again
    done = subprocess.run(WORKER, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    response = client.get(package)
    assert response.status_code == 200
    assert "Bilag 12" in "\n".join(text_of(pdf_bytes(response)))
