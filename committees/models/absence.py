from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class MeetingAbsence(TrackedModel):
    """A member who was absent from a meeting (afbud), recorded for the minutes."""

    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    person = models.ForeignKey(
        "committees.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_absences",
    )

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_absence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"
