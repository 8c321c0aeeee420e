from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class Policy(TrackedModel):
    """The common policy for area-based initiatives (seed recommendation 1)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-adopted_on", "name"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return self.name


class PolicyGoal(TrackedModel):
    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["policy", "number"]
        verbose_name = _("policy goal")
        verbose_name_plural = _("policy goals")
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policy_goal_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="policy_goal_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
