from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class Correction(TrackedModel):
    """A recorded correction (rettelse) of an item or decision after the agenda is frozen.

    Approved minutes are never edited silently: the only way to change a locked
    meeting's item or decision is a correction with a reason, which names who
    changed which field from what to what, and shows on the item and in the history.
    """

    item = models.ForeignKey(
        "cases.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    decision = models.ForeignKey(
        "cases.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text=_("Set when the decision was corrected rather than the item."),
    )
    field = models.CharField(_("field"), max_length=50)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected"), default=timezone.now)

    class Meta:
        ordering = ["item", "corrected_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason"),
            models.CheckConstraint(condition=~Q(field=""), name="correction_has_field"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.field}"

    DECISION_FIELD_LABELS = {"text": _("decision text"), "outcome": _("outcome")}

    @property
    def field_label(self) -> str:
        from .agenda_item import AgendaItem

        if self.decision_id:
            return str(self.DECISION_FIELD_LABELS.get(self.field, self.field))
        model = AgendaItem
        try:
            return str(model._meta.get_field(self.field).verbose_name)
        except Exception:  # noqa: BLE001 - a renamed field still shows its code name
            return self.field

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)

    def _display(self, value: str) -> str:
        if self.decision_id and self.field == "outcome":
            from .decision import Decision

            return str(dict(Decision.Outcome.choices).get(value, value))
        return value
