from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IndicatorImport(models.Model):
    """One uploaded indicator CSV file, checked and saved in the background.

    The file is kept through the storage API; a worker checks it
    (``helhedsplaner.indicators.tasks.indicator_import_check``) and stores what the
    preview page shows in ``preview``; nothing is written to the indicator values until
    the uploader confirms, and then all rows or none
    (``helhedsplaner.indicators.tasks.indicator_import_save``). Operational data, like
    the meetings' rendered PDFs: no history of its own; the values it writes keep theirs.

    ``preview`` is ``{"rows": [[line, area, indicator, year, current, value], …],
    "indicators": [{"name", "new", "changed", "unchanged"}, …], "errors": [{"line",
    "message"}, …]}``: names as shown, values as decimal strings (``current`` null for a
    new value), messages in the uploader's language.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be checked")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked")
        SAVING = "saving", _("Being saved")
        SAVED = "saved", _("Saved")
        FAILED = "failed", _("Failed")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="indicator_imports",
    )
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/", max_length=255)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress in percent"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_refused = models.PositiveIntegerField(_("lines refused"), default=0)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    values_created = models.PositiveIntegerField(_("new values"), null=True, blank=True)
    values_updated = models.PositiveIntegerField(_("updated values"), null=True, blank=True)
    values_unchanged = models.PositiveIntegerField(_("unchanged values"), null=True, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # The last sign of life of the job under way (asked for, started, progress reported).
    requested_at = models.DateTimeField(_("asked for"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Who asked for it to be saved (the uploader or an administrator): the values'
    # history names them.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator import")
        verbose_name_plural = _("indicator imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="indicatorimport_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")),
                name="indicatorimport_rows_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_under_way(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.CHECKING, self.Status.SAVING)
