"""The indicator CSV format (documented in docs/indicators-csv.md and on the import page).

A file has a header line ``område;indikator;år;værdi`` and one value per line:
semicolon-separated with a decimal comma, the way Danish Excel saves "CSV (semikolonsepareret)",
UTF-8 with or without a byte-order mark. Areas and indicators are given by name or code.

:func:`parse` reads a file without writing anything and reports every wrong line
with its line number; the import service saves only a file without errors.
"""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Area, Indicator, IndicatorValue

MAX_BYTES = 1024 * 1024  # 1 MB: some 30,000 lines, more than a year of the whole city map
HEADER = ("område", "indikator", "år", "værdi")
HEADER_ALIASES = {
    "område": "område",
    "omraade": "område",
    "area": "område",
    "indikator": "indikator",
    "indicator": "indikator",
    "år": "år",
    "aar": "år",
    "year": "år",
    "værdi": "værdi",
    "vaerdi": "værdi",
    "value": "værdi",
}
YEAR_MIN, YEAR_MAX = 1990, 2100
# How often :func:`parse` tells its ``progress`` callback how far it is, in lines.
PROGRESS_EVERY = 500
_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$|^-?\d+(\.\d+)?$")


@dataclass
class Row:
    line: int
    area: Area
    indicator: Indicator
    year: int
    value: Decimal
    current: Decimal | None = None  # the value saved now, if any

    @property
    def is_new(self) -> bool:
        return self.current is None

    @property
    def is_change(self) -> bool:
        return self.current is not None and self.current != self.value


@dataclass
class LineError:
    line: int
    message: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.errors.append(
            LineError(line, _("Line %(line)s: %(message)s") % {"line": line, "message": message})
        )


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s). It may be at most %(limit)s.")
            % {"size": _megabytes(size), "limit": _megabytes(MAX_BYTES)},
            code="too_large",
        )


def decode(raw: bytes) -> str:
    """The file's text; a clear message when it is too big or not UTF-8."""
    check_size(len(raw))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _(
                "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 "
                "(kommasepareret)” or “CSV (semikolonsepareret)” with UTF-8 encoding."
            ),
            code="not_utf8",
        ) from error


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def parse_value(text: str) -> Decimal | None:
    """'12,5', '1.234,5', '12.5' or '-3' as a Decimal; None if it is not a number."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.match(text):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.match(r"^-?\d{1,3}(\.\d{3})+$", text):
        text = text.replace(".", "")  # "1.234" is a thousands separator in Danish
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _lookup(objects) -> dict[str, object]:
    table = {}
    for obj in objects:
        table[obj.name.casefold()] = obj
        table[obj.code.casefold()] = obj
    return table


def _too_long_message() -> str:
    return _(
        "a field is longer than %(limit)s characters, so the line cannot be read. "
        'Check that every quotation mark (") is closed and that the file is the indicator CSV.'
    ) % {"limit": f"{csv.field_size_limit():,}".replace(",", ".")}


def _rows(reader, parsed: Parsed):
    """(line number, cells) per line; a line the csv module refuses is reported and skipped.

    A field over ``csv.field_size_limit()`` (131.072 characters, in practice an
    unclosed quotation mark that swallows the rest of the file) makes the reader
    raise; the line and everything it swallowed is reported as one error.
    """
    number = 1
    while True:
        started_on = reader.line_num + 1  # the line the refused field begins on
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            parsed.error(started_on, _too_long_message())
            return
        number += 1
        yield number, cells


def row_count(text: str) -> int:
    """The lines after the header: what :func:`parse`'s ``progress`` counts towards."""
    return max(len(text.splitlines()) - 1, 0)


def parse(text: str, *, progress: Callable[[int, int], None] | None = None) -> Parsed:
    """Read every line; collect rows and per-line errors (no writes).

    ``progress(done, total)``, if given, is called every :data:`PROGRESS_EVERY` lines
    with the lines after the header read so far and :func:`row_count`.
    """
    parsed = Parsed()
    lines = text.splitlines()
    total = max(len(lines) - 1, 0)
    if not lines or not lines[0].strip():
        parsed.error(
            1,
            _("the file is empty; the first line must be the header %(header)s.")
            % {"header": ";".join(HEADER)},
        )
        return parsed
    reader = csv.reader(lines, delimiter=";")
    try:
        first = next(reader)
    except csv.Error:
        parsed.error(1, _too_long_message())
        return parsed
    header = [HEADER_ALIASES.get(cell.strip().casefold(), cell.strip()) for cell in first]
    if tuple(header) != HEADER:
        parsed.error(
            1,
            _("the header must be %(header)s, separated by semicolons; the file has %(found)s.")
            % {"header": ";".join(HEADER), "found": ";".join(header) or "–"},
        )
        return parsed

    areas = _lookup(Area.objects.all())
    indicators = _lookup(Indicator.objects.all())
    seen: dict[tuple, int] = {}
    for number, cells in _rows(reader, parsed):
        if progress is not None and (number - 1) % PROGRESS_EVERY == 0:
            progress(min(number - 1, total), total)
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (Excel often adds some at the end)
        if len(cells) != 4:
            parsed.error(
                number,
                _("expected 4 fields separated by semicolons, found %(count)s.")
                % {"count": len(cells)},
            )
            continue
        area_text, indicator_text, year_text, value_text = (cell.strip() for cell in cells)
        problems = []
        area = areas.get(area_text.casefold())
        if area is None:
            problems.append(_("unknown area “%(area)s”") % {"area": area_text})
        indicator = indicators.get(indicator_text.casefold())
        if indicator is None:
            problems.append(_("unknown indicator “%(indicator)s”") % {"indicator": indicator_text})
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not YEAR_MIN <= year <= YEAR_MAX:
            problems.append(
                _("the year “%(year)s” must be a year from %(min)s to %(max)s")
                % {"year": year_text, "min": YEAR_MIN, "max": YEAR_MAX}
            )
        value = parse_value(value_text)
        if value is None:
            problems.append(
                _("the value “%(value)s” is not a number (write e.g. 12,5)") % {"value": value_text}
            )
        elif value.as_tuple().exponent < -2 or abs(value) >= Decimal(10) ** 10:
            problems.append(
                _("the value “%(value)s” may have at most 10 digits before and 2 after the comma")
                % {"value": value_text}
            )
        if problems:
            parsed.error(number, "; ".join(problems) + ".")
            continue
        key = (area.pk, indicator.pk, year)
        if key in seen:
            parsed.error(
                number,
                _("the same area, indicator and year as line %(line)s.") % {"line": seen[key]},
            )
            continue
        seen[key] = number
        parsed.rows.append(Row(number, area, indicator, year, value))

    if parsed.rows and not parsed.errors:
        current = {
            (v.area_id, v.indicator_id, v.year): v.value
            for v in IndicatorValue.objects.filter(
                area__in={row.area.pk for row in parsed.rows},
                indicator__in={row.indicator.pk for row in parsed.rows},
                year__in={row.year for row in parsed.rows},
            )
        }
        for row in parsed.rows:
            row.current = current.get((row.area.pk, row.indicator.pk, row.year))
    if not parsed.rows and not parsed.errors:
        parsed.error(2, _("the file has a header but no values."))
    return parsed
