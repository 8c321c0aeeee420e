"""Reading the spreadsheets municipalities really have: CSV from Excel or Statistikbanken, XLSX.

Every fixture is built here, with made-up areas and numbers (no personal data).
"""

import datetime
import io
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from openpyxl import Workbook

from helhedsplaner.imports.reading import (
    detect_encoding,
    open_sheet,
    parse_number,
    split_area_cell,
)

STATISTIKBANKEN = (
    "\ufeffOMRÅDE;INDIKATOR;TID;INDHOLD\r\n"
    "KK-005 Tingbjerg;Andel med lav indkomst;2023;22,8\r\n"
    "KK-005 Tingbjerg;Andel uden uddannelse;2023;..\r\n"
    "101 København;Andel med lav indkomst;2023;1.234,5\r\n"
).encode()


def rows(sheet):
    return list(sheet.rows())


def error_code(excinfo):
    return excinfo.value.code


# --- CSV -----------------------------------------------------------------------------


def test_statistikbanken_csv_utf8_with_bom():
    sheet = open_sheet(io.BytesIO(STATISTIKBANKEN), "tabel.csv")
    assert sheet.format == "csv"
    assert sheet.encoding == "utf-8-sig"
    assert sheet.delimiter == ";"
    assert sheet.decimal_comma is True
    assert sheet.header == ["OMRÅDE", "INDIKATOR", "TID", "INDHOLD"]
    assert sheet.header_line == 1
    assert rows(sheet) == [
        (2, ["KK-005 Tingbjerg", "Andel med lav indkomst", "2023", "22,8"]),
        (3, ["KK-005 Tingbjerg", "Andel uden uddannelse", "2023", ".."]),
        (4, ["101 København", "Andel med lav indkomst", "2023", "1.234,5"]),
    ]
    values = [parse_number(cells[3], sheet.decimal_comma) for _, cells in rows(sheet)]
    assert values == [Decimal("22.8"), None, Decimal("1234.5")]


def test_opendata_wide_csv_utf8_without_bom():
    data = (
        b"omraade;aar;lav_indkomst;uden_uddannelse\n"
        b"Tingbjerg;2022;21,4;30,1\n"
        b"Tingbjerg;2023;22,8;29,7\n"
        b"Husum;2023;;18\n"
    )
    sheet = open_sheet(io.BytesIO(data), "data.csv")
    assert (sheet.encoding, sheet.delimiter, sheet.decimal_comma) == ("utf-8", ";", True)
    assert sheet.header == ["omraade", "aar", "lav_indkomst", "uden_uddannelse"]
    assert rows(sheet)[-1] == (4, ["Husum", "2023", "", "18"])


def test_windows_1252_semicolon_csv_keeps_danish_letters():
    text = (
        "Område;Boligafdeling;Beløb\r\nÆblehaven;Søndergård;1.250,50\r\nÅbenrå Øst;Vænget;7,5\r\n"
    )
    sheet = open_sheet(io.BytesIO(text.encode("cp1252")), "export.csv")
    assert sheet.encoding == "cp1252"
    assert sheet.delimiter == ";"
    assert sheet.decimal_comma is True
    assert sheet.header == ["Område", "Boligafdeling", "Beløb"]
    assert rows(sheet) == [
        (2, ["Æblehaven", "Søndergård", "1.250,50"]),
        (3, ["Åbenrå Øst", "Vænget", "7,5"]),
    ]


def test_windows_1252_smart_quotes_and_euro():
    text = "navn;note\r\nSøholm;“Godkendt” – 5 €\r\n"
    sheet = open_sheet(io.BytesIO(text.encode("cp1252")), "a.csv")
    assert sheet.encoding == "cp1252"
    assert rows(sheet) == [(2, ["Søholm", "“Godkendt” – 5 €"])]


def test_a_byte_windows_1252_leaves_undefined_reads_as_latin_1():
    data = "navn;note\r\nSøholm;x".encode("cp1252") + b"\x81\r\n"
    sheet = open_sheet(io.BytesIO(data), "a.csv")
    assert sheet.encoding == "latin_1"
    assert rows(sheet) == [(2, ["Søholm", "x\x81"])]


def test_comma_delimited_with_decimal_points():
    data = b'area,year,low_income\r\nTingbjerg,2023,22.8\r\nHusum,2023,"1,234.5"\r\n'
    sheet = open_sheet(io.BytesIO(data), "data.csv")
    assert (sheet.delimiter, sheet.decimal_comma) == (",", False)
    assert rows(sheet) == [
        (2, ["Tingbjerg", "2023", "22.8"]),
        (3, ["Husum", "2023", "1,234.5"]),
    ]
    assert parse_number("1,234.5", sheet.decimal_comma) == Decimal("1234.5")


def test_comma_delimited_with_quoted_decimal_commas():
    data = b'omraade,andel\r\nTingbjerg,"22,8"\r\nHusum,"7,25"\r\n'
    sheet = open_sheet(io.BytesIO(data), "data.csv")
    assert (sheet.delimiter, sheet.decimal_comma) == (",", True)
    assert rows(sheet)[0] == (2, ["Tingbjerg", "22,8"])


def test_tab_delimited():
    data = b"omraade\tandel\nTingbjerg\t22,8\n"
    sheet = open_sheet(io.BytesIO(data), "data.txt")
    assert (sheet.delimiter, sheet.decimal_comma) == ("\t", True)
    assert rows(sheet) == [(2, ["Tingbjerg", "22,8"])]


def test_utf16_from_excel_unicode_text():
    data = "omraade\tandel\r\nSøborg\t3,5\r\n".encode("utf-16")
    sheet = open_sheet(io.BytesIO(data), "tekst.txt")
    assert (sheet.encoding, sheet.delimiter) == ("utf-16", "\t")
    assert rows(sheet) == [(2, ["Søborg", "3,5"])]


def test_semicolons_inside_quotes_do_not_count_and_ties_prefer_semicolon():
    data = b'a,b\n"x;y;z",1\n"p;q",2\n'
    assert open_sheet(io.BytesIO(data), "a.csv").delimiter == ","
    assert open_sheet(io.BytesIO(b"a;b,c\n"), "a.csv").delimiter == ";"
    assert open_sheet(io.BytesIO(b"one column\nvalue\n"), "a.csv").delimiter == ";"


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row():
    data = b"sep=,\r\nomraade,andel\r\nTingbjerg,22.8\r\n"
    sheet = open_sheet(io.BytesIO(data), "a.csv")
    assert sheet.delimiter == ","
    assert sheet.header == ["omraade", "andel"]
    assert rows(sheet) == [(2, ["Tingbjerg", "22.8"])]


def test_blank_rows_skipped_short_rows_padded_cells_stripped():
    data = (
        "\r\n;;\r\n  Område ; Andel ;Note;;\r\n"
        "Tingbjerg ;  22,8\r\n"
        ";;\r\n"
        '"Husum";"5";"lang\r\nnote";;\r\n'
        "Bispebjerg;1;2;3\r\n"
    ).encode()
    sheet = open_sheet(io.BytesIO(data), "a.csv")
    assert sheet.header == ["Område", "Andel", "Note"]
    assert sheet.header_line == 3
    assert rows(sheet) == [
        (4, ["Tingbjerg", "22,8", ""]),
        (6, ["Husum", "5", "lang\r\nnote"]),
        (7, ["Bispebjerg", "1", "2", "3"]),
    ]


def test_rows_can_be_read_again():
    sheet = open_sheet(io.BytesIO(STATISTIKBANKEN), "a.csv")
    first = rows(sheet)
    assert rows(sheet) == first
    iterator = sheet.rows()
    next(iterator)
    iterator.close()
    assert rows(sheet) == first


def test_late_cp1252_byte_after_100_kb_of_ascii():
    line = b"Tingbjerg;2023;22,8\r\n"
    data = b"omraade;aar;andel\r\n" + line * (100_000 // len(line) + 1)
    assert len(data) > 100_000
    data += "Sønderbro;2023;1,5\r\n".encode("cp1252")
    file = io.BytesIO(data)
    assert detect_encoding(file) == "cp1252"
    assert file.tell() == 0
    sheet = open_sheet(file, "a.csv")
    assert sheet.encoding == "cp1252"
    assert rows(sheet)[-1][1] == ["Sønderbro", "2023", "1,5"]


def test_utf8_split_across_chunks_is_still_utf8():
    data = b"a;b\n" + b"x" * (64 * 1024 - 5) + "ø;å\n".encode()
    assert open_sheet(io.BytesIO(data), "a.csv").encoding == "utf-8"


def test_django_files_and_paths(tmp_path):
    path = tmp_path / "tabel.csv"
    path.write_bytes(STATISTIKBANKEN)
    expected = rows(open_sheet(io.BytesIO(STATISTIKBANKEN), "a.csv"))

    with open_sheet(str(path)) as sheet:
        assert rows(sheet) == expected
    assert sheet._file is None  # opened from a path: closed with the sheet
    with open_sheet(path) as sheet:
        assert rows(sheet) == expected

    upload = SimpleUploadedFile("tabel.csv", STATISTIKBANKEN)
    assert rows(open_sheet(upload)) == expected
    assert not upload.closed  # the caller's file stays open

    temporary = TemporaryUploadedFile("tabel.csv", "text/csv", len(STATISTIKBANKEN), None)
    temporary.write(STATISTIKBANKEN)
    with open_sheet(temporary) as sheet:
        assert rows(sheet) == expected
    assert not temporary.closed
    temporary.close()

    assert rows(open_sheet(ContentFile(STATISTIKBANKEN, name="x.csv"))) == expected
    name = default_storage.save("imports/tabel.csv", ContentFile(STATISTIKBANKEN))
    with default_storage.open(name, "rb") as stored:
        assert rows(open_sheet(stored)) == expected


def test_csv_errors():
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(b""), "a.csv")
    assert error_code(excinfo) == "empty"
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(b"\r\n ; ;\r\n\r\n"), "a.csv")
    assert error_code(excinfo) == "empty"
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(b"\xef\xbb\xbf"), "a.csv")
    assert error_code(excinfo) == "empty"
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(b"a;b\n1;2\nx\x00y;3\n"), "a.csv")
    assert error_code(excinfo) == "bad_csv"
    assert excinfo.value.params == {"line": 3}
    assert "(linje 3)" in excinfo.value.messages[0]  # the interface language (Danish)
    too_long = b"a;b\n1;" + b"x" * 200_000 + b"\n"
    with pytest.raises(ValidationError) as excinfo:
        list(open_sheet(io.BytesIO(too_long), "a.csv").rows())
    assert excinfo.value.params == {"line": 2}
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(b"%PDF-1.7\n\x00\x01\x02binary"), "a.csv")
    assert error_code(excinfo) == "bad_csv"
    assert excinfo.value.params == {"line": 2}
    late_nul = b"a;b\n" + b"1;2\n" * 20_000 + b"x\x00y;3\n"
    with pytest.raises(ValidationError) as excinfo:
        list(open_sheet(io.BytesIO(late_nul), "a.csv").rows())
    assert excinfo.value.params == {"line": 20_002}


def test_reading_a_large_csv_streams():
    line = b"KK-005 Tingbjerg;Andel med lav indkomst;2023;22,8\r\n"
    data = "\ufeffOMRÅDE;INDIKATOR;TID;INDHOLD\r\n".encode() + line * 200_000
    file = io.BytesIO(data)
    tracemalloc.start()
    try:
        sheet = open_sheet(file, "stor.csv")
        count = 0
        for _line, _cells in sheet.rows():
            count += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < len(data) / 4, (peak, len(data))


# --- XLSX ----------------------------------------------------------------------------


def workbook_bytes(fill, *, empty_first_sheet=False):
    workbook = Workbook()
    sheet = workbook.active
    if empty_first_sheet:
        sheet.title = "Forside"
        sheet = workbook.create_sheet("Data")
    fill(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_indicators(sheet):
    sheet.append(["Område ", "År", "Andel", "Beløb", "Opgjort", "Note"])
    sheet.append(["KK-005 Tingbjerg", 2023, 22.8, Decimal("1234.50"), datetime.date(2024, 1, 31)])
    sheet.append([])  # an empty row (row 3)
    sheet.append(["Husum", 2023.0, 0.00001, 12, datetime.datetime(2024, 2, 1, 13, 30), None])
    sheet.append(["Bispebjerg", None, 1e20, -3, None, "  tekst  "])


def test_xlsx_numbers_dates_and_empty_rows():
    sheet = open_sheet(io.BytesIO(workbook_bytes(fill_indicators)), "indikatorer.xlsx")
    assert sheet.format == "xlsx"
    assert (sheet.encoding, sheet.delimiter, sheet.decimal_comma) == (None, None, False)
    assert sheet.header == ["Område", "År", "Andel", "Beløb", "Opgjort", "Note"]
    assert rows(sheet) == [
        (2, ["KK-005 Tingbjerg", "2023", "22.8", "1234.5", "2024-01-31", ""]),
        (4, ["Husum", "2023", "0.00001", "12", "2024-02-01", ""]),
        (5, ["Bispebjerg", "", "100000000000000000000", "-3", "", "tekst"]),
    ]
    assert rows(sheet) == rows(sheet)  # read again
    assert parse_number("22.8", sheet.decimal_comma) == Decimal("22.8")
    sheet.close()


def test_xlsx_detected_by_bytes_and_first_non_empty_sheet():
    data = workbook_bytes(
        lambda s: s.append(["a", "b"]) or s.append([1, 2]), empty_first_sheet=True
    )
    with open_sheet(ContentFile(data, name="upload.bin")) as sheet:
        assert sheet.format == "xlsx"
        assert sheet.header == ["a", "b"]
        assert rows(sheet) == [(2, ["1", "2"])]


def test_xlsx_header_below_blank_rows_keeps_sheet_row_numbers(tmp_path):
    def fill(sheet):
        sheet["B3"] = "Område"
        sheet["C3"] = "Andel"
        sheet["B5"] = "Tingbjerg"
        sheet["C5"] = 1.5

    path = tmp_path / "a.xlsm"
    path.write_bytes(workbook_bytes(fill))
    with open_sheet(path) as sheet:
        assert sheet.header_line == 3
        assert sheet.header == ["", "Område", "Andel"]
        assert rows(sheet) == [(5, ["", "Tingbjerg", "1.5"])]


def test_xlsx_empty_workbook():
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(workbook_bytes(lambda sheet: None)), "tom.xlsx")
    assert error_code(excinfo) == "empty"


def test_old_xls_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(b"a;b\n1;2\n"), "gammel.XLS")
    assert error_code(excinfo) == "xls"
    assert ".xlsx" in excinfo.value.messages[0]
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(ole2), "omdoebt.csv")
    assert error_code(excinfo) == "xls"


def test_broken_xlsx_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(b"PK\x03\x04 not really a zip"), "data.xlsx")
    assert error_code(excinfo) == "bad_xlsx"
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(io.BytesIO(b"just text"), "data.xlsx")
    assert error_code(excinfo) == "bad_xlsx"
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(ValidationError) as excinfo:
        open_sheet(other_zip, "data.xlsx")
    assert error_code(excinfo) == "bad_xlsx"


def test_closing_leaves_a_passed_file_open():
    upload = File(io.BytesIO(workbook_bytes(fill_indicators)), name="a.xlsx")
    with open_sheet(upload):
        pass
    assert not upload.closed


# --- values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1.234", Decimal("1234")),
        ("-3", Decimal("-3")),
        ("12.5", Decimal("12.5")),
        ("0.125", Decimal("0.125")),
        ("12.500", Decimal("12500")),
        (" 1 234,5 ", Decimal("1234.5")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("\u22123,5", Decimal("-3.5")),
        (",5", Decimal("0.5")),
        ("..", None),
        ("-", None),
        ("", None),
        (None, None),
        ("n/a", None),
        ("12,5 %", None),
        ("1,2,3", None),
    ],
)
def test_parse_number_with_decimal_comma(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", Decimal("12.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1,234", Decimal("1234")),
        ("0,125", None),
        ("-3", Decimal("-3")),
        ("12,5", None),
        ("..", None),
        ("-", None),
        ("", None),
    ],
)
def test_parse_number_with_decimal_point(text, expected):
    assert parse_number(text, decimal_comma=False) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KK-005 Tingbjerg", ("KK-005", "Tingbjerg")),
        ("101 København", ("101", "København")),
        ("  101   København  Ø ", ("101", "København  Ø")),
        ("Tingbjerg", (None, "Tingbjerg")),
        ("Hele landet", (None, "Hele landet")),
        ("2400", ("2400", "")),
        ("", (None, "")),
    ],
)
def test_split_area_cell(text, expected):
    assert split_area_cell(text) == expected
