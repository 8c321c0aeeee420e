from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedFile(models.Model):
    """A meeting's PDF (agenda, package or minutes, in one edition) rendered in the
    background and kept through Django's storage API, with what it was rendered from.

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
                name="renderedfile_one_per_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.edition}), {self.meeting_id}"

    @property
    def is_ready(self) -> bool:
        return bool(self.file) and self.status == self.Status.READY
