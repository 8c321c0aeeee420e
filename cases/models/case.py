from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel

from ..numbering import MAX_LENGTH as CASE_NUMBER_MAX_LENGTH
from ..numbering import case_number_validator


class Case(TrackedModel):
    """A matter (sag) with a journal number; it may visit several committees."""

    number = models.CharField(
        _("case number"),
        max_length=CASE_NUMBER_MAX_LENGTH,
        unique=True,
        validators=[case_number_validator],
    )
    title = models.CharField(_("title"), max_length=300)
    administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("responsible administration"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    description = models.TextField(_("description"), blank=True)
    opened_on = models.DateField(_("opened"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__contains="-"), name="case_number_has_year_separator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:case_detail", kwargs={"number": self.number})


class CaseNumberSequence(models.Model):
    """The last assigned number per year; the row is locked while a number is drawn.

    Not history-tracked: it is a counter, not a record; the cases themselves are.
    """

    year = models.PositiveIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"
