from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class FollowUpGroup(TrackedModel):
    """A political follow-up group (politisk følgegruppe) for area-based initiatives.

    Formal: a special committee under Styrelsesloven § 17, stk. 4, set up by the
    city council (then ``committee`` is that special committee). Informal: a
    group without decision-making powers formed by a committee or administration.
    """

    class Kind(models.TextChoices):
        FORMAL = "formal", _("Formal special committee (§ 17, stk. 4)")
        INFORMAL = "informal", _("Informal group")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    committee = models.OneToOneField(
        "committees.Committee",
        verbose_name=_("special committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_group",
        help_text=_("For a formal group: the § 17, stk. 4 committee set up by the city council."),
    )
    formed_by = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("formed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="formed_follow_up_groups",
    )
    mandate = models.TextField(_("mandate"), blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("follow-up group")
        verbose_name_plural = _("follow-up groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["formal", "informal"]), name="follow_up_group_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="follow_up_group_period_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(kind="formal") | Q(committee__isnull=True),
                name="follow_up_group_only_formal_is_committee",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FollowUpGroupMembership(TrackedModel):
    group = models.ForeignKey(
        FollowUpGroup,
        verbose_name=_("follow-up group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        "committees.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="follow_up_group_memberships",
    )
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        ordering = ["-is_chair", "person__name"]
        verbose_name = _("follow-up group member")
        verbose_name_plural = _("follow-up group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="follow_up_group_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.group}"


class FollowUpGroupMeeting(TrackedModel):
    group = models.ForeignKey(
        FollowUpGroup,
        verbose_name=_("follow-up group"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("follow-up group meeting")
        verbose_name_plural = _("follow-up group meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "date"], name="follow_up_group_meeting_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.date:%d.%m.%Y}"
