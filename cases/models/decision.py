from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class Decision(TrackedModel):
    """What the committee decided on an item (beslutning), recorded after the meeting."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        POSTPONED = "postponed", _("Postponed")
        NOTED = "noted", _("Noted")
        APPROVED_WITH_CHANGES = "approved_with_changes", _("Approved with changes")
        # A committee on the route recommends the case to the next ("Anbefalet").
        RECOMMENDED = "recommended", _("Recommended")

    item = models.OneToOneField(
        "cases.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    text = models.TextField(_("decision"))
    # Raised by every write to the decision (core.versioning): a form carries the version it
    # was loaded with, so a save on top of somebody else's change is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

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
                        "recommended",
                    ]
                ),
                name="decision_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"


class DecisionVote(TrackedModel):
    """How one party voted on a decision (for, against, abstained)."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="votes"
    )
    party = models.CharField(_("party"), max_length=100)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstained = models.PositiveIntegerField(_("abstained"), default=0)

    class Meta:
        ordering = ["decision", "party"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["decision", "party"], name="decision_vote_party_once"),
            models.CheckConstraint(
                condition=Q(votes_for__gte=0) & Q(votes_against__gte=0) & Q(votes_abstained__gte=0),
                name="decision_vote_non_negative",
            ),
            models.CheckConstraint(condition=~Q(party=""), name="decision_vote_has_party"),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.votes_for}/{self.votes_against}/{self.votes_abstained}"
