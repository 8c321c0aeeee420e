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
    value: Decimal | None
    symbol: str = ""
    current_symbol: str = ""
    exists: bool = False

    @property
    def is_new(self) -> bool:
        return not self.exists

    @property
    def is_change(self) -> bool:
        return self.exists and (self.current, self.current_symbol) != (self.value, self.symbol)


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
    total: int = 0
    errors_total: int = 0
    source: str = ""
    symbols: list[dict] = field(default_factory=list)
    empty: int = 0
    unknown_areas: list[str] = field(default_factory=list)
    unknown_indicators: list[str] = field(default_factory=list)
    columns_needed: bool = False
    header: list[str] = field(default_factory=list)

    @property
    def needs_mapping(self) -> bool:
        return bool(self.unknown_areas or self.unknown_indicators)

    @property
    def more_rows(self) -> int:
        return max(self.total - len(self.rows), 0)

    @property
    def more_errors(self) -> int:
        return max(self.errors_total - len(self.errors), 0)


def _decimal(value):
    return None if value is None else Decimal(value)


def indicator_import_preview(*, job: IndicatorImport) -> ImportPreview:
    """The first rows of a checked file with the values saved when it was checked beside
    them, the counts over all of it, and what needs mapping."""
    stored = job.preview or {}
    rows = []
    for entry in stored.get("rows", []):
        line, area, indicator, year, current, value, *rest = entry
        symbol, current_symbol, exists = (rest + ["", "", current is not None])[:3]
        rows.append(
            PreviewRow(
                line,
                area,
                indicator,
                year,
                _decimal(current),
                _decimal(value),
                symbol,
                current_symbol,
                exists,
            )
        )
    errors = [PreviewError(**error) for error in stored.get("errors", [])]
    return ImportPreview(
        rows=rows,
        indicators=stored.get("indicators", []),
        errors=errors,
        total=stored.get("total", len(rows)),
        errors_total=stored.get("errors_total", len(errors)),
        source=stored.get("source", ""),
        symbols=stored.get("symbols", []),
        empty=stored.get("empty", 0),
        unknown_areas=stored.get("unknown_areas", []),
        unknown_indicators=stored.get("unknown_indicators", []),
        columns_needed=stored.get("columns_needed", False),
        header=stored.get("header", []),
    )
