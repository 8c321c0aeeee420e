from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .plan import Plan

AMOUNT = {"max_digits": 16, "decimal_places": 2, "default": 0}


class PlanFigures(models.Model):
    """A plan's money and last activity, computed when they change rather than when read.

    Derived data, not a record: every column follows from tracked rows (the plan, its
    commitments, housing contributions, lifecycle steps, agenda items, meetings and
    follow-up groups), so the table has no history and may be emptied and rebuilt at any
    time with ``manage.py refresh_plan_figures``. Written only by
    ``helhedsplaner.dashboard.figures.refresh``, which computes the money with
    ``cofinancing.selectors.plans_with_money`` and ``add_money_facts`` and the activity
    with ``status.selectors.plans_last_activity`` and ``activity_facts``: the columns mean
    exactly what the status page and the co-financing overviews show.
    """

    plan = models.OneToOneField(
        Plan,
        verbose_name=_("helhedsplan"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="figures",
    )
    # Municipal commitments granted or paid / paid / proposed (withdrawn ones count nowhere).
    municipal_committed = models.DecimalField(_("municipal co-financing granted"), **AMOUNT)
    municipal_paid = models.DecimalField(_("municipal co-financing paid"), **AMOUNT)
    municipal_proposed = models.DecimalField(_("municipal co-financing proposed"), **AMOUNT)
    housing_total = models.DecimalField(_("housing organisation's contribution"), **AMOUNT)
    # municipal_committed + housing_total: what the 25 % requirement and "over budget" test.
    local_committed = models.DecimalField(_("local co-financing granted"), **AMOUNT)
    # The latest lifecycle step, meeting of an agenda item (not on a draft agenda), meeting
    # that granted a commitment or follow-up group meeting; null when there is none.
    last_activity = models.DateField(_("last activity"), null=True, blank=True)
    # The front page's lists, decided once per change of the plan or its money, so that
    # they are indexed conditions rather than arithmetic over every plan at each reading.
    # last_activity, or the day the plan was entered: staleness is measured from it.
    active_on = models.DateField(_("active on"))
    running = models.BooleanField(_("still running"))  # not closed, rejected or withdrawn
    over_budget = models.BooleanField(_("over budget"))  # LBF + local committed > budget
    missing_cofinancing = models.BooleanField(_("missing co-financing"))  # the 25 % not met
    refreshed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("plan figures")
        verbose_name_plural = _("plan figures")
        indexes = [
            # Stale: running plans by the day of their last activity, oldest first.
            models.Index(fields=["active_on"], condition=Q(running=True), name="planfigures_stale"),
            models.Index(
                fields=["plan"],
                condition=Q(running=True, over_budget=True),
                name="planfigures_over_budget",
            ),
            models.Index(
                fields=["plan"],
                condition=Q(running=True, missing_cofinancing=True),
                name="planfigures_missing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.local_committed} / {self.last_activity}"


class PlanFiguresSummary(models.Model):
    """The front page's figures over all plans, one row, computed with the plans' figures.

    Plans by status and by area (count, budget, LBF grant), the totals, and how many
    running plans are over budget or short of co-financing: everything on the page
    that is an aggregate over every plan and does not depend on the day. Derived data
    like :class:`PlanFigures` (no history; ``refresh_plan_figures`` rebuilds it), kept
    as JSON because it is only ever read in its two parts (what the front page shows,
    and every area's figures). ``plan_count`` and ``last_plan_id`` say
    which plans it covers, so a reader can tell when plans were added or removed by a
    path that did not refresh it, and compute afresh instead.
    """

    plan_count = models.PositiveIntegerField(_("plans"))
    last_plan_id = models.PositiveIntegerField(_("last plan"), null=True)
    data = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)
    refreshed_at = models.DateTimeField(_("computed"))

    ROW = 1

    class Meta:
        verbose_name = _("plan figures summary")
        verbose_name_plural = _("plan figures summaries")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="planfiguressummary_one_row")]

    def __str__(self) -> str:
        return f"{self.plan_count} plans, {self.refreshed_at:%Y-%m-%d %H:%M}"
