from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class AgendaVersion(TrackedModel):
    """One publication of a meeting's agenda: the original, a new version or a
    supplementary agenda (tillægsdagsorden).

    ``snapshot`` is the agenda as published (meeting time and place, every item
    with its sections, points and attachments); ``changes`` says what differs from
    the previous version in a structured form that the UI renders in the reader's
    language ("Punkt 19 tilføjet", "Punkt 3 ændret: titel"). Only item numbers and
    field names are ever shown from it, never content, so closed items stay closed.
    """

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Agenda")
        NEW_VERSION = "new_version", _("New version")
        SUPPLEMENTARY = "supplementary", _("Supplementary agenda")

    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="agenda_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot = models.JSONField(_("agenda as published"), default=dict)
    changes = models.JSONField(_("changes since the previous version"), default=list, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="agenda_version_number_pos"),
            models.CheckConstraint(
                condition=Q(kind__in=["original", "new_version", "supplementary"]),
                name="agenda_version_kind_valid",
            ),
            # The first publication is the agenda itself; later ones are never "original".
            models.CheckConstraint(
                condition=(Q(number=1) & Q(kind="original"))
                | (Q(number__gt=1) & ~Q(kind="original")),
                name="agenda_version_first_is_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.get_kind_display()} ({self.number})"

    def change_lines(self) -> list[str]:
        from cases.versions import change_lines

        return change_lines(self.changes)

    @property
    def has_closed_content(self) -> bool:
        """Whether the version as published holds a closed item or a closed attachment:
        only then does its members' edition differ from the public one."""
        from cases.versions import snapshot_has_closed_content

        return snapshot_has_closed_content(self.snapshot)

    def label(self) -> str:
        """What the version's PDF prints: "Version 2 of 12 January 2027", or for a
        supplementary agenda "Supplementary agenda, version 3 of …"."""
        from cases.versions import version_label

        return version_label(self)
