from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class AgendaItem(TrackedModel):
    """An item (dagsordenspunkt) on one meeting's agenda, in the seed's structure.

    A caseworker drafts it (no meeting yet), marks it ready, and the committee
    secretary places it on a meeting, which gives it a number.
    """

    class ItemType(models.TextChoices):
        DECISION = "decision", _("For decision")
        DISCUSSION = "discussion", _("For discussion")
        ORIENTATION = "orientation", _("Orientation")
        MEMBER_INQUIRY = "member_inquiry", _("Member inquiry")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY = "ready", _("Ready for a meeting")
        RETURNED = "returned", _("Sent back")
        SCHEDULED = "scheduled", _("On an agenda")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    number = models.PositiveIntegerField(_("item number"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    item_type = models.CharField(
        _("item type"), max_length=20, choices=ItemType.choices, default=ItemType.DECISION
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("The short lead paragraph under the title.")
    )
    recommending_administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("recommending administration"),
        on_delete=models.PROTECT,
        related_name="recommended_items",
    )
    route = models.CharField(
        _("route"),
        max_length=300,
        blank=True,
        help_text=_(
            'Where the case goes next, e.g. "over for Økonomiudvalget og Borgerrepræsentationen".'
        ),
    )
    decided_by = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("decided in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finally_decided_items",
    )
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    economy = models.TextField(_("economy"), blank=True)
    further_process = models.TextField(_("further process"), blank=True)
    is_closed = models.BooleanField(
        _("closed item"),
        default=False,
        help_text=_(
            "Closed items are confidential: only the committee's members and staff "
            "see their content."
        ),
    )
    return_comment = models.TextField(_("comment when sent back"), blank=True)
    # The item this one was sent on from (send videre: TMU → ØU → BR). The new item
    # starts as a copy and prints each earlier committee's decision under its own heading.
    sent_from = models.ForeignKey(
        "self",
        verbose_name=_("sent on from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_on_items",
    )
    # Raised by every write to the item (core.versioning): a form carries the version it
    # was loaded with, so a save on top of somebody else's change is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["meeting", "number", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique"),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True, number__isnull=True)
                | Q(meeting__isnull=False, number__isnull=False, number__gte=1),
                name="agenda_item_numbered_iff_on_meeting",
            ),
            models.CheckConstraint(
                condition=Q(
                    item_type__in=["decision", "discussion", "orientation", "member_inquiry"]
                ),
                name="agenda_item_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def earlier_decisions(self) -> list:
        """The decisions of the items this one was sent on from, oldest first
        (cases.recommendations.attach_earlier_decisions reads them for many items at once)."""
        if "_earlier_decisions" not in self.__dict__:
            from cases.recommendations import attach_earlier_decisions

            attach_earlier_decisions([self])
        return self.__dict__["_earlier_decisions"]

    @property
    def recommendation_display(self) -> list[dict]:
        """Each recommendation block's sentence and its points (cases.recommendations)."""
        from cases.recommendations import display_blocks

        return display_blocks(self)


class RecommendationBlock(TrackedModel):
    """One recommendation (indstilling) of an item: who recommends, and to whom.

    "Teknik- og Miljøforvaltningen og Økonomiforvaltningen indstiller, at Teknik- og
    Miljøudvalget over for Økonomiudvalget og Borgerrepræsentationen anbefaler," followed
    by its numbered points. An item has one or more blocks; the points are numbered
    through the whole item (the second block may start at "2. at …"). Who takes part is
    kept as :class:`RecommendationParty` rows, so every change has its history row.
    """

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="recommendation_blocks",
    )
    position = models.PositiveIntegerField(_("number"))

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="recommendation_block_unique"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="recommendation_block_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.position}"


class RecommendationParty(TrackedModel):
    """Who takes part in a recommendation block, in order.

    ``administration``: a recommending administration ("… indstiller"); ``committee``:
    a committee that recommends ("at Teknik- og Miljøudvalget …"); ``addressee``: the
    committee it recommends to ("… over for Borgerrepræsentationen anbefaler").
    """

    class Role(models.TextChoices):
        ADMINISTRATION = "administration", _("Recommending administration")
        COMMITTEE = "committee", _("Recommending committee")
        ADDRESSEE = "addressee", _("Recommends to")

    block = models.ForeignKey(
        RecommendationBlock,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.PositiveIntegerField(_("order"))
    administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("administration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["block", "role", "position"]
        verbose_name = _("recommendation party")
        verbose_name_plural = _("recommendation parties")
        constraints = [
            models.UniqueConstraint(
                fields=["block", "role", "position"], name="recommendation_party_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    role="administration", administration__isnull=False, committee__isnull=True
                )
                | Q(
                    role__in=["committee", "addressee"],
                    administration__isnull=True,
                    committee__isnull=False,
                ),
                name="recommendation_party_kind",
            ),
        ]

    def __str__(self) -> str:
        return str(self.administration or self.committee)


class RecommendationPoint(TrackedModel):
    """One numbered point of the recommendation: "1. at …"."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="recommendation_points",
    )
    # The block the point belongs to; numbering runs through the whole item.
    block = models.ForeignKey(
        RecommendationBlock,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="points",
    )
    position = models.PositiveIntegerField(_("number"))
    text = models.TextField(
        _("text"), help_text=_('Begins with "at", e.g. "at udvalget drøfter sagen".')
    )

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("recommendation point")
        verbose_name_plural = _("recommendation points")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="recommendation_point_unique"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="recommendation_point_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"
