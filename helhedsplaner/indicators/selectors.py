"""Reads for the indicator pages."""

from django.db.models import QuerySet

from ..models import Indicator, IndicatorValue
from . import importer


def indicator_values_recent(*, limit: int = 15) -> QuerySet:
    return IndicatorValue.objects.select_related("area", "indicator").order_by(
        "-updated_at", "-pk"
    )[:limit]


def indicator_import_preview(*, text: str) -> importer.Parsed:
    """The rows of an uploaded file with today's values beside them; nothing is written."""
    return importer.parse(text)


def indicators_all() -> QuerySet:
    return Indicator.objects.order_by("name")
