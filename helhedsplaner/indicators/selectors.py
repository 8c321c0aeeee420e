"""Reads for the indicator pages."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from ..models import Indicator, IndicatorImport, IndicatorValue


def indicator_values_recent(*, limit: int = 15) -> QuerySet:
    return IndicatorValue.objects.select_related("area", "indicator").order_by(
        "-updated_at", "-pk"
    )[:limit]


def indicators_all() -> QuerySet:
    return Indicator.objects.order_by("name")


def indicator_import_get(*, pk: int) -> IndicatorImport | None:
    """An import without its preview (loaded only when the page shows it)."""
    return IndicatorImport.objects.defer("preview").filter(pk=pk).first()


@dataclass
class PreviewRow:
    line: int
    area: str
    indicator: str
    year: int
    current: Decimal | None
    value: Decimal

    @property
    def is_new(self) -> bool:
        return self.current is None

    @property
    def is_change(self) -> bool:
        return self.current is not None and self.current != self.value


@dataclass
class PreviewError:
    line: int
    message: str


@dataclass
class ImportPreview:
    """What a checked file would save, as the check found it (``IndicatorImport.preview``)."""

    rows: list[PreviewRow] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    errors: list[PreviewError] = field(default_factory=list)


def indicator_import_preview(*, job: IndicatorImport) -> ImportPreview:
    """The rows of a checked file with the values saved when it was checked beside them."""
    stored = job.preview or {}
    return ImportPreview(
        rows=[
            PreviewRow(
                line,
                area,
                indicator,
                year,
                None if current is None else Decimal(current),
                Decimal(value),
            )
            for line, area, indicator, year, current, value in stored.get("rows", [])
        ],
        indicators=stored.get("indicators", []),
        errors=[PreviewError(**error) for error in stored.get("errors", [])],
    )
