from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class Person(TrackedModel):
    """A politician (with a party) or a member of staff (with an administration).

    ``user`` links the person to a login, so that "my committees" and
    "my administration" can be worked out for the signed-in user.
    """

    name = models.CharField(_("name"), max_length=200)
    party = models.CharField(_("party"), max_length=100, blank=True)
    administration = models.ForeignKey(
        "committees.Administration",
        verbose_name=_("administration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name} ({self.party})" if self.party else self.name


class Membership(TrackedModel):
    """A person's seat (or secretariat role) in a committee for a period."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        MEMBER = "member", _("Member")
        SUBSTITUTE = "substitute", _("Substitute")
        SECRETARY = "secretary", _("Committee secretary")

    POLITICAL_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER)

    person = models.ForeignKey(
        "committees.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "role", "person__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "committee", "start_date"],
                name="membership_one_role_per_person_committee_period",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__lte=F("end_date")),
                name="membership_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["chair", "vice_chair", "member", "substitute", "secretary"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.committee} ({self.get_role_display()})"

    def clean(self) -> None:
        """A person has one role in a committee at a time: periods may not overlap."""
        if not (self.person_id and self.committee_id and self.start_date):
            return
        overlapping = Membership.objects.filter(
            person_id=self.person_id, committee_id=self.committee_id
        ).exclude(pk=self.pk)
        overlapping = overlapping.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)
        )
        if self.end_date:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        if overlapping.exists():
            raise ValidationError(
                _("%(person)s already has a role in %(committee)s in this period."),
                params={"person": self.person, "committee": self.committee},
                code="overlap",
            )
        if self.role == self.Role.CHAIR:
            chairs = Membership.objects.filter(
                committee_id=self.committee_id, role=self.Role.CHAIR
            ).exclude(pk=self.pk)
            chairs = chairs.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
            if self.end_date:
                chairs = chairs.filter(start_date__lte=self.end_date)
            chair = chairs.select_related("person").first()
            if chair is not None:
                raise ValidationError(
                    {
                        "role": _(
                            "%(committee)s has one chair at a time, and %(person)s is chair "
                            "in this period. End that chairmanship first."
                        )
                        % {"committee": self.committee, "person": chair.person.name}
                    },
                    code="one_chair",
                )
