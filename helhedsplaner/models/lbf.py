from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class LbfPeriod(TrackedModel):
    """A Landsbyggefonden allocation period (e.g. 2019–2026) with its own focus areas."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    start_year = models.PositiveIntegerField(_("first year"))
    end_year = models.PositiveIntegerField(_("last year"))

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("LBF period")
        verbose_name_plural = _("LBF periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")), name="lbf_period_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FocusArea(TrackedModel):
    """An indsatsområde; valid only for the LBF period it belongs to."""

    period = models.ForeignKey(
        LbfPeriod,
        verbose_name=_("LBF period"),
        on_delete=models.CASCADE,
        related_name="focus_areas",
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["period__start_year", "name"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(fields=["period", "name"], name="focus_area_unique_in_period"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period})"
