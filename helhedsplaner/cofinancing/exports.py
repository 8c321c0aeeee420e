"""Excel (.xlsx) and CSV exports of the co-financing overviews.

Both render the same :class:`~helhedsplaner.cofinancing.selectors.Table` the page
shows, so the numbers are the same. Excel gets numbers as numbers with a DKK
number format; the CSV is what Danish Excel opens: semicolon-separated, UTF-8
with a byte-order mark, decimal comma.
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
    return str(cell.value)


def table_to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([table.caption])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([label for label, _kind in table.columns])
    for column in range(1, len(table.columns) + 1):
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
    if table.totals:
        for column in range(1, len(table.columns) + 1):
            sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
    for note in table.notes:
        sheet.append([])
        sheet.append([note])
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
    return str(cell.value)


def table_to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for label, _kind in table.columns])
    for row in [*table.rows, *([table.totals] if table.totals else [])]:
        writer.writerow([_csv_value(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
