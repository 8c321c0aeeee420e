from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedFile(models.Model):
    """A PDF rendered in the background and kept through Django's storage API, with what
    it was rendered from: a meeting's agenda, package or minutes in one edition, or a
    report of another app's (``subject``: a plan's status report) as one kind of reader
    may read it (``audience``).

    ``source`` is the digest of what the PDF shows (``cases.rendering.source_of``: the
    HTML WeasyPrint is given, and for the package the attachments appended): a download
    serves the stored file only while the meeting still gives the same digest, so a
    change to anything the PDF shows is never served stale; a new digest asks for a new
    rendering. Derived data, like the front page's figures: no history of its own.
    """

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        PACKAGE = "package", _("Agenda with attachments")
        MINUTES = "minutes", _("Minutes")
        REPORT = "report", _("Report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be made")
        RENDERING = "rendering", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="rendered_files",
        null=True,
        blank=True,
    )
    # A document of another app's (registered with cases.rendering.register_subject), by
    # the page-cache scope of the page that shows the same data: "plan:34".
    subject = models.CharField(_("report of"), max_length=40, blank=True)
    # Such a report shows what its reader may see (closed items, drafts): one file per
    # kind of reader (``cases.rendering.audience_of``), made as the last one who asked.
    audience = models.CharField(_("kind of reader"), max_length=64, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A published version of the meeting's agenda (``AgendaVersion``), rendered from the
    # snapshot kept with it: what that version said, not what the agenda says now. Kept as
    # made once ready (the published document), never asked for again after a change.
    version = models.ForeignKey(
        "cases.AgendaVersion",
        verbose_name=_("agenda version"),
        on_delete=models.CASCADE,
        related_name="rendered_files",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("document"), max_length=10, choices=Kind.choices)
    edition = models.CharField(_("edition"), max_length=10)
    language = models.CharField(_("language"), max_length=10)
    # What the file in ``file`` was rendered from, and what the job under way renders.
    source = models.CharField(_("made from"), max_length=64)
    rendering = models.CharField(_("being made from"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("file"), upload_to="rendered/", blank=True)
    progress = models.PositiveSmallIntegerField(_("progress in percent"), default=0)
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    requested_at = models.DateTimeField(_("asked for"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "edition", "language"],
                condition=models.Q(version__isnull=True),
                name="renderedfile_one_per_document",
            ),
            models.UniqueConstraint(
                fields=["version", "kind", "edition", "language"],
                condition=models.Q(version__isnull=False),
                name="renderedfile_one_per_version",
            ),
            # A version's PDF is its meeting's document (of the agenda).
            models.CheckConstraint(
                condition=models.Q(version__isnull=True)
                | models.Q(meeting__isnull=False, kind="agenda"),
                name="renderedfile_version_of_a_meeting_agenda",
            ),
            models.UniqueConstraint(
                fields=["subject", "kind", "audience", "language"],
                condition=models.Q(meeting__isnull=True),
                name="renderedfile_one_per_report",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=False, subject="")
                | (models.Q(meeting__isnull=True) & ~models.Q(subject="")),
                name="renderedfile_of_a_meeting_or_a_subject",
            ),
        ]

    def __str__(self) -> str:
        owner = f"meeting {self.meeting_id}" if self.meeting_id else self.subject
        if self.version_id:
            owner = f"{owner}, version {self.version_id}"
        return f"{self.get_kind_display()} ({self.edition or self.audience[:8]}), {owner}"

    @property
    def is_ready(self) -> bool:
        return bool(self.file) and self.status == self.Status.READY
