from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.models import TrackedModel


class Decision(TrackedModel):
    """What the committee decided on an item (beslutning), recorded after the meeting."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        POSTPONED = "postponed", _("Postponed")
        NOTED = "noted", _("Noted")
        APPROVED_WITH_CHANGES = "approved_with_changes", _("Approved with changes")

    item = models.OneToOneField(
        "cases.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    outcome__in=[
                        "approved",
                        "rejected",
                        "postponed",
                        "noted",
                        "approved_with_changes",
                    ]
                ),
                name="decision_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"
