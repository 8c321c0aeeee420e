import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel

from ..numbering import MAX_LENGTH as CASE_NUMBER_MAX_LENGTH
from ..numbering import case_number_validator


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # Stored under a random name: the original (with æ/ø/å) is kept in the row
    # and given back on download. Never served directly from MEDIA_URL.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{uuid.uuid4().hex}{suffix}"


class Attachment(TrackedModel):
    """A numbered document (bilag) on an agenda item, with its own case number."""

    item = models.ForeignKey(
        "cases.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    position = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    case_number = models.CharField(
        _("case number"),
        max_length=CASE_NUMBER_MAX_LENGTH,
        blank=True,
        validators=[case_number_validator],
    )
    is_closed = models.BooleanField(_("closed attachment"), default=False)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, blank=True)
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="attachment_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="attachment_position_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
