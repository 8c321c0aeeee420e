from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class MemberInquiry(TrackedModel):
    """A member's inquiry (forespørgsel) at a meeting; it becomes a case a later item answers."""

    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="member_inquiries",
    )
    member = models.ForeignKey(
        "committees.Person",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    text = models.TextField(_("inquiry"))
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="originating_inquiry",
    )

    class Meta:
        ordering = ["-meeting__starts_at"]
        verbose_name = _("member inquiry")
        verbose_name_plural = _("member inquiries")

    def __str__(self) -> str:
        return f"{self.member}: {self.text[:60]}"
