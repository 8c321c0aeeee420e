from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class Committee(TrackedModel):
    """A political body that meets and decides: BR, ØU, a standing or special committee."""

    class Kind(models.TextChoices):
        CITY_COUNCIL = "city_council", _("City council")
        FINANCE_COMMITTEE = "finance_committee", _("Finance committee")
        STANDING_COMMITTEE = "standing_committee", _("Standing committee")
        SPECIAL_COMMITTEE = "special_committee", _("Special committee (§ 17, stk. 4)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("abbreviation"), max_length=20, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("administration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        help_text=_("The administration that serves the committee."),
    )
    mandate = models.TextField(_("mandate"), blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    # A § 17, stk. 4 committee exists by a decision of the city council: which one, as a
    # reference (committees sits below cases, so no link to the agenda item itself).
    established_by = models.CharField(
        _("established by"),
        max_length=200,
        blank=True,
        help_text=_(
            "The city council's decision that set the committee up, "
            "e.g. “BR-beslutning 12. maj 2022, punkt 14”."
        ),
    )
    established_on = models.DateField(_("date of the decision"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "city_council",
                        "finance_committee",
                        "standing_committee",
                        "special_committee",
                    ]
                ),
                name="committee_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="committee_period_start_before_end",
            ),
            models.CheckConstraint(
                condition=~Q(kind="special_committee")
                | (
                    Q(period_end__isnull=False)
                    & Q(established_on__isnull=False)
                    & ~Q(established_by="")
                ),
                name="committee_special_established_and_ends",
                violation_error_message=_(
                    "A special committee (§ 17, stk. 4) is set up by a decision of the city "
                    "council for a limited time: give the decision, its date and the end date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name
