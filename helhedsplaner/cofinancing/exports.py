"""Excel (.xlsx) and CSV exports of the co-financing overviews.

Both render the same :class:`~helhedsplaner.cofinancing.selectors.Table` the page
shows, so the numbers are the same. Excel gets numbers as numbers with a DKK
number format; the CSV is what Danish Excel opens: semicolon-separated, UTF-8
with a byte-order mark, decimal comma.

Text comes from users (plan, pool and administration names): a name such as
``=HYPERLINK("http://x";"Klik")`` would be a live formula in the spreadsheet. Every
text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a leading ``'`` (OWASP's advice for CSV injection), in both formats; in
Excel such a cell is also stored as a string, never as a formula. Numbers (amounts,
negative ones too) are not text and stay numbers.
"""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .selectors import Cell, Table

DKK_FORMAT = '#,##0 "kr."'
PERCENT_FORMAT = "0.0%"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_KINDS = ("dkk", "percent", "int")


def neutralise(text: str) -> str:
    """A text a spreadsheet will show as text, never run as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _text_cell(sheet, row: int, column: int) -> None:
    """Keep a neutralised text cell a string (openpyxl takes "=..." for a formula)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(cell.value, str):
        cell.data_type = "s"


def _xlsx_value(cell: Cell):
    if cell.value is None or cell.value == "":
        return None
    if cell.kind == "dkk":
        # Whole kroner stay integers; øre survive as a float with two decimals.
        value = Decimal(cell.value)
        return int(value) if value == value.to_integral_value() else float(value)
    if cell.kind == "percent":
        return float(Decimal(cell.value) / 100)
    if cell.kind == "int":
        return int(cell.value)
    if cell.kind == "bool":
        return _("Yes") if cell.value else _("No")
    return neutralise(str(cell.value))


def table_to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([neutralise(table.caption)])
    _text_cell(sheet, 1, 1)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([neutralise(label) for label, _kind in table.columns])
    for column in range(1, len(table.columns) + 1):
        _text_cell(sheet, 2, column)
        sheet.cell(row=2, column=column).font = Font(bold=True)
    rows = [*table.rows, *([table.totals] if table.totals else [])]
    for row in rows:
        sheet.append([_xlsx_value(cell) for cell in row])
        excel_row = sheet.max_row
        for column, cell in enumerate(row, start=1):
            if cell.kind == "dkk":
                sheet.cell(row=excel_row, column=column).number_format = DKK_FORMAT
            elif cell.kind == "percent":
                sheet.cell(row=excel_row, column=column).number_format = PERCENT_FORMAT
            elif cell.kind not in NUMBER_KINDS:
                _text_cell(sheet, excel_row, column)
    if table.totals:
        for column in range(1, len(table.columns) + 1):
            sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
    for note in table.notes:
        sheet.append([])
        sheet.append([neutralise(note)])
        _text_cell(sheet, sheet.max_row, 1)
    sheet.column_dimensions["A"].width = 42
    for column in range(2, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18
    sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(cell: Cell) -> str:
    if cell.value is None or cell.value == "":
        return ""
    if cell.kind in ("dkk", "percent"):
        value = Decimal(cell.value)
        places = Decimal("0.01") if cell.kind == "dkk" else Decimal("0.1")
        return f"{value.quantize(places):f}".replace(".", ",")
    if cell.kind == "bool":
        return _("Yes") if cell.value else _("No")
    if cell.kind == "int":
        return str(cell.value)
    return neutralise(str(cell.value))


def table_to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(label) for label, _kind in table.columns])
    for row in [*table.rows, *([table.totals] if table.totals else [])]:
        writer.writerow([_csv_value(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
