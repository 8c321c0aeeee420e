from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.templatetags.dk import dkk


class CoFinancingPool(TrackedModel):
    """A shared co-financing budget (medfinansieringspulje); never over-committed."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    start_year = models.PositiveIntegerField(_("first year"))
    end_year = models.PositiveIntegerField(_("last year"))
    budget = models.DecimalField(_("budget (DKK)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name = _("co-financing pool")
        verbose_name_plural = _("co-financing pools")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="pool_budget_non_negative"),
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")), name="pool_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The budget may not drop below what has already been granted from the pool."""
        if self.pk is None or self.budget is None:
            return
        committed = self.commitments.filter(
            status__in=[CoFinancing.Status.GRANTED, CoFinancing.Status.PAID]
        ).aggregate(total=Sum("amount"))["total"]
        if committed and self.budget < committed:
            raise ValidationError(
                {
                    "budget": _(
                        "The budget cannot be lower than what has been granted from the pool "
                        "(%(granted)s)."
                    )
                    % {"granted": dkk(committed)}
                }
            )


class CoFinancing(TrackedModel):
    """An administration's commitment of DKK to a plan for one year."""

    class Source(models.TextChoices):
        OWN_BUDGET = "own_budget", _("Own budget")
        POOL = "pool", _("Shared pool")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        GRANTED = "granted", _("Granted")
        PAID = "paid", _("Paid")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    plan = models.ForeignKey(
        "helhedsplaner.Plan",
        verbose_name=_("helhedsplan"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("administration"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    year = models.PositiveIntegerField(_("year"))
    amount = models.DecimalField(_("amount (DKK)"), max_digits=14, decimal_places=2)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.OWN_BUDGET
    )
    pool = models.ForeignKey(
        CoFinancingPool,
        verbose_name=_("pool"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    granted_by_item = models.ForeignKey(
        "cases.AgendaItem",
        verbose_name=_("granted by decision on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="granted_commitments",
    )
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Raised by every write to the commitment (core.versioning): a form carries the version it
    # was loaded with, so a save on top of somebody else's change is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["plan", "year", "administration"]
        verbose_name = _("co-financing commitment")
        verbose_name_plural = _("co-financing commitments")
        indexes = [models.Index(fields=["administration", "year"], name="commitment_admin_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="commitment_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="commitment_year_range"
            ),
            models.CheckConstraint(
                condition=Q(source="pool", pool__isnull=False)
                | Q(source="own_budget", pool__isnull=True),
                name="commitment_pool_iff_source_pool",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "granted", "paid", "withdrawn"]),
                name="commitment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.administration.code} → {self.plan} {self.year}: {self.amount}"


class CommitmentCorrection(TrackedModel):
    """A recorded correction of a granted or paid commitment: what changed, why, by whom.

    A granted commitment changes only through a new decision (``decided_by_item``)
    or a correction with a reason; plain edits are refused once it is granted.
    """

    commitment = models.ForeignKey(
        CoFinancing,
        verbose_name=_("co-financing commitment"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.TextField(_("reason"))
    decided_by_item = models.ForeignKey(
        "cases.AgendaItem",
        verbose_name=_("new decision on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitment_corrections",
    )
    changes = models.JSONField(
        _("changes"),
        default=list,
        blank=True,
        help_text=_("What changed: field, old value and new value, as shown at the time."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("commitment correction")
        verbose_name_plural = _("commitment corrections")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="commitment_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.reason[:50]}"


class HousingContribution(TrackedModel):
    """The housing organisation's own contribution to a plan (part of the local 25 %)."""

    plan = models.ForeignKey(
        "helhedsplaner.Plan",
        verbose_name=_("helhedsplan"),
        on_delete=models.PROTECT,
        related_name="housing_contributions",
    )
    amount = models.DecimalField(_("amount (DKK)"), max_digits=14, decimal_places=2)
    description = models.CharField(
        _("description"),
        max_length=200,
        help_text=_("E.g. the housing organisation's disposition fund or staff hours."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("housing organisation contribution")
        verbose_name_plural = _("housing organisation contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="housing_contribution_amount_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.amount}"
