from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.templatetags.dk import date_text


class Meeting(TrackedModel):
    """A committee meeting with an agenda (dagsorden) and minutes (beslutningsprotokol)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Agenda published")
        HELD = "held", _("Held")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")

    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    # Raised by every write to the meeting (core.versioning): a form carries the version it
    # was loaded with, so a save on top of somebody else's change is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["committee", "starts_at"], name="meeting_committee_date"),
            # The latest agenda items across all committees (front page, meeting list).
            models.Index(fields=["starts_at"], name="meeting_starts_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "starts_at"], name="meeting_one_per_committee_and_time"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "held", "minutes_approved"]),
                name="meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="minutes_approved") | Q(minutes_approved_at__isnull=False),
                name="meeting_approved_has_timestamp",
            ),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        local = timezone.localtime(self.starts_at)
        return f"{self.committee} {date_text(local, 'j. F Y')}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.MINUTES_APPROVED

    @property
    def has_started(self) -> bool:
        """The meeting's start time has passed: only then is it held, decided, approved
        (``committees.services.meeting_assert_started``)."""
        from django.utils import timezone

        return self.starts_at is not None and self.starts_at <= timezone.now()
