from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.templatetags.dk import date_text


class HousingOrganisation(TrackedModel):
    """A boligorganisation, the landlord of one or more estates."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("housing organisation")
        verbose_name_plural = _("housing organisations")

    def __str__(self) -> str:
        return self.name


class Plan(TrackedModel):
    """A boligsocial helhedsplan: an LBF-funded master plan for one or more estates."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        PREQUALIFICATION = "prequalification", _("Pre-qualification")
        DIALOGUE = "dialogue", _("Dialogue with LBF")
        APPROVED = "approved", _("Approved")
        IMPLEMENTATION = "implementation", _("In implementation")
        EVALUATED = "evaluated", _("Evaluated")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The lifecycle: from each status, the statuses a plan may move to next.
    # Closed, rejected and withdrawn are final.
    TRANSITIONS = {
        Status.IDEA: (Status.PREQUALIFICATION, Status.WITHDRAWN),
        Status.PREQUALIFICATION: (Status.DIALOGUE, Status.REJECTED, Status.WITHDRAWN),
        Status.DIALOGUE: (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN),
        Status.APPROVED: (Status.IMPLEMENTATION, Status.WITHDRAWN),
        Status.IMPLEMENTATION: (Status.EVALUATED, Status.WITHDRAWN),
        Status.EVALUATED: (Status.CLOSED, Status.WITHDRAWN),
        Status.CLOSED: (),
        Status.REJECTED: (),
        Status.WITHDRAWN: (),
    }
    LBF_MAX_SHARE = Decimal("0.75")

    name = models.CharField(_("name"), max_length=200, unique=True)
    # Landsbyggefonden's case number for the plan: an import matches plans by it (or name).
    lbf_number = models.CharField(_("LBF case number"), max_length=30, blank=True, db_index=True)
    housing_organisation = models.ForeignKey(
        HousingOrganisation,
        verbose_name=_("housing organisation"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    area = models.ForeignKey(
        "helhedsplaner.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="plans"
    )
    lbf_period = models.ForeignKey(
        "helhedsplaner.LbfPeriod",
        verbose_name=_("LBF period"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEA
    )
    lead_administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("lead administration"),
        on_delete=models.PROTECT,
        related_name="led_plans",
    )
    participating_administrations = models.ManyToManyField(
        "committees.Administration",
        verbose_name=_("participating administrations"),
        related_name="participating_plans",
        blank=True,
    )
    focus_areas = models.ManyToManyField(
        "helhedsplaner.FocusArea", verbose_name=_("focus areas"), related_name="plans", blank=True
    )
    policy_goals = models.ManyToManyField(
        "helhedsplaner.PolicyGoal", verbose_name=_("policy goals"), related_name="plans", blank=True
    )
    follow_up_groups = models.ManyToManyField(
        "committees.FollowUpGroup",
        verbose_name=_("follow-up groups"),
        related_name="plans",
        blank=True,
    )
    agenda_items = models.ManyToManyField(
        "cases.AgendaItem",
        verbose_name=_("agenda items"),
        related_name="plans",
        blank=True,
        help_text=_("Committee items that concern the plan."),
    )
    budget = models.DecimalField(
        _("total budget (DKK)"), max_digits=14, decimal_places=2, default=0
    )
    lbf_grant = models.DecimalField(
        _("LBF grant (DKK)"), max_digits=14, decimal_places=2, default=0
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("The figures are invented for demonstration.")
    )
    # Bumped by every edit of the plan or its estates (helhedsplaner.plans.services.plan_update):
    # a form carries the version it was loaded with, so a stale save is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    _history_m2m_fields = [
        "participating_administrations",
        "focus_areas",
        "policy_goals",
        "follow_up_groups",
        "agenda_items",
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("helhedsplan")
        verbose_name_plural = _("helhedsplaner")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="plan_budget_non_negative"),
            models.CheckConstraint(
                condition=Q(lbf_grant__gte=0), name="plan_lbf_grant_non_negative"
            ),
            # LBF pays at most 75 %: at least 25 % is local co-financing.
            models.CheckConstraint(
                condition=Q(lbf_grant__lte=F("budget") * 3 / 4),
                name="plan_lbf_grant_at_most_75_percent",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="plan_period_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "idea",
                        "prequalification",
                        "dialogue",
                        "approved",
                        "implementation",
                        "evaluated",
                        "closed",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="plan_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The rules the check constraints enforce, as messages a caseworker can act on."""
        from core.templatetags.dk import dkk

        errors = {}
        if self.budget is not None and self.budget < 0:
            errors["budget"] = _("The amount must be 0 kr. or more.")
        if self.lbf_grant is not None and self.lbf_grant < 0:
            errors["lbf_grant"] = _("The amount must be 0 kr. or more.")
        elif (
            self.budget is not None
            and self.lbf_grant is not None
            and self.budget >= 0
            and self.lbf_grant * 4 > self.budget * 3
        ):
            errors["lbf_grant"] = ValidationError(
                _(
                    "LBF can cover at most 75 %% of the budget: at most %(maximum)s of "
                    "%(budget)s; at least 25 %% must be local co-financing. "
                    "The LBF grant entered is %(grant)s"
                ),
                code="lbf_share",
                params={
                    "maximum": dkk(self.budget * self.LBF_MAX_SHARE),
                    "budget": dkk(self.budget),
                    "grant": dkk(self.lbf_grant),
                },
            )
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_end"] = ValidationError(
                _(
                    "The period must start before it ends: the end %(end)s is before the "
                    "start %(start)s."
                ),
                code="period_order",
                params={
                    "start": date_text(self.period_start, "j. F Y"),
                    "end": date_text(self.period_end, "j. F Y"),
                },
            )
        if errors:
            raise ValidationError(errors)

    def next_statuses(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.status, ())


class Estate(TrackedModel):
    """An afdeling (estate) covered by a plan, with its number of tenancies."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("helhedsplan"), on_delete=models.CASCADE, related_name="estates"
    )
    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(_("estate number"), max_length=20, blank=True)
    tenancies = models.PositiveIntegerField(_("tenancies"), default=0)

    class Meta:
        ordering = ["plan", "name"]
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="estate_name_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class PlanStatusChange(TrackedModel):
    """One lifecycle step of a plan, dated and attributed."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("helhedsplan"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Plan.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Plan.Status.choices)
    date = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "date", "pk"]
        verbose_name = _("lifecycle step")
        verbose_name_plural = _("lifecycle steps")

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_to_status_display()} {self.date}"
