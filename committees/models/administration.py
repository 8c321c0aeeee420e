from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class Administration(TrackedModel):
    """One of the municipality's administrations (forvaltninger), e.g. BIF."""

    code = models.CharField(_("abbreviation"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        # Granted per user by an administrator: a caseworker who writes plans and
        # commitments for every administration, not only their own (committees/rules.py).
        permissions = [
            (
                "act_for_all_administrations",
                _("May write plans and commitments of every administration"),
            ),
        ]

    def __str__(self) -> str:
        return self.name
