"""PDFs rendered in the background and served from storage: a meeting's agenda, package
and minutes, and the reports of apps above this one (a plan's status report).

Rendering an agenda takes seconds (WeasyPrint), a package with its attachments longer,
a status report about three; in the request it held a web worker for all of it, on
every download. Now:

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
- **A published version** (v1, v2, the tillæg) keeps its agenda in both editions
  (:func:`current_version`): rendered from the snapshot kept with the version, asked for
  with the publication and, for versions published before, on their first download;
  once made it is served as made (the document that was published), never made again
  because the meeting or a template changed.
- **A report** of an app above this one (registered with :func:`register_subject`:
  ``helhedsplaner`` registers its plans' status reports) is named by its *subject*, the
  page-cache scope of the page that shows the same data (``plan:34``). It shows what
  its reader may see: it is kept once per kind of reader (``audience``: the page
  cache's reader key, without its memo) and made as the last reader who asked for it.
  After a commit that raises its subject's scope (or a scope every such page shows:
  the city's indicators), the reports already asked for are made again in the
  background (:func:`again_after_commit`), a few seconds later so a burst of saves
  costs one rendering. So are a meeting's documents after a change to what its agenda
  page shows.
- **The digest is kept** under the versions of the page-cache scopes of the page that
  shows the same data (the meeting's agenda page, the plan's status page) and the day:
  a download of an unchanged document costs a few lookups, not an HTML rendering. The
  worker always computes it afresh.
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committees.models import Meeting
from core import pagecache

from . import pdf
from .models import AgendaVersion, RenderedFile

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
# How long after a change to a report's subject it is made again (the saves within it
# are in the one rendering).
REPORTS_AFTER = timedelta(seconds=5)


@dataclass(frozen=True)
class Subject:
    """A kind of report an app above this one renders here (:func:`register_subject`)."""

    html: Callable  # (pk, user) -> the report's HTML as ``user`` may read it
    shared_scopes: tuple[str, ...] = ()  # scopes every such report shows besides its own


# subject prefix ("plan") -> how its reports are made.
_subjects: dict[str, Subject] = {}


def register_subject(prefix: str, *, html: Callable, shared_scopes: Iterable[str] = ()):
    """Render reports of ``prefix:<pk>`` (the page-cache scope of the page whose data
    they show) with ``html(pk, user)``, from an app's ``ready()``."""
    _subjects[prefix] = Subject(html=html, shared_scopes=tuple(shared_scopes))


def _subject_of(subject: str) -> tuple[Subject, int]:
    prefix, _colon, pk = subject.partition(":")
    return _subjects[prefix], int(pk)


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def audience_of(user) -> str:
    """What decides what ``user`` may read in a status report, as a short hash."""
    return pagecache.reader_parts_key(user)


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


@dataclass
class Document:
    """One PDF as it is asked for: a meeting's document in an edition, or the report of a
    registered subject as ``reader`` may read it."""

    kind: str
    meeting: Meeting | None = None
    edition: pdf.Edition | None = None
    subject: str = ""
    reader: object = None
    version: AgendaVersion | None = None
    _audience: str | None = field(default=None, repr=False)

    @classmethod
    def of_meeting(cls, meeting: Meeting, kind: str, edition: pdf.Edition) -> "Document":
        return cls(kind=kind, meeting=meeting, edition=edition)

    @classmethod
    def of_version(cls, version: AgendaVersion, edition: pdf.Edition) -> "Document":
        """A published version's agenda, from the snapshot kept with it."""
        return cls(kind=Kind.AGENDA, meeting=version.meeting, edition=edition, version=version)

    @classmethod
    def report(cls, subject: str, reader) -> "Document":
        return cls(kind=Kind.REPORT, subject=subject, reader=reader)

    @classmethod
    def of_row(cls, row: RenderedFile) -> "Document":
        if row.kind == Kind.REPORT:
            return cls(kind=row.kind, subject=row.subject, reader=row.asked_by)
        if row.version_id:
            return cls.of_version(row.version, pdf.Edition(row.edition))
        return cls(kind=row.kind, meeting=row.meeting, edition=pdf.Edition(row.edition))

    @property
    def audience(self) -> str:
        if self._audience is None:
            self._audience = audience_of(self.reader)
        return self._audience

    def lookup(self) -> dict:
        """The fields that name this document's row (in the active language)."""
        if self.kind == Kind.REPORT:
            return {
                "subject": self.subject,
                "kind": self.kind,
                "audience": self.audience,
                "language": _language(),
            }
        if self.version is not None:
            return {
                "meeting": self.meeting,
                "version": self.version,
                "kind": self.kind,
                "edition": self.edition.value,
                "language": _language(),
            }
        return {
            "meeting": self.meeting,
            "version": None,
            "kind": self.kind,
            "edition": self.edition.value,
            "language": _language(),
        }

    def scopes(self) -> list[str]:
        """The page-cache scopes of the page that shows what this document shows."""
        if self.kind == Kind.REPORT:
            return [self.subject, *_subject_of(self.subject)[0].shared_scopes]
        return [pagecache.meeting_scope(self.meeting.pk)]

    def parts(self):
        """What the PDF is rendered from: the HTML, and for the package its items."""
        if self.version is not None:
            return pdf.version_agenda_html(version=self.version, edition=self.edition), None
        if self.kind == Kind.PACKAGE:
            return pdf.package_parts(meeting=self.meeting, edition=self.edition)
        if self.kind == Kind.MINUTES:
            return pdf.meeting_minutes_html(meeting=self.meeting, edition=self.edition), None
        if self.kind == Kind.REPORT:
            subject, pk = _subject_of(self.subject)
            return subject.html(pk, self.reader), None
        return pdf.meeting_agenda_html(meeting=self.meeting, edition=self.edition), None

    def render(self, parts, progress) -> bytes:
        if self.kind == Kind.PACKAGE:
            return pdf.meeting_package_pdf(
                meeting=self.meeting, edition=self.edition, parts=parts, progress=progress
            )
        return pdf.html_to_pdf(parts[0])

    def file_name(self, source: str) -> str:
        if self.kind == Kind.REPORT:
            owner, variant = self.subject.replace(":", "-"), self.audience[:12]
        else:
            owner, variant = str(self.meeting.pk), self.edition.value
            if self.version is not None:
                variant = f"v{self.version.number}-{variant}"
        return f"rendered/{owner}/{self.kind}-{variant}-{_language()}-{source[:16]}.pdf"


def parts_of(meeting: Meeting, kind: str, edition: pdf.Edition):
    """What a meeting's PDF is rendered from: the HTML, and for the package its items."""
    return Document.of_meeting(meeting, kind, edition).parts()


def source_of(kind: str, parts) -> str:
    html, items = parts
    digest = hashlib.sha256(html.encode())
    if items is not None:
        digest.update(_attachment_identity(items).encode())
    return digest.hexdigest()


def _kept_source(document: Document, *, fresh: bool = False) -> str:
    """The document's digest, kept under the versions of its page's scopes (and the day,
    the language and, for a report, the reader's key) while the page cache is on and
    nothing uncommitted may be in what it reads; else (and when ``fresh``) computed.
    The jobs ask ``fresh``: they may run after a commit before its versions are raised."""
    if fresh or not pagecache.enabled() or connection.in_atomic_block:
        return source_of(document.kind, document.parts())
    known = pagecache.versions([*document.scopes(), pagecache.REFERENCE, pagecache.ACCESS])
    variant = document.audience if document.kind == Kind.REPORT else document.edition.value
    key = ":".join(
        (
            "pdf-source",
            timezone.localdate().isoformat(),
            _language(),
            document.kind,
            variant,
            *(f"{scope}={version}" for scope, version in sorted(known.items())),
        )
    )
    cache = pagecache.fragment_cache()
    source = cache.get(key)
    if source is None:
        source = source_of(document.kind, document.parts())
        cache.set(key, source)
    return source


# -- asking for a rendering -------------------------------------------------------------------


def _ask(document: Document, source: str, *, again=False):
    """Ask for ``source`` to be rendered unless it is stored or under way; the row."""
    with transaction.atomic():
        row, _created = RenderedFile.objects.select_for_update().get_or_create(
            **document.lookup(),
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
        if document.kind == Kind.REPORT:
            row.asked_by = document.reader
        row.save()
    # Enqueued in the caller's transaction, if there is one: with the database backend the
    # job is committed with the request for it (a worker cannot see one without the
    # other); the immediate backend (tests) renders it here and now.
    render_file.enqueue(row.pk, source)
    row.refresh_from_db()
    return row


def current_document(document: Document, *, again: bool = False, fresh: bool = False):
    """The stored PDF of ``document`` if it shows what the data shows now, else the row of
    the rendering asked for (or under way, or failed)."""
    source = _kept_source(document, fresh=fresh)
    row = RenderedFile.objects.filter(**document.lookup()).first()
    if row is not None and row.is_ready and row.source == source and not again:
        return row
    return _ask(document, source, again=again)


def current(meeting: Meeting, kind: str, edition: pdf.Edition, *, again: bool = False, fresh=False):
    """:func:`current_document` of a meeting's document."""
    return current_document(Document.of_meeting(meeting, kind, edition), again=again, fresh=fresh)


def current_version(version: AgendaVersion, edition: pdf.Edition, *, again: bool = False):
    """The stored PDF of a published version's agenda, else the row of the rendering asked
    for (from the version's snapshot). Once made it is served as made: it is the document
    that was published, so neither a later change to the meeting nor one to the templates
    makes it again (``again`` does, for the secretariat after a failure)."""
    document = Document.of_version(version, edition)
    row = RenderedFile.objects.filter(**document.lookup()).first()
    if row is not None and row.is_ready and not again:
        return row
    return _ask(document, source_of(document.kind, document.parts()), again=again)


def current_report(subject: str, user, *, again: bool = False):
    """:func:`current_document` of the report of ``subject`` as ``user`` may read it."""
    return current_document(Document.report(subject, user), again=again)


def ask_at_publish(meeting: Meeting) -> None:
    """In a publication's transaction: render what the readers will download, in the
    background (committed with the publication). ``PDF_RENDER_AT_PUBLISH`` turns it off
    (the test settings, where the immediate backend would render every agenda a test
    publishes)."""
    if getattr(settings, "PDF_RENDER_AT_PUBLISH", True):
        render_meeting.enqueue(meeting.pk, translation.get_language())


def again_after_commit(scopes: set[str], unaccounted: set[str]) -> None:
    """After a commit (``core.pagecache.after_commit``): ask again, :data:`REPORTS_AFTER`
    from now, for the PDFs made before that the commit changed: a meeting's documents
    when it raised the meeting's scope, a report when it raised its subject's (or a
    scope every such report shows), all of them after writes nobody accounted for or a
    change of reference data. Once per meeting or subject and process within that time,
    and only what no longer shows what the data show is rendered. Not after a change of
    who may see what (``access``): a reader whose access changed is a new kind of reader
    (``audience_of``), whose report their next download asks for. Never fails the
    commit's other after-commit work: what is not asked for now is asked for by its next
    download."""
    shared = {scope for subject in _subjects.values() for scope in subject.shared_scopes}
    everything = bool(unaccounted) or pagecache.REFERENCE in scopes
    every_report = everything or bool(scopes & shared)
    meeting_prefix = pagecache.meeting_scope("")
    meetings = {int(s.removeprefix(meeting_prefix)) for s in scopes if s.startswith(meeting_prefix)}
    prefixes = tuple(f"{prefix}:" for prefix in _subjects)
    subjects = {scope for scope in scopes if prefixes and scope.startswith(prefixes)}
    if not (everything or every_report or meetings or subjects):
        return
    try:
        with transaction.atomic():  # a savepoint, if there is a transaction around
            rows = RenderedFile.objects.all()
            meeting_rows = rows.filter(meeting__isnull=False, version__isnull=True)
            if not everything:
                meeting_rows = meeting_rows.filter(meeting_id__in=meetings)
            report_rows = rows.filter(kind=Kind.REPORT)
            if not every_report:
                report_rows = report_rows.filter(subject__in=subjects)
            asked = [
                (render_meeting_again, pk)
                for pk in sorted(set(meeting_rows.values_list("meeting_id", flat=True)))
            ] + [
                (render_reports, subject)
                for subject in sorted(set(report_rows.values_list("subject", flat=True)))
            ]
        cache = pagecache.fragment_cache()
        for job, key in asked:
            if cache.add(f"again:{job.name}:{key}", 1, timeout=REPORTS_AFTER.total_seconds()):
                if job.get_backend().supports_defer:
                    job = job.using(run_after=timezone.now() + REPORTS_AFTER)
                job.enqueue(key)
    except Exception:
        if RenderedFile._meta.db_table in connection.introspection.table_names():
            logger.exception("PDFs were not asked for again after a commit")
        # else: a migration's data step, before the table exists


def forget_reports(subject: str) -> None:
    """The subject is gone (a plan deleted): its reports and, after the commit, their files."""
    rows = RenderedFile.objects.filter(kind=Kind.REPORT, subject=subject)
    names = [name for name in rows.values_list("file", flat=True) if name]
    rows.delete()
    storage = RenderedFile._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


# -- the jobs ---------------------------------------------------------------------------------


@task()
def render_meeting(meeting_id: int, language: str | None = None) -> None:
    """Ask for every document of :data:`AT_PUBLISH` that is not stored as it is now."""
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    if meeting is None:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        for kind, edition in AT_PUBLISH:
            current(meeting, kind, edition, fresh=True)
        # Each published version keeps its agenda in both editions (the one just
        # published, and any published before this was kept).
        for version in meeting.agenda_versions.select_related("meeting__committee"):
            if pdf.version_printable(version):
                for edition in pdf.Edition:
                    current_version(version, edition)


@task()
def render_meeting_again(meeting_id: int) -> None:
    """Ask again for each document of the meeting made before, in its language (each one
    only if it no longer shows what the meeting shows)."""
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    if meeting is None:
        return
    made = RenderedFile.objects.filter(meeting=meeting, version__isnull=True).values_list(
        "kind", "edition", "language"
    )
    for kind, edition, language in sorted(set(made)):
        with translation.override(language):
            current(meeting, kind, pdf.Edition(edition), fresh=True)


@task()
def render_reports(subject: str) -> None:
    """Ask again for each report of ``subject`` made before, as its last reader may read
    it, in its language (each one only if it no longer shows what the data show)."""
    rows = RenderedFile.objects.filter(kind=Kind.REPORT, subject=subject).select_related("asked_by")
    for row in rows:
        if row.asked_by is None or not row.asked_by.is_active:
            continue
        with translation.override(row.language):
            document = Document.of_row(row)
            if document.audience != row.audience:
                continue  # the reader's access changed: their next download asks anew
            current_document(document, fresh=True)


def _report(pk: int, source: str, **values) -> int:
    return RenderedFile.objects.filter(pk=pk, rendering=source).update(**values)


@task()
def render_file(pk: int, source: str) -> None:
    """Render the document of row ``pk`` if it still asks for ``source``, and store it."""
    row = (
        RenderedFile.objects.select_related("meeting__committee", "asked_by", "version__meeting")
        .filter(pk=pk)
        .first()
    )
    if row is None or row.rendering != source:
        return  # superseded by a newer request
    if row.is_ready and row.source == source:
        return  # made already (asked for twice: a worker that seemed to have died)
    document = Document.of_row(row)
    if row.kind == Kind.REPORT and row.asked_by is None:
        _report(pk, source, status=Status.QUEUED, requested_at=None)
        return  # its reader is gone: the next download asks for it as its reader
    _report(
        pk, source, status=Status.RENDERING, attempts=row.attempts + 1, requested_at=timezone.now()
    )
    try:
        with translation.override(row.language):
            parts = document.parts()
            if source_of(row.kind, parts) != source:
                # The data changed since it was asked for: the next download asks for
                # what it shows then.
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

            content = document.render(parts, progress)
            name = document.file_name(source)
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
