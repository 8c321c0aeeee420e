"""The one history mechanism every domain model inherits."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TrackedModel(models.Model):
    """Timestamps plus full change history (who, when, what) for every subclass.

    Subclasses with many-to-many fields list them in ``_history_m2m_fields`` so
    that membership changes are history-tracked too.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class CacheGeneration(models.Model):
    """One row whose number goes up after every committed write to the domain tables.

    Cached pages and figures are keyed by it (``core.pagecache``). Written only with
    raw SQL by ``core.pagecache.bump``; never edited, never history-tracked.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        # The table keeps the name it had when this lived in ``config`` (core/migrations).
        db_table = "config_cachegeneration"
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return str(self.value)
