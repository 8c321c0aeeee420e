"""Open a CSV or XLSX file as a stream of rows, whatever Excel or a statistics agency made.

API (used by the indicator import and the plan import):

- :func:`open_sheet(file, filename)` -> :class:`Sheet`, or ``ValidationError`` with a
  Danish (gettext) message saying what is wrong and how to fix it.
- ``Sheet.header``: the first non-empty row's cells, stripped, BOM removed.
- ``Sheet.rows()``: an iterator of ``(line, cells)`` after the header, ``line`` as the
  user sees it (the header is line 1; for XLSX the sheet's row number), ``cells`` as
  strings (XLSX numbers written with "." and no thousands separator, dates as ISO,
  empty cells as ""). Blank rows are skipped. Never holds the whole file in memory.
- ``Sheet.encoding`` ("utf-8", "utf-8-sig", "cp1252" … or None for XLSX),
  ``Sheet.delimiter`` (";", ",", "\\t" or None for XLSX), ``Sheet.decimal_comma``.
- :func:`parse_number(text, decimal_comma=True)` -> Decimal | None.
- :func:`split_area_cell(text)` -> (code | None, label): "KK-005 Tingbjerg" ->
  ("KK-005", "Tingbjerg"); "Tingbjerg" -> (None, "Tingbjerg").

Additions to that API:

- ``open_sheet``'s ``filename`` may be left out: the file's ``name`` (or the path) is used.
- ``file`` may be a binary file-like object (a Django ``File``/``UploadedFile``, an open
  storage file, ``io.BytesIO``) or a filesystem path (``str`` or ``os.PathLike``). It must
  be seekable: the CSV path reads it once to detect the encoding, then again for the rows.
- ``Sheet.format`` ("csv" or "xlsx"), ``Sheet.header_line`` (the header's line number),
  ``Sheet.close()`` and ``with open_sheet(...) as sheet:``. Closing releases the workbook
  (XLSX) and the file when ``open_sheet`` opened it from a path; a file object passed in
  is left open for its owner.
- ``Sheet.rows()`` may be called again: each call starts over after the header. Do not
  run two of its iterators at the same time (they share the file's position).
- A UTF-16 file with a byte order mark (Excel's "Unicode-tekst", tab-separated) reads too.
- Rows are padded with "" to the header's width; empty cells at the end of a row past
  that width are dropped, so a longer row always has content past the header.
- For CSV, ``line`` is the record's number as Excel numbers it when it opens the file
  (blank rows count; a quoted cell spanning several physical lines is one record; an
  Excel "sep=;" first line sets the delimiter and is neither a row nor counted).
- ``Sheet.header`` drops empty cells at its end; ``Sheet.decimal_comma`` is False for XLSX.
- XLSX booleans read as "TRUE"/"FALSE"; a float with no fraction as an integer ("2023").
- :func:`detect_encoding(file)` -> the encoding name, as ``open_sheet`` decides it.
- Errors carry a ``code``: "empty", "xls", "bad_xlsx", "bad_csv" (``params["line"]``).
  "bad_csv" can also come from ``rows()`` (a damaged record deep in the file), as can
  "bad_xlsx" (a sheet's XML is read lazily): catch ``ValidationError`` around the loop.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import os
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["Sheet", "detect_encoding", "open_sheet", "parse_number", "split_area_cell"]

CHUNK_SIZE = 64 * 1024
SAMPLE_LINES = 20
DELIMITERS = (";", ",", "\t")  # the order is the preference when tied (Danish Excel: ";")

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and password-protected .xlsx)
BOM_UTF8 = codecs.BOM_UTF8
# Bytes that Windows-1252 leaves undefined: a file holding one is read as Latin-1 instead.
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
# Numbers whose decimal mark is unambiguous ("1,234" and "1.234" are not: thousands?).
# A thousands group never follows a lone "0": "0.123" is a decimal point, "0,123" a comma.
_COMMA_DECIMAL = re.compile(r"^[-+]?([1-9]\d{0,2}(\.\d{3})+,\d+|\d+,(\d{1,2}|\d{4,})|0,\d+)$")
_POINT_DECIMAL = re.compile(r"^[-+]?([1-9]\d{0,2}(,\d{3})+\.\d+|\d+\.(\d{1,2}|\d{4,})|0\.\d+)$")
_NUMBER_COMMA = re.compile(r"^[-+]?(\d+|[1-9]\d{0,2}(\.\d{3})+)(,\d+)?$|^[-+]?,\d+$")
_NUMBER_POINT = re.compile(r"^[-+]?(\d+|[1-9]\d{0,2}(,\d{3})+)(\.\d+)?$|^[-+]?\.\d+$")
_PLAIN_POINT = re.compile(r"^[-+]?(\d+\.(\d{1,2}|\d{4,})|0\.\d+)$")


def _message_empty():
    return ValidationError(_("The file is empty."), code="empty")


def _message_xls():
    return ValidationError(
        _(
            "The file is an old Excel workbook (.xls). In Excel, save it as "
            "“Excel-projektmappe (.xlsx)” or as CSV."
        ),
        code="xls",
    )


def _message_bad_xlsx():
    return ValidationError(
        _(
            "The file is not a valid Excel workbook (.xlsx). Open it in Excel and save it "
            "again as “Excel-projektmappe (.xlsx)” or as CSV."
        ),
        code="bad_xlsx",
    )


def _message_bad_csv(line):
    return ValidationError(
        _(
            "The file could not be read as CSV (line %(line)s). Open it in Excel and save it "
            "again as “CSV (semikolonsepareret)” or as “Excel-projektmappe (.xlsx)”."
        ),
        code="bad_csv",
        params={"line": line},
    )


# --- cells ---------------------------------------------------------------------------


def _clean(text: str) -> str:
    return text.strip().lstrip("\ufeff").strip()


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return _clean(str(value))


def _finish(cells: list[str], width: int) -> list[str]:
    """Pad to the header's width; drop empty cells at the end past it."""
    end = len(cells)
    while end > width and not cells[end - 1]:
        end -= 1
    if end < len(cells):
        del cells[end:]
    if len(cells) < width:
        cells.extend([""] * (width - len(cells)))
    return cells


def _trim_header(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


# --- the sheet -----------------------------------------------------------------------


class Sheet:
    """A CSV or XLSX file's rows; make one with :func:`open_sheet`."""

    format: str
    header: list[str]
    header_line: int
    encoding: str | None = None
    delimiter: str | None = None
    decimal_comma: bool = False

    def __init__(self, file, *, owned: bool):
        self._file = file
        self._owned = owned
        self._workbook = None
        self._worksheet = None
        self._sep_line = False

    # CSV ----------------------------------------------------------------------------

    def _csv_records(self) -> Iterator[tuple[int, list[str]]]:
        """Every record from the file's start: (Excel's row number, cleaned cells)."""
        self._file.seek(0)
        text = io.TextIOWrapper(self._file, encoding=self.encoding, newline="")
        line = 0
        try:
            reader = csv.reader(text, delimiter=self.delimiter)
            if self._sep_line:
                next(reader, None)
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except (csv.Error, UnicodeDecodeError) as error:
                    raise _message_bad_csv(line + 1) from error
                line += 1
                if any("\x00" in cell for cell in cells):  # binary, not text: a PDF, an image…
                    raise _message_bad_csv(line)
                yield line, [_clean(cell) for cell in cells]
        finally:
            # The wrapper would close the caller's file when collected: let go of it first.
            text.detach()

    # XLSX ---------------------------------------------------------------------------

    def _xlsx_records(self, worksheet=None) -> Iterator[tuple[int, list[str]]]:
        worksheet = worksheet or self._worksheet
        try:
            for line, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield line, [_xlsx_cell(value) for value in values]
        except Exception as error:  # the sheet's XML is read lazily: damage shows up here
            raise _message_bad_xlsx() from error

    # both ---------------------------------------------------------------------------

    def _records(self):
        return self._csv_records() if self.format == "csv" else self._xlsx_records()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(line, cells)`` for every non-blank row after the header."""
        width = len(self.header)
        records = self._records()
        try:
            for line, cells in records:
                if line <= self.header_line or not any(cells):
                    continue
                yield line, _finish(cells, width)
        finally:
            records.close()

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None
        if self._owned and self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<Sheet {self.format} encoding={self.encoding!r} delimiter={self.delimiter!r} "
            f"decimal_comma={self.decimal_comma} header={self.header!r}>"
        )


def _first_header(records) -> tuple[int, list[str]] | None:
    for line, cells in records:
        if any(cells):
            return line, _trim_header(cells)
    return None


# --- opening -------------------------------------------------------------------------


def open_sheet(file, filename: str | None = None) -> Sheet:
    """Open ``file`` (binary file-like or path) as a :class:`Sheet`, by its name or its bytes.

    Raises ``ValidationError`` when the file is empty, an old .xls workbook, a broken
    .xlsx or not readable as CSV.
    """
    owned = False
    if isinstance(file, str | os.PathLike):
        filename = filename or os.fspath(file)
        file = open(file, "rb")  # noqa: SIM115 - the Sheet closes it
        owned = True
    else:
        if getattr(file, "closed", False) and hasattr(file, "open"):
            file.open("rb")  # a Django File/FieldFile not opened yet
        filename = filename or getattr(file, "name", None) or ""
    try:
        return _open(file, str(filename), owned)
    except BaseException:
        if owned:
            file.close()
        raise


def _open(file, filename: str, owned: bool) -> Sheet:
    extension = os.path.splitext(filename)[1].lower()
    if extension == ".xls":
        raise _message_xls()
    file.seek(0)
    start = file.read(len(OLE2_MAGIC))
    file.seek(0)
    if not start:
        raise _message_empty()
    if start.startswith(OLE2_MAGIC):
        raise _message_xls()
    sheet = Sheet(file, owned=owned)
    if extension in (".xlsx", ".xlsm") or start.startswith(ZIP_MAGIC):
        _open_xlsx(sheet)
    else:
        _open_csv(sheet)
    return sheet


def _open_xlsx(sheet: Sheet) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    sheet.format = "xlsx"
    try:
        workbook = load_workbook(sheet._file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as error:
        raise _message_bad_xlsx() from error
    except Exception as error:  # a damaged upload fails in many ways (zlib, XML, …)
        raise _message_bad_xlsx() from error
    sheet._workbook = workbook
    try:
        for worksheet in workbook.worksheets:
            # Some programs write a wrong <dimension>; read-only mode would cut rows by it.
            worksheet.reset_dimensions()
            found = _first_header(sheet._xlsx_records(worksheet))
            if found:
                sheet._worksheet = worksheet
                sheet.header_line, sheet.header = found
                return
        raise _message_empty()
    except BaseException:
        workbook.close()
        sheet._workbook = None
        raise


def _open_csv(sheet: Sheet) -> None:
    sheet.format = "csv"
    sheet.encoding = detect_encoding(sheet._file)
    sheet.delimiter, sheet._sep_line, sample_rows = _sniff(sheet._file, sheet.encoding)
    sheet.decimal_comma = _detect_decimal_comma(sample_rows, sheet.delimiter)
    records = sheet._csv_records()
    try:
        found = _first_header(records)
    finally:
        records.close()
    if not found:
        raise _message_empty()
    sheet.header_line, sheet.header = found


# --- detection -----------------------------------------------------------------------


def detect_encoding(file) -> str:
    """The text encoding of a seekable binary file, read through in chunks.

    "utf-8-sig" with a UTF-8 byte order mark, "utf-16" with a UTF-16 one, "utf-8" when
    every byte decodes as strict UTF-8, otherwise the charset_normalizer's pick between
    Windows-1252 and Latin-1 (Windows-1252 when it cannot tell). Leaves the file at 0.
    """
    file.seek(0)
    first = file.read(CHUNK_SIZE)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        file.seek(0)
        return "utf-16"
    encoding = "utf-8-sig" if first.startswith(BOM_UTF8) else "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    chunk = last = first
    failed = None
    undefined = False
    while chunk:
        last = chunk
        undefined = undefined or any(byte in chunk for byte in CP1252_UNDEFINED)
        if failed is None:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                failed = chunk[max(0, error.start - CHUNK_SIZE // 2) :]
        chunk = file.read(CHUNK_SIZE)
    if failed is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            failed = last[-CHUNK_SIZE // 2 :]
    file.seek(0)
    if failed is None:
        return encoding
    return _single_byte_encoding(first[: CHUNK_SIZE // 2] + b"\n" + failed, undefined)


def _single_byte_encoding(sample: bytes, undefined: bool) -> str:
    guess = None
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with requests; cp1252 is the default
        from_bytes = None
    if from_bytes is not None:
        best = from_bytes(sample, cp_isolation=["cp1252", "latin_1"]).best()
        guess = best.encoding if best is not None else None
    if guess is not None:
        guess = codecs.lookup(guess).name  # "cp1252" or "iso8859-1"
    if undefined:
        return "latin_1"  # Windows-1252 would fail on the byte it leaves undefined
    if guess == "iso8859-1":
        return "latin_1"
    return "cp1252"


def _sniff(file, encoding: str) -> tuple[str, bool, list[list[str]]]:
    """The delimiter, whether a "sep=" line leads, and the first records parsed.

    The delimiter is Excel's "sep=" line's or the one counted most outside quotes over
    the first lines (on most lines first, most often then, ";" when tied).
    """
    file.seek(0)
    raw = file.read(CHUNK_SIZE)
    complete = len(raw) < CHUNK_SIZE
    file.seek(0)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw, final=complete)
    text = text.lstrip("\ufeff")
    if "\x00" in text:  # binary, not text: say so now, not after the first rows
        raise _message_bad_csv(text.count("\n", 0, text.index("\x00")) + 1)
    records = _split_records(text, complete)
    hint = re.match(r"^sep=(.)$", records[0].strip('"') if records else "")
    if hint:  # Excel's own hint line, which Excel hides: "sep=;"
        records = records[1:]
    nonblank = [record for record in records if record.strip()]
    if hint:
        best = hint.group(1)
    else:
        best = DELIMITERS[0]
        best_score = (0, 0)
        for delimiter in DELIMITERS:
            counts = [_count_outside_quotes(line, delimiter) for line in nonblank[:SAMPLE_LINES]]
            score = (sum(1 for count in counts if count), sum(counts))
            if score > best_score:  # strictly greater: ties keep the earlier (";" first)
                best, best_score = delimiter, score
    sample_rows = list(csv.reader(io.StringIO("\n".join(nonblank)), delimiter=best))
    return best, bool(hint), [[_clean(cell) for cell in row] for row in sample_rows]


def _split_records(text: str, complete: bool) -> list[str]:
    """Split at line ends outside quotes (a quoted cell may span lines)."""
    records = []
    quoted = False
    start = 0
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "\n" and not quoted:
            records.append(text[start:index].rstrip("\r"))
            start = index + 1
            if len(records) > SAMPLE_LINES * 10:
                return records
    if complete and start < len(text):
        records.append(text[start:])
    if not records and start < len(text):
        records.append(text[start:])  # one very long line: better than nothing
    return records


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _detect_decimal_comma(rows: list[list[str]], delimiter: str) -> bool:
    """True when the sample's numbers use "," as decimal mark.

    Only numbers whose mark is unambiguous count ("12,5", "1.234,5" against "12.5",
    "1,234.5"); with no evidence, Danish files (";" or tab) have it and "," files do not.
    """
    comma = point = 0
    for row in rows[1:]:
        for cell in row:
            cell = _SPACES.sub("", cell)
            if _COMMA_DECIMAL.match(cell):
                comma += 1
            elif _POINT_DECIMAL.match(cell):
                point += 1
    if comma or point:
        return comma > point
    return delimiter != ","


# --- values --------------------------------------------------------------------------


def parse_number(text: str | None, decimal_comma: bool = True) -> Decimal | None:
    """A cell's number as Decimal, or None when it is not one ("", "..", "-", "n/a").

    With ``decimal_comma``: "12,5", "1.234,5", "-3"; a plain "12.5" (one point, not
    three digits after it) is read as 12.5 too. Without: "12.5", "1,234.5", "-3".
    Spaces (also non-breaking ones) are ignored: "1 234,5".
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    text = _SPACES.sub("", text.lstrip("\ufeff")).replace("\u2212", "-")
    if not text:
        return None
    if decimal_comma:
        if _NUMBER_COMMA.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif not _PLAIN_POINT.match(text):
            return None
    elif _NUMBER_POINT.match(text):
        text = text.replace(",", "")
    else:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def split_area_cell(text: str) -> tuple[str | None, str]:
    """("KK-005", "Tingbjerg") from "KK-005 Tingbjerg"; (None, "Tingbjerg") from "Tingbjerg".

    The first whitespace-separated token is a code when it contains a digit.
    """
    text = _clean(text or "")
    parts = text.split(None, 1)
    if parts and any(char.isdigit() for char in parts[0]):
        return parts[0], parts[1].strip() if len(parts) > 1 else ""
    return None, text
