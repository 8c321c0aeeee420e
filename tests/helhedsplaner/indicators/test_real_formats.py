"""Indicator files in the formats the real sources publish (issue 19), through the browser's
HTTP surface: upload, preview, mapping, save; a second import of the same file changes
nothing. The fixtures are built here in each source's shape, with invented figures.
"""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from helhedsplaner.indicators import importer
from helhedsplaner.models import Area, ImportMapping, IndicatorImport, IndicatorValue
from tests import factories

pytestmark = pytest.mark.django_db

IMPORT = reverse("helhedsplaner:indicator_import")

# Statistikbanken's API CSV: UTF-8 with a byte-order mark, its own header, "code label"
# area cells, and its symbols: ".." (not published), "-" (nil).
STATISTIKBANKEN = (
    "\ufeffOMRÅDE;INDIKATOR;TID;INDHOLD\r\n"
    "KK-005 Tingbjerg;Andel med lav indkomst;2022;23,1\r\n"
    "KK-005 Tingbjerg;Andel med lav indkomst;2023;..\r\n"
    "KK-008 Urbanplanen;Andel med lav indkomst;2023;-\r\n"
    "KK-008 Urbanplanen;Andel med lav indkomst;2022;30,4\r\n"
)
# opendata.dk's wide layout: one column per indicator, its own codes, empty cells.
OPENDATA = (
    "omraade;aar;lav_indkomst;uden_for_arbejdsmarkedet;ledighed_pct\n"
    "Tingbjerg;2021;22,8;31,0;7,5\n"
    "Urbanplanen;2021;;29,5;6,1\n"
)


@pytest.fixture
def reference():
    tingbjerg = factories.area("Tingbjerg", district="Brønshøj-Husum")
    urban = factories.area("Urbanplanen")
    for area, code in ((tingbjerg, "KK-005"), (urban, "KK-008")):
        area.code = code
        area.save()
    income = factories.indicator("lav-indkomst", "Andel med lav indkomst")
    work = factories.indicator("uden-for-arbejdsmarkedet", "Andel uden for arbejdsmarkedet")
    unemployed = factories.indicator("ledighed", "Ledighed")
    return tingbjerg, urban, income, work, unemployed


def upload(client, content: bytes, name: str):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)}, follow=True)


def save(client, job):
    return client.post(
        reverse("helhedsplaner:indicator_import_confirm", args=[job.pk]), follow=True
    )


def test_statistikbanken_csv_imports_with_its_symbols_read_as_it_defines_them(
    client_for, caseworker, reference
):
    tingbjerg, urban, income, _work, _unemployed = reference
    client = client_for(caseworker)
    page = upload(client, STATISTIKBANKEN.encode("utf-8"), "statistikbanken.csv").content.decode()
    assert "Læst som: Statistikbanken (Danmarks Statistik)." in page
    assert "Filen har 4 værdier og ingen fejl." in page
    # How each symbol was read, in the preview, before anything is saved.
    assert "fortroligt eller for usikkert til at blive offentliggjort (ingen værdi)" in page
    assert "nul: tallet er 0" in page
    assert not IndicatorValue.objects.exists()

    job = IndicatorImport.objects.get()
    save(client, job)
    values = {(v.area, v.year): (v.value, v.symbol) for v in IndicatorValue.objects.all()}
    assert values == {
        (tingbjerg, 2022): (Decimal("23.1"), ""),
        (tingbjerg, 2023): (None, ".."),  # not published: no value, never 0
        (urban, 2023): (Decimal("0"), "-"),  # nil, as Statistikbanken defines "-"
        (urban, 2022): (Decimal("30.4"), ""),
    }

    # The same file again changes nothing, and writes no history.
    history = IndicatorValue.history.count()
    upload(client, STATISTIKBANKEN.encode("utf-8"), "statistikbanken.csv")
    again = IndicatorImport.objects.latest("pk")
    save(client, again)
    again.refresh_from_db()
    assert (again.values_created, again.values_updated, again.values_unchanged) == (0, 0, 4)
    assert IndicatorValue.history.count() == history


def test_a_symbol_the_source_does_not_define_is_refused_not_guessed(
    client_for, caseworker, reference
):
    text = STATISTIKBANKEN + "KK-005 Tingbjerg;Andel med lav indkomst;2021;x\r\n"
    page = upload(client_for(caseworker), text.encode("utf-8"), "sb.csv").content.decode()
    assert "Linje 6: værdien »x« er hverken et tal eller et af symbolerne fra" in page
    assert not IndicatorValue.objects.exists()


def test_opendata_wide_file_maps_its_codes_and_an_unknown_column_once(
    client_for, caseworker, reference
):
    tingbjerg, urban, income, work, unemployed = reference
    client = client_for(caseworker)
    page = upload(client, OPENDATA.encode("utf-8"), "opendata.csv").content.decode()
    # lav_indkomst is the app's lav-indkomst; ledighed_pct is not known: map it.
    assert "Navne, appen ikke kender" in page
    assert "ledighed_pct" in page
    job = IndicatorImport.objects.get()
    assert job.rows_refused  # not saved while a name is unmapped
    save(client, job)
    assert not IndicatorValue.objects.exists()

    mapped = client.post(
        reverse("helhedsplaner:indicator_import_map", args=[job.pk]),
        {"indicator_0": str(unemployed.pk)},
        follow=True,
    ).content.decode()
    assert "Filen har 5 værdier og ingen fejl." in mapped  # the empty cell is left out
    assert "1 tom celle har intet tal og udelades (læses ikke som 0)." in mapped
    save(client, IndicatorImport.objects.get(pk=job.pk))
    values = {(v.area, v.indicator, v.year): v.value for v in IndicatorValue.objects.all()}
    assert values[(tingbjerg, unemployed, 2021)] == Decimal("7.5")
    assert values[(urban, work, 2021)] == Decimal("29.5")
    assert (urban, income, 2021) not in values

    # The next file from the same source is read with the remembered mapping.
    assert ImportMapping.objects.get(kind="indicators").updated_by == caseworker
    later = OPENDATA.replace("2021", "2022")
    page = upload(client, later.encode("utf-8"), "opendata-2022.csv").content.decode()
    assert "Navne, appen ikke kender" not in page
    assert "Filen har 5 værdier og ingen fejl." in page


def test_an_area_the_mapping_leaves_out_is_skipped(client_for, caseworker, reference):
    text = STATISTIKBANKEN + "000 Hele landet;Andel med lav indkomst;2022;12,0\r\n"
    client = client_for(caseworker)
    upload(client, text.encode("utf-8"), "sb.csv")
    job = IndicatorImport.objects.get()
    page = client.post(
        reverse("helhedsplaner:indicator_import_map", args=[job.pk]),
        {"area_0": str(importer.SKIP)},
        follow=True,
    ).content.decode()
    assert "Filen har 4 værdier og ingen fejl." in page


def test_an_excel_workbook_imports(client_for, caseworker, reference):
    tingbjerg, _urban, income, _work, _unemployed = reference
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Område", "Indikator", "År", "Værdi"])
    sheet.append(["Tingbjerg", "Andel med lav indkomst", 2024, 22.8])
    sheet.append([])
    sheet.append(["KK-005", "lav-indkomst", 2023, 21])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(caseworker)
    page = upload(client, buffer.getvalue(), "indikatorer.xlsx").content.decode()
    assert "Filen har 2 værdier og ingen fejl." in page
    save(client, IndicatorImport.objects.get())
    values = {v.year: v.value for v in IndicatorValue.objects.filter(area=tingbjerg)}
    assert values == {2024: Decimal("22.8"), 2023: Decimal("21")}


def test_an_unknown_area_is_created_by_a_caseworker_who_maintains_the_areas(
    client_for, caseworker, reference
):
    text = STATISTIKBANKEN + "KK-031 Ørestad;Andel med lav indkomst;2023;18,2\r\n"
    client = client_for(caseworker)
    upload(client, text.encode("utf-8"), "sb.csv")
    job = IndicatorImport.objects.get()
    page = client.get(reverse("helhedsplaner:indicator_import_job", args=[job.pk]))
    assert "Opret som nyt område" in page.content.decode()
    checked = client.post(
        reverse("helhedsplaner:indicator_import_map", args=[job.pk]),
        {"area_0": str(importer.CREATE)},
        follow=True,
    ).content.decode()
    assert "Filen har 5 værdier og ingen fejl." in checked
    created = Area.objects.get(code="KK-031")
    assert created.name == "Ørestad"
    assert created.history.get().history_user == caseworker


def test_creating_names_is_refused_to_those_who_do_not_maintain_them(caseworker, reference):
    from core import roles
    from helhedsplaner.indicators import services

    text = STATISTIKBANKEN + "KK-031 Ørestad;Andel med lav indkomst;2023;18,2\r\n"
    job = services.indicator_import_start(
        upload=SimpleUploadedFile("sb.csv", text.encode("utf-8")), user=caseworker
    )
    job.refresh_from_db()
    politician = factories.user(roles.POLITICIAN)
    with pytest.raises(ValidationError):
        services.indicator_import_map(
            job=job, user=politician, areas={"KK-031 Ørestad": importer.CREATE}, indicators={}
        )
    assert not Area.objects.filter(code="KK-031").exists()


def test_a_header_with_other_names_is_mapped_column_by_column_and_remembered(
    client_for, caseworker, reference
):
    tingbjerg, _urban, income, _work, _unemployed = reference
    text = "Bydel;Årstal;Lav indkomst (pct.);Noter\nTingbjerg;2024;22,8;foreløbig\n"
    client = client_for(caseworker)
    page = upload(client, text.encode("utf-8"), "egen.csv").content.decode()
    assert "Hvilken kolonne indeholder hvad" in page
    job = IndicatorImport.objects.get()
    columns = reverse("helhedsplaner:indicator_import_columns", args=[job.pk])
    refused = client.post(columns, {"column_0": "area"}).content.decode()
    assert "Vælg kolonnen med området og kolonnen med året." in refused
    checked = client.post(
        columns,
        {"column_0": "area", "column_1": "year", "column_2": "wide", "column_3": "skip"},
        follow=True,
    ).content.decode()
    # The indicator column's name is then mapped like any unknown name.
    assert "Navne, appen ikke kender" in checked
    client.post(
        reverse("helhedsplaner:indicator_import_map", args=[job.pk]),
        {"indicator_0": str(income.pk)},
    )
    save(client, IndicatorImport.objects.get(pk=job.pk))
    assert IndicatorValue.objects.get(area=tingbjerg, year=2024).value == Decimal("22.8")

    again = upload(client, text.replace("2024", "2023").encode("utf-8"), "egen-2023.csv")
    assert "Filen har 1 værdi og ingen fejl." in again.content.decode()
