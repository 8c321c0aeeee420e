"""A meeting's PDFs rendered in the background and served from storage.

Rendering an agenda takes seconds (WeasyPrint), a package with its attachments longer;
in the request it held a web worker for all of it, on every download. Now:

- **Publishing** an agenda (and each new version) asks for both editions of the agenda
  and the package (:func:`ask_at_publish`, committed with the publication); the worker
  renders them.
- **A download** (``cases.pdf_views``) checks who may read what first, as before, then
  asks :func:`current` for the stored file. It is served only if it was rendered from
  what the meeting shows now: ``source`` is a digest of the HTML WeasyPrint is given
  (and for the package of the attachments appended), computed afresh on every
  download, so any change that would change the PDF, whatever made it, makes the
  stored file unusable until it is rendered again. No list of what a PDF depends on
  to keep up to date.
- **Not ready**: the download answers with a page that says so and how far the job
  is, and reloads itself (``<meta http-equiv="refresh">``, no JavaScript). A failed job
  says why; the secretariat can ask again.

The jobs run on Django's Tasks API (the ``django-tasks`` backport of Django 6.0's
``django.tasks``) with the ``django-tasks-db`` database backend: a worker process
(``manage.py db_worker``) on any machine that reaches the database. Tests use the
immediate backend, which runs a job when it is enqueued.

Why nothing half-written is served: the job writes the PDF under a new name through
the storage API and only then, in a transaction that locks the row, points the row at
it, and only if the row still asks for the same source; the file it replaces is
deleted after that commit. A worker killed mid-job leaves the row "being made" with
its old file (or none); :func:`current` asks again once the job has been quiet for
:data:`STALE_AFTER`.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committees.models import Meeting

from . import pdf
from .models import RenderedFile

try:  # Django 6.0's own Tasks API, else the backport with the same API
    from django.tasks import task
except ImportError:  # pragma: no cover - Django 5.2
    from django_tasks import task

logger = logging.getLogger(__name__)

Kind = RenderedFile.Kind
Status = RenderedFile.Status
# A job that has not reported for this long is taken to have died with its worker.
STALE_AFTER = timedelta(minutes=10)
# What publishing asks for: both editions of the agenda and of the package.
AT_PUBLISH = [(kind, edition) for kind in (Kind.AGENDA, Kind.PACKAGE) for edition in pdf.Edition]


# -- what a PDF is made of --------------------------------------------------------------------


def _attachment_identity(items) -> str:
    """The attachments the package appends, as what identifies their content."""
    return repr(
        [
            (a.pk, a.file.name, a.size, a.updated_at.isoformat())
            for item in items
            for a in item.visible_attachments
        ]
    )


def parts_of(meeting: Meeting, kind: str, edition: pdf.Edition):
    """What the PDF is rendered from: the HTML, and for the package its items."""
    if kind == Kind.PACKAGE:
        return pdf.package_parts(meeting=meeting, edition=edition)
    if kind == Kind.MINUTES:
        return pdf.meeting_minutes_html(meeting=meeting, edition=edition), None
    return pdf.meeting_agenda_html(meeting=meeting, edition=edition), None


def source_of(kind: str, parts) -> str:
    html, items = parts
    digest = hashlib.sha256(html.encode())
    if items is not None:
        digest.update(_attachment_identity(items).encode())
    return digest.hexdigest()


def _render(meeting: Meeting, kind: str, edition: pdf.Edition, parts, progress) -> bytes:
    if kind == Kind.PACKAGE:
        return pdf.meeting_package_pdf(
            meeting=meeting, edition=edition, parts=parts, progress=progress
        )
    return pdf.html_to_pdf(parts[0])


# -- asking for a rendering -------------------------------------------------------------------


def _ask(meeting: Meeting, kind: str, edition: pdf.Edition, source: str, *, again=False):
    """Ask for ``source`` to be rendered unless it is stored or under way; the row."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        row, _created = RenderedFile.objects.select_for_update().get_or_create(
            meeting=meeting,
            kind=kind,
            edition=edition.value,
            language=language,
            defaults={"source": "", "status": Status.QUEUED},
        )
        now = timezone.now()
        if row.is_ready and row.source == source:
            return row
        under_way = row.rendering == source and row.status in (Status.QUEUED, Status.RENDERING)
        stale = row.requested_at is None or now - row.requested_at > STALE_AFTER
        failed = row.rendering == source and row.status == Status.FAILED
        if (under_way and not stale) or (failed and not again):
            return row
        row.rendering, row.status, row.progress, row.error = source, Status.QUEUED, 0, ""
        row.requested_at = now
        row.save()
    # Enqueued in the caller's transaction, if there is one: with the database backend the
    # job is committed with the request for it (a worker cannot see one without the
    # other); the immediate backend (tests) renders it here and now.
    render_file.enqueue(row.pk, source)
    row.refresh_from_db()
    return row


def current(meeting: Meeting, kind: str, edition: pdf.Edition, *, again: bool = False):
    """The stored PDF of this document if it shows what the meeting shows now, else the
    row of the rendering asked for (or under way, or failed)."""
    parts = parts_of(meeting, kind, edition)
    source = source_of(kind, parts)
    row = RenderedFile.objects.filter(
        meeting=meeting,
        kind=kind,
        edition=edition.value,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    ).first()
    if row is not None and row.is_ready and row.source == source and not again:
        return row
    return _ask(meeting, kind, edition, source, again=again)


def ask_at_publish(meeting: Meeting) -> None:
    """In a publication's transaction: render what the readers will download, in the
    background (committed with the publication). ``PDF_RENDER_AT_PUBLISH`` turns it off
    (the test settings, where the immediate backend would render every agenda a test
    publishes)."""
    if getattr(settings, "PDF_RENDER_AT_PUBLISH", True):
        render_meeting.enqueue(meeting.pk, translation.get_language())


# -- the jobs ---------------------------------------------------------------------------------


@task()
def render_meeting(meeting_id: int, language: str | None = None) -> None:
    """Ask for every document of :data:`AT_PUBLISH` that is not stored as it is now."""
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    if meeting is None:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        for kind, edition in AT_PUBLISH:
            current(meeting, kind, edition)


def _report(pk: int, source: str, **values) -> int:
    return RenderedFile.objects.filter(pk=pk, rendering=source).update(**values)


@task()
def render_file(pk: int, source: str) -> None:
    """Render the document of row ``pk`` if it still asks for ``source``, and store it."""
    row = RenderedFile.objects.select_related("meeting__committee").filter(pk=pk).first()
    if row is None or row.rendering != source:
        return  # superseded by a newer request
    if row.is_ready and row.source == source:
        return  # made already (asked for twice: a worker that seemed to have died)
    _report(
        pk, source, status=Status.RENDERING, attempts=row.attempts + 1, requested_at=timezone.now()
    )
    meeting, edition = row.meeting, pdf.Edition(row.edition)
    try:
        with translation.override(row.language):
            parts = parts_of(meeting, row.kind, edition)
            if source_of(row.kind, parts) != source:
                # The meeting changed since it was asked for: the next download asks
                # for what it shows then.
                _report(pk, source, status=Status.QUEUED, requested_at=None)
                return

            def progress(done: int, total: int) -> None:
                # Also the sign of life that keeps it from being asked for again.
                _report(
                    pk,
                    source,
                    progress=min(99, 100 * done // max(total, 1)),
                    requested_at=timezone.now(),
                )

            content = _render(meeting, row.kind, edition, parts, progress)
    except Exception as error:
        logger.exception("Rendering %s failed", row)
        _report(
            pk,
            source,
            status=Status.FAILED,
            error=_("The PDF could not be made (%(error)s).") % {"error": error.__class__.__name__},
            finished_at=timezone.now(),
        )
        raise
    name = f"rendered/{meeting.pk}/{row.kind}-{row.edition}-{row.language}-{source[:16]}.pdf"
    stored = RenderedFile._meta.get_field("file").storage.save(name, ContentFile(content))
    with transaction.atomic():
        row = RenderedFile.objects.select_for_update().get(pk=pk)
        if row.rendering != source:
            row.file.storage.delete(stored)  # superseded while it rendered
            return
        old = row.file.name
        row.file.name, row.source, row.status = stored, source, Status.READY
        row.progress, row.error, row.finished_at = 100, "", timezone.now()
        row.save()
        if old and old != stored:
            transaction.on_commit(lambda: row.file.storage.delete(old))
