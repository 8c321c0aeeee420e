from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel


class Area(TrackedModel):
    """A small area of the socioeconomic map; one area is the city as a whole."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    is_city_total = models.BooleanField(
        _("whole municipality"),
        default=False,
        help_text=_("The row that holds the city average for comparison."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(
                fields=["is_city_total"],
                condition=Q(is_city_total=True),
                name="area_one_city_total",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(TrackedModel):
    """A socioeconomic indicator, e.g. share without education (percent)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    unit = models.CharField(_("unit"), max_length=30, default="%")
    higher_is_better = models.BooleanField(_("higher is better"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorValue(TrackedModel):
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveIntegerField(_("year"))
    # Empty when the source publishes no figure: its symbol says why (Statistikbanken's
    # ".." and the like, helhedsplaner.imports.symbols). Never stored as 0 for "missing".
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    symbol = models.CharField(
        _("source's symbol"),
        max_length=10,
        blank=True,
        help_text=_("The source's own mark for a figure it does not publish, e.g. “..”."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["area", "indicator", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "indicator", "year"], name="indicator_value_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="indicator_value_year_range"
            ),
            # No figure only with the source's reason for it.
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(symbol=""),
                name="indicator_value_or_symbol",
            ),
        ]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else (self.symbol or "–")
        return f"{self.area} {self.indicator} {self.year}: {shown}"


class ImportMapping(TrackedModel):
    """How the files of one source are read, remembered for its next file.

    ``kind``: what is imported (``indicators``, ``plans``); ``source``: the file's
    signature (its header, helhedsplaner.imports), so a second file of the same export is
    read the same way. ``mapping``: the columns' roles and the names in the file mapped
    to the app's areas and indicators (or plans). History-tracked like the data it reads:
    how a source's names were mapped, by whom and when, stays traceable.
    """

    kind = models.CharField(_("kind"), max_length=20)
    source = models.CharField(_("source"), max_length=200)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source"], name="import_mapping_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.source}"
