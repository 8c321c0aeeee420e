"""Indicator files as the sources publish them (docs/importing-data.md, the import page).

CSV in any encoding Danish Excel or a statistics agency writes, or XLSX (read as a stream
by helhedsplaner.imports.reading); long (one value per row: area, indicator, year,
value, e.g. the app's own ``område;indikator;år;værdi`` or Statistikbanken's
``OMRÅDE;INDIKATOR;TID;INDHOLD``) or wide (area and year, then one column per indicator,
as opendata.dk publishes Copenhagen's socioeconomic data). Areas and indicators by name,
code or "code label"; names the app does not know can be mapped once per source. The
sources' symbols for figures they do not publish are read as the source defines them
(helhedsplaner.imports.symbols).

:func:`parse_sheet` reads a file without writing anything and reports every wrong line
with its line number; the import service saves only a file without errors.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..imports import reading, symbols
from ..models import Area, Indicator, IndicatorValue

# 64 MB: over a million rows of a long file; the file is read as a stream, never whole.
MAX_BYTES = 64 * 1024 * 1024
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


@dataclass(slots=True)
class Row:
    line: int
    area: Area
    indicator: Indicator
    year: int
    value: Decimal | None  # None: the source published no figure (its ``symbol`` says why)
    current: Decimal | None = None  # the value saved now, if any
    symbol: str = ""
    current_symbol: str = ""
    exists: bool = False  # a value (or a "no value") is saved now

    @property
    def is_new(self) -> bool:
        return not self.exists

    @property
    def is_change(self) -> bool:
        return self.exists and (self.current, self.current_symbol) != (self.value, self.symbol)


@dataclass
class LineError:
    line: int
    message: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    source: str = "own"
    # Names in the file the app does not know, with how many rows name them (the mapping
    # step offers to map them to existing areas and indicators).
    unknown_areas: dict[str, int] = field(default_factory=dict)
    unknown_indicators: dict[str, int] = field(default_factory=dict)
    symbols: dict[str, int] = field(default_factory=dict)  # the source's symbols read
    empty: int = 0  # empty value cells, skipped
    skipped: int = 0  # rows of areas or indicators the mapping leaves out
    columns_needed: bool = False  # the header names no layout: the columns must be mapped

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


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def parse_value(text: str, *, decimal_comma: bool = True) -> Decimal | None:
    """'12,5', '1.234,5', '12.5' or '-3' as a Decimal; None if it is not a number.
    Without ``decimal_comma`` (a comma-separated file, an XLSX cell) "1,234.5" is read too."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not decimal_comma and re.match(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$", text):
        text = text.replace(",", "")
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


def row_count(text: str) -> int:
    """The lines after the header: what :func:`parse`'s ``progress`` counts towards."""
    return max(len(text.splitlines()) - 1, 0)


def sheet_row_count(file, filename: str) -> int:
    """The rows after the header of a stored file, counted without keeping it: newlines
    in chunks for CSV, the sheet's dimension for XLSX (progress counts towards this)."""
    file.seek(0)
    if filename.lower().endswith((".xlsx", ".xlsm")) or file.read(4) == b"PK\x03\x04":
        from openpyxl import load_workbook

        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].max_row or 0
        finally:
            workbook.close()
        file.seek(0)
        return max(rows - 1, 0)
    file.seek(0)
    count, last = 0, b""
    while chunk := file.read(1 << 20):
        count += chunk.count(b"\n")
        last = chunk[-1:]
    file.seek(0)
    return max(count + (1 if last and last != b"\n" else 0) - 1, 0)


# The columns' roles by their header, in any of the names the sources use.
ROLES = {
    "område": "area",
    "omraade": "area",
    "omrade": "area",
    "area": "area",
    "indikator": "indicator",
    "indicator": "indicator",
    "år": "year",
    "aar": "year",
    "year": "year",
    "tid": "year",
    "værdi": "value",
    "vaerdi": "value",
    "value": "value",
    "indhold": "value",
}
# At most this many rows of a file are listed in the preview (the counts cover all).
PREVIEW_ROWS = 300
# At most this many wrong lines are listed; the count says how many there are.
ERRORS_LISTED = 500


def key(text: str) -> str:
    """How names and codes are compared: case, spaces and "_" for "-" do not matter
    (opendata's ``lav_indkomst`` is the app's ``lav-indkomst``)."""
    return " ".join(text.replace("_", "-").split()).casefold()


@dataclass
class Layout:
    """Which column holds what. Long: one value per row (area, indicator, year, value);
    wide: area and year, then one column per indicator (``wide``: column -> header)."""

    area: int
    year: int
    indicator: int | None = None
    value: int | None = None
    wide: dict[int, str] = field(default_factory=dict)


# The roles the caseworker can give a column in the mapping step (its header then need not
# use one of the sources' names): "wide" is a column of an indicator of its own.
COLUMN_ROLES = ("area", "year", "indicator", "value", "wide", "skip")


def layout_of(header: list[str], columns: dict | None = None) -> Layout | str:
    """The layout the header names (or ``columns``, the roles the caseworker gave its
    columns by their header, override), or why it names none (a message)."""
    columns = columns or {}
    roles: dict[str, int] = {}
    others: dict[int, str] = {}
    for index, cell in enumerate(header):
        role = columns.get(key(cell)) or ROLES.get(key(cell))
        if role == "skip":
            continue
        if role == "wide":
            role = None
        if role and role not in roles:
            roles[role] = index
        elif cell.strip():
            others[index] = cell.strip()
    if "area" not in roles or "year" not in roles:
        return _(
            "the header must name the area and the year (e.g. %(header)s, or "
            "område;år followed by one column per indicator); the file has %(found)s."
        ) % {"header": ";".join(HEADER), "found": ";".join(header) or "–"}
    if "indicator" in roles and "value" in roles:
        return Layout(roles["area"], roles["year"], roles["indicator"], roles["value"])
    if "indicator" in roles or "value" in roles or not others:
        return _(
            "the header must have both an indicator and a value column, or one column per "
            "indicator; the file has %(found)s."
        ) % {"found": ";".join(header)}
    return Layout(roles["area"], roles["year"], wide=others)


# A mapping's "leave it out" and "create it" (areas and indicators have positive keys).
SKIP = -1
CREATE = -2


class Names:
    """Areas and indicators by name or code, and the names a mapping gave them."""

    def __init__(self, mapping: dict | None = None):
        mapping = mapping or {}
        self.areas = {}
        for area in Area.objects.all():
            self.areas[key(area.name)] = area
            self.areas[key(area.code)] = area
        self.indicators = {}
        for indicator in Indicator.objects.all():
            self.indicators[key(indicator.name)] = indicator
            self.indicators[key(indicator.code)] = indicator
        # Names mapped to SKIP are left out of the import on purpose (a region total, an
        # indicator the app does not follow), remembered like the others.
        self.skipped_areas, self.skipped_indicators = set(), set()
        by_pk = {area.pk: area for area in self.areas.values()}
        for name, pk in (mapping.get("areas") or {}).items():
            if pk == SKIP:
                self.skipped_areas.add(key(name))
            elif pk in by_pk:
                self.areas.setdefault(key(name), by_pk[pk])
        by_pk = {indicator.pk: indicator for indicator in self.indicators.values()}
        for name, pk in (mapping.get("indicators") or {}).items():
            if pk == SKIP:
                self.skipped_indicators.add(key(name))
            elif pk in by_pk:
                self.indicators.setdefault(key(name), by_pk[pk])

    def area(self, text: str):
        found = self.areas.get(key(text))
        if found is None:
            code, label = reading.split_area_cell(text)
            found = self.areas.get(key(code or "")) or self.areas.get(key(label))
        return found

    def indicator(self, text: str):
        return self.indicators.get(key(text))


def parse(text: str, *, progress: Callable[[int, int], None] | None = None) -> Parsed:
    """Read a file given as text (the app's own format and the others): see :func:`parse_sheet`."""
    raw = text.encode("utf-8")
    try:
        sheet = reading.open_sheet(io.BytesIO(raw), "import.csv")
    except ValidationError as error:
        parsed = Parsed()
        parsed.error(1, " ".join(error.messages))
        return parsed
    return parse_sheet(sheet, progress=progress, total=row_count(text))


def parse_sheet(
    sheet,
    *,
    mapping: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    total: int = 0,
) -> Parsed:
    """Read every row of ``sheet`` (helhedsplaner.imports.reading); collect rows and per-line
    errors, the names the app does not know, and how the source's symbols were read. No
    writes. ``mapping``: names in the file for existing areas and indicators (remembered
    per source, ``ImportMapping``). ``progress(done, total)`` every
    :data:`PROGRESS_EVERY` rows."""
    parsed = Parsed()
    header = sheet.header
    if not header or not any(cell.strip() for cell in header):
        parsed.error(
            1,
            _("the file is empty; the first line must be the header %(header)s.")
            % {"header": ";".join(HEADER)},
        )
        return parsed
    layout = layout_of(header, (mapping or {}).get("columns"))
    if isinstance(layout, str):
        parsed.error(1, layout)
        parsed.columns_needed = True  # the preview asks which column holds what
        return parsed
    source = symbols.source_for(header)
    parsed.source = source.key
    names = Names(mapping)
    wide = {}
    for column, text in layout.wide.items():
        indicator = names.indicator(text)
        if indicator is None and key(text) in names.skipped_indicators:
            pass  # left out on purpose
        elif indicator is None:
            parsed.unknown_indicators[text] = parsed.unknown_indicators.get(text, 0) + 1
        wide[column] = indicator
    if layout.wide and not any(wide.values()) and not parsed.unknown_indicators:
        parsed.error(1, _("the file names no indicator."))
        return parsed
    seen: dict[tuple, int] = {}
    decimal_comma = sheet.decimal_comma
    done = 0
    try:
        for number, cells in sheet.rows():
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(min(done, total or done), total or done)
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < len(header) and not layout.wide:
                parsed.error(
                    number,
                    _("expected %(expected)s fields, found %(count)s.")
                    % {"expected": len(header), "count": len(cells)},
                )
                continue
            cells = [*cells, *[""] * (len(header) - len(cells))]
            area_text, year_text = cells[layout.area].strip(), cells[layout.year].strip()
            problems = []
            area = names.area(area_text)
            if area is None and key(area_text) in names.skipped_areas:
                parsed.skipped += 1
                continue
            if area is None:
                parsed.unknown_areas[area_text] = parsed.unknown_areas.get(area_text, 0) + 1
                problems.append(_("unknown area “%(area)s”") % {"area": area_text})
            year = int(year_text) if year_text.isdigit() else None
            if year is None or not YEAR_MIN <= year <= YEAR_MAX:
                problems.append(
                    _("the year “%(year)s” must be a year from %(min)s to %(max)s")
                    % {"year": year_text, "min": YEAR_MIN, "max": YEAR_MAX}
                )
            if layout.wide:
                values = [
                    (wide[column], text, cells[column].strip())
                    for column, text in layout.wide.items()
                ]
            else:
                indicator_text = cells[layout.indicator].strip()
                indicator = names.indicator(indicator_text)
                if indicator is None and key(indicator_text) in names.skipped_indicators:
                    parsed.skipped += 1
                    continue
                if indicator is None:
                    parsed.unknown_indicators[indicator_text] = (
                        parsed.unknown_indicators.get(indicator_text, 0) + 1
                    )
                    problems.append(
                        _("unknown indicator “%(indicator)s”") % {"indicator": indicator_text}
                    )
                values = [(indicator, indicator_text, cells[layout.value].strip())]
            if problems:
                # Every problem of the line at once, the value's too.
                value_text = "" if layout.wide else cells[layout.value].strip()
                if (
                    value_text
                    and parse_value(value_text, decimal_comma=decimal_comma) is None
                    and source.symbol(value_text) is None
                ):
                    problems.append(
                        _("the value “%(value)s” is not a number (write e.g. 12,5)")
                        % {"value": value_text}
                    )
                parsed.error(number, "; ".join(problems) + ".")
                continue
            for indicator, _text, value_text in values:
                if indicator is None:
                    continue  # a column of an unknown indicator: listed for the mapping
                if not value_text and source.empty_is_missing:
                    parsed.empty += 1
                    continue  # no figure in the file: nothing is stored, never 0
                if not value_text:
                    parsed.error(number, _("the value is missing (write a number, e.g. 12,5)."))
                    continue
                value, symbol = parse_value(value_text, decimal_comma=decimal_comma), ""
                if value is None:
                    known = source.symbol(value_text)
                    if known is None:
                        parsed.error(number, _value_message(value_text, source))
                        continue
                    value, symbol = known.value, known.text
                    parsed.symbols[symbol] = parsed.symbols.get(symbol, 0) + 1
                elif value.as_tuple().exponent < -2 or abs(value) >= Decimal(10) ** 10:
                    parsed.error(
                        number,
                        _(
                            "the value “%(value)s” may have at most 10 digits before and 2 "
                            "after the comma"
                        )
                        % {"value": value_text}
                        + ".",
                    )
                    continue
                row_key = (area.pk, indicator.pk, year)
                if row_key in seen:
                    parsed.error(
                        number,
                        _("the same area, indicator and year as line %(line)s.")
                        % {"line": seen[row_key]},
                    )
                    continue
                seen[row_key] = number
                parsed.rows.append(Row(number, area, indicator, year, value, symbol=symbol))
    except ValidationError as error:
        # The reader names the line it could not read (an unclosed quotation mark).
        line = (getattr(error, "params", None) or {}).get("line") or done + 2
        parsed.error(line, " ".join(error.messages))

    if parsed.rows and not parsed.errors:
        _current_values(parsed.rows)
    if not parsed.rows and not parsed.errors and not parsed.unknown_indicators:
        parsed.error(2, _("the file has a header but no values."))
    return parsed


def _value_message(text: str, source) -> str:
    if source.symbols:
        return _(
            "the value “%(value)s” is neither a number nor one of %(source)s's symbols "
            "(%(symbols)s)."
        ) % {
            "value": text,
            "source": source.label,
            "symbols": ", ".join(f"“{symbol.text}”" for symbol in source.symbols),
        }
    return _("the value “%(value)s” is not a number (write e.g. 12,5).") % {"value": text}


def _current_values(rows) -> None:
    """The value saved now beside each row (in chunks of areas: a large file's keys)."""
    areas = sorted({row.area.pk for row in rows})
    indicators = {row.indicator.pk for row in rows}
    years = {row.year for row in rows}
    current = {}
    for start in range(0, len(areas), 200):
        for value in IndicatorValue.objects.filter(
            area__in=areas[start : start + 200], indicator__in=indicators, year__in=years
        ).values_list("area_id", "indicator_id", "year", "value", "symbol"):
            current[value[:3]] = value[3:]
    for row in rows:
        found = current.get((row.area.pk, row.indicator.pk, row.year))
        if found is not None:
            row.current, row.current_symbol, row.exists = found[0], found[1], True
