"""Indicator values: one at a time in a form, many from a CSV file with a preview.

The file is checked and saved in the background (``test_import_jobs``); with the test
settings' immediate backend a job has run by the time its page is asked for.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helhedsplaner.indicators import importer, services
from helhedsplaner.models import IndicatorImport, IndicatorValue
from tests import factories

pytestmark = pytest.mark.django_db

REGISTER = reverse("helhedsplaner:indicator_register")
IMPORT = reverse("helhedsplaner:indicator_import")


@pytest.fixture
def reference():
    tingbjerg = factories.area("Tingbjerg")
    urban = factories.area("Urbanplanen")
    for area, code in ((tingbjerg, "KK-005"), (urban, "KK-008")):
        area.code = code
        area.save()
    income = factories.indicator("lav-indkomst", "Andel med lav indkomst")
    work = factories.indicator("uden-for-arbejdsmarkedet", "Andel uden for arbejdsmarkedet")
    return tingbjerg, urban, income, work


def upload(client, text: str | bytes, name="indikatorer.csv", follow=True):
    """Upload a file; the page of its import, the job done (the immediate backend)."""
    content = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        IMPORT, {"file": SimpleUploadedFile(name, content, "text/csv")}, follow=follow
    )


def confirm_url(job=None):
    job = job or IndicatorImport.objects.latest("pk")
    return reverse("helhedsplaner:indicator_import_confirm", args=[job.pk])


GOOD = (
    "område;indikator;år;værdi\n"
    "Tingbjerg;Andel med lav indkomst;2024;22,8\n"
    "KK-008;uden-for-arbejdsmarkedet;2024;31,5\n"
    "urbanplanen;lav-indkomst;2023;1.234,5\n"
)


# -- one value in the form ---------------------------------------------------------------------


def test_caseworker_registers_a_value_with_a_decimal_comma(client_for, caseworker, reference):
    tingbjerg, _, income, _ = reference
    response = client_for(caseworker).post(
        REGISTER, {"area": tingbjerg.pk, "indicator": income.pk, "year": "2024", "value": "23,4"}
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.area, value.indicator, value.year, value.value) == (
        tingbjerg,
        income,
        2024,
        Decimal("23.4"),
    )
    assert value.history.get().history_user == caseworker
    page = client_for(caseworker).get(REGISTER).content.decode()
    assert "Gemt: Andel med lav indkomst, Tingbjerg 2024 = 23,4." in page


def test_registering_an_existing_value_updates_it_and_keeps_history(
    client_for, caseworker, reference
):
    tingbjerg, _, income, _ = reference
    factories.indicator_value(tingbjerg, income, 2024, Decimal("20"))
    client_for(caseworker).post(
        REGISTER, {"area": tingbjerg.pk, "indicator": income.pk, "year": "2024", "value": "21,5"}
    )
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("21.5")
    assert [h.value for h in value.history.order_by("history_date")] == [
        Decimal("20"),
        Decimal("21.5"),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "mange"}, "Skriv et tal, fx 12,5 eller 1.250.000."),
        ({"year": "1980"}, "Året skal være 1990 eller senere."),
        ({"value": ""}, "Skriv et tal: feltet må ikke være tomt."),
    ],
)
def test_invalid_value_is_refused_in_danish(client_for, caseworker, reference, changes, message):
    tingbjerg, _, income, _ = reference
    data = {"area": tingbjerg.pk, "indicator": income.pk, "year": "2024", "value": "23,4"}
    data.update(changes)
    response = client_for(caseworker).post(REGISTER, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content and 'class="error-summary"' in content
    assert not IndicatorValue.objects.exists()


# -- CSV import --------------------------------------------------------------------------------


def test_import_page_documents_the_format(client_for, caseworker, reference):
    content = client_for(caseworker).get(IMPORT).content.decode()
    assert "område;indikator;år;værdi" in content
    assert "semikolon" in content and "Windows-1252" in content and "64 MB" in content
    assert "OMRÅDE;INDIKATOR;TID;INDHOLD" in content  # Statistikbanken's files as they are
    assert "lav-indkomst" in content  # the codes are listed


def test_good_file_is_previewed_without_saving_then_saved(client_for, caseworker, reference):
    tingbjerg, urban, income, work = reference
    factories.indicator_value(urban, income, 2023, Decimal("30"))
    client = client_for(caseworker)
    response = upload(client, GOOD, follow=False)
    job = IndicatorImport.objects.get()
    page = reverse("helhedsplaner:indicator_import_job", args=[job.pk])
    assert response.status_code == 302 and response["Location"] == page
    response = client.get(page)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Filen har 3 værdier og ingen fejl." in content
    assert "Gem 3 værdier" in content
    assert "Erstatter den nuværende værdi" in content
    assert IndicatorValue.objects.count() == 1  # the preview saved nothing
    response = client.post(confirm_url(job))
    assert response.status_code == 302 and response["Location"] == page
    saved = {(v.area, v.indicator, v.year): v.value for v in IndicatorValue.objects.all()}
    assert saved == {
        (tingbjerg, income, 2024): Decimal("22.8"),
        (urban, work, 2024): Decimal("31.5"),
        (urban, income, 2023): Decimal("1234.5"),
    }
    assert IndicatorValue.history.filter(history_user=caseworker).count() == 3
    content = client.get(page).content.decode()
    assert "indikatorer.csv er importeret: 2 nye værdier, 1 opdateret, 0 uændret." in content
    assert f'href="{REGISTER}"' in content
    assert client.post(confirm_url(job)).status_code == 302  # saved already: no second import
    assert IndicatorValue.history.count() == 4


def test_file_with_bom_and_windows_line_ends_is_read(client_for, caseworker, reference):
    text = "\ufeff" + GOOD.replace("\n", "\r\n")
    response = upload(client_for(caseworker), text.encode("utf-8"))
    assert "Filen har 3 værdier og ingen fejl." in response.content.decode()


def test_bad_file_shows_every_wrong_line_and_saves_nothing(client_for, caseworker, reference):
    text = (
        "område;indikator;år;værdi\n"
        "Tingbjerg;lav-indkomst;2024;22,8\n"
        "Tingbjergg;lav-indkomst;2024;22,8\n"
        "Tingbjerg;lav-indkomst;20x4;abc\n"
        "Tingbjerg;lav-indkomst;2024\n"
        "Tingbjerg;lav-indkomst;2024;23\n"
    )
    client = client_for(caseworker)
    response = upload(client, text)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Intet er gemt: 4 linjer skal rettes" in content
    assert "Linje 3: ukendt område »Tingbjergg«." in content
    assert (
        "Linje 4: året »20x4« skal være et årstal fra 1990 til 2100; værdien »abc« er ikke et "
        "tal" in content
    )
    assert "Linje 5: værdien mangler (skriv et tal, fx 12,5)." in content
    assert "Linje 6: samme område, indikator og år som linje 2." in content
    assert confirm_url() not in content  # no save button for a file with errors
    assert client.post(confirm_url()).status_code == 302  # a file with errors is not saved
    assert not IndicatorValue.objects.exists()


def test_wrong_header_is_explained(client_for, caseworker, reference):
    response = upload(client_for(caseworker), "navn;tal\nTingbjerg;1\n")
    assert "Linje 1: overskriften skal nævne området og året" in response.content.decode()


def test_a_comma_separated_file_with_english_names_and_decimal_points_is_read(
    client_for, caseworker, reference
):
    text = "area,indicator,year,value\nTingbjerg,lav-indkomst,2024,22.8\n"
    response = upload(client_for(caseworker), text)
    assert "Filen har 1 værdi og ingen fejl." in response.content.decode()


def test_too_large_file_is_refused_with_clear_message(
    client_for, caseworker, reference, monkeypatch
):
    monkeypatch.setattr(importer, "MAX_BYTES", 1024 * 1024)  # the real limit is 64 MB
    big = b"omr\xc3\xa5de;indikator;\xc3\xa5r;v\xc3\xa6rdi\n" + b"x" * (1024 * 1024)
    response = upload(client_for(caseworker), big)
    content = response.content.decode()
    assert response.status_code == 400
    assert "Filen er for stor (1,0 MB). Den må højst fylde 1,0 MB." in content
    assert 'href="#id_file"' in content


def test_a_windows_1252_file_from_danish_excel_keeps_its_letters(client_for, caseworker):
    """Danish Excel's "CSV (semikolonsepareret)" is Windows-1252, not UTF-8."""
    orestad = factories.area("Ørestad Syd")
    factories.indicator("boligareal", "Boligareal pr. person")
    text = "område;indikator;år;værdi\nØrestad Syd;Boligareal pr. person;2024;27,4\n"
    client = client_for(caseworker)
    response = upload(client, text.encode("cp1252"))
    assert "Filen har 1 værdi og ingen fejl." in response.content.decode()
    job = IndicatorImport.objects.get()
    client.post(confirm_url(job))
    assert IndicatorValue.objects.get().area == orestad


def test_import_service_is_all_or_nothing(caseworker, reference):
    text = GOOD + "Ingensteds;lav-indkomst;2024;1\n"
    with pytest.raises(ValidationError) as error:
        services.indicator_values_import(text=text, user=caseworker)
    assert "Linje 5: ukendt område »Ingensteds«." in error.value.messages
    assert not IndicatorValue.objects.exists()


def test_parse_value_reads_danish_numbers():
    assert importer.parse_value("12,5") == Decimal("12.5")
    assert importer.parse_value("1.234,5") == Decimal("1234.5")
    assert importer.parse_value("1.234") == Decimal("1234")
    assert importer.parse_value("12.5") == Decimal("12.5")
    assert importer.parse_value("-3") == Decimal("-3")
    assert importer.parse_value("12,5 %") is None


def test_field_over_the_csv_limit_names_the_line(client_for, caseworker, reference):
    """The csv module refuses a field over 131.072 characters; that was a 500."""
    text = GOOD + "Tingbjerg;" + "x" * 200_000 + ";2024;1\n"
    response = upload(client_for(caseworker), text)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Linje 5: Filen kunne ikke læses som CSV (linje 5)." in content
    assert not IndicatorValue.objects.exists()


def test_unclosed_quotation_mark_names_the_line_it_starts_on(client_for, caseworker, reference):
    text = GOOD + 'Tingbjerg;"lav-indkomst;2024;1\n' + ("Tingbjerg;lav-indkomst;2024;1\n" * 5000)
    response = upload(client_for(caseworker), text)
    assert response.status_code == 200
    assert "Linje 5: Filen kunne ikke læses som CSV (linje 5)." in response.content.decode()


def test_field_over_the_csv_limit_in_the_header(caseworker, reference):
    parsed = importer.parse("x" * 140_000 + ";indikator;år;værdi\n")
    assert [e.message for e in parsed.errors][0].startswith(
        "Linje 1: Filen kunne ikke læses som CSV (linje 1)."
    )
