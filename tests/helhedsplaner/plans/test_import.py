"""Plans and estates from a spreadsheet (issue 19 point 4): upload → columns → preview →
import, through the web client, on CSV and XLSX files built here."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from core import roles
from helhedsplaner.models import Estate, ImportMapping, Plan
from tests import factories

pytestmark = pytest.mark.django_db

UPLOAD = reverse("helhedsplaner:plan_import")
MAPPING = reverse("helhedsplaner:plan_import_mapping")
PREVIEW = reverse("helhedsplaner:plan_import_preview")
COMMIT = reverse("helhedsplaner:plan_import_commit")

HEADER = [
    "Helhedsplan",
    "Boligorganisation",
    "Afdeling",
    "Afd.nr.",
    "Lejemål",
    "Område",
    "Periode start",
    "Periode slut",
    "Budget",
    "LBF-tilskud",
    "Ledende forvaltning",
    "LBF-sagsnummer",
]
ROWS = [
    # A plan with two estates: its columns repeat.
    [
        "Helhedsplan Tingbjerg",
        "fsb",
        "Tingbjerg afd. 1",
        "1",
        "800",
        "Tingbjerg",
        "1-1-2020",
        "31.12.2023",
        "1.250.000",
        "900.000",
        "TMF",
        "LBF-2020-01",
    ],
    [
        "Helhedsplan Tingbjerg",
        "fsb",
        "Utterslevhuse",
        "2",
        "450",
        "Tingbjerg",
        "1-1-2020",
        "31.12.2023",
        "1.250.000",
        "900.000",
        "TMF",
        "LBF-2020-01",
    ],
    # A plan without estates, its area by code, æøå throughout.
    [
        "Helhedsplan Ærøgade Øst",
        "Boligselskabet Sjælland",
        "",
        "",
        "",
        "kk-007",
        "2021-01-01",
        "2024-12-31",
        "2.000.000",
        "1.400.000,50",
        "Beskæftigelses- og Integrationsforvaltningen",
        "",
    ],
]


@pytest.fixture
def register():
    """What the file's names refer to: they must exist before the import."""
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    bif = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    factories.housing_organisation("fsb")
    factories.housing_organisation("Boligselskabet Sjælland")
    tingbjerg = factories.area("Tingbjerg")
    aeroe = factories.area("Ærøgade")
    aeroe.code = "KK-007"
    aeroe.save()
    period = factories.lbf_period("2019–2026", 2019, 2026)
    return {"tmf": tmf, "bif": bif, "tingbjerg": tingbjerg, "period": period}


def csv_file(rows=ROWS, header=HEADER, name="planer.csv"):
    text = "\r\n".join(";".join(row) for row in [header, *rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode("cp1252"), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="planer.xlsx"):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, file):
    response = client.post(UPLOAD, {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == MAPPING
    return client.get(MAPPING)


def mapping_post(response) -> dict:
    """The mapping form as pre-filled: each select's chosen option."""
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def import_file(client, file, *, commit=True):
    """Upload, keep the pre-filled columns, look at the preview and (optionally) import."""
    page = upload(client, file)
    assert page.status_code == 200
    response = client.post(MAPPING, mapping_post(page))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == PREVIEW
    preview = client.get(PREVIEW)
    if not commit:
        return preview
    return preview, client.post(COMMIT)


def history_rows() -> int:
    return Plan.history.count() + Estate.history.count()


def danish(message: str, **params) -> str:
    with translation.override("da"):
        return _(message) % params if params else _(message)


def test_csv_in_cp1252_creates_plans_with_estates_attributed_to_the_user(
    client_for, caseworker, register
):
    client = client_for(caseworker)
    preview = import_file(client, csv_file(), commit=False)
    assert preview.status_code == 200
    plans = {change.name: change for change in preview.context["preview"].plans}
    assert {name: change.status for name, change in plans.items()} == {
        "Helhedsplan Tingbjerg": "new",
        "Helhedsplan Ærøgade Øst": "new",
    }
    assert preview.context["preview"].refusals == []
    assert not Plan.objects.exists()  # the preview saves nothing
    response = client.post(COMMIT)
    assert response.status_code == 302
    assert response["Location"] == reverse("helhedsplaner:plan_list")

    tingbjerg = Plan.objects.get(name="Helhedsplan Tingbjerg")
    assert tingbjerg.lbf_number == "LBF-2020-01"
    assert tingbjerg.budget == Decimal("1250000") and tingbjerg.lbf_grant == Decimal("900000")
    assert (tingbjerg.period_start, tingbjerg.period_end) == (date(2020, 1, 1), date(2023, 12, 31))
    assert tingbjerg.lbf_period == register["period"]  # the period containing the start
    assert tingbjerg.lead_administration == register["tmf"]
    assert tingbjerg.status == Plan.Status.IDEA
    estates = {(e.name, e.number, e.tenancies) for e in tingbjerg.estates.all()}
    assert estates == {("Tingbjerg afd. 1", "1", 800), ("Utterslevhuse", "2", 450)}
    aeroe = Plan.objects.get(name="Helhedsplan Ærøgade Øst")
    assert aeroe.area.code == "KK-007"
    assert aeroe.housing_organisation.name == "Boligselskabet Sjælland"
    assert aeroe.lbf_grant == Decimal("1400000.50") and not aeroe.estates.exists()
    assert aeroe.lead_administration == register["bif"]
    users = {row.history_user for row in Plan.history.all()} | {
        row.history_user for row in Estate.history.all()
    }
    assert users == {caseworker}
    assert tingbjerg.status_changes.get().changed_by == caseworker
    assert not default_storage.listdir("imports/plans")[1]  # the file is deleted afterwards


def test_second_import_of_the_same_file_changes_nothing(client_for, caseworker, register):
    client = client_for(caseworker)
    import_file(client, csv_file())
    before = history_rows()
    versions = dict(Plan.objects.values_list("name", "version"))
    preview, response = import_file(client, csv_file())
    assert {change.status for change in preview.context["preview"].plans} == {"unchanged"}
    assert b'action="' + COMMIT.encode() not in preview.content  # nothing to import
    assert response.status_code == 302
    assert history_rows() == before
    assert dict(Plan.objects.values_list("name", "version")) == versions
    assert Plan.objects.count() == 2 and Estate.objects.count() == 2


def test_matching_by_lbf_number_renames_the_plan_and_changes_an_estate(
    client_for, caseworker, register
):
    client = client_for(caseworker)
    import_file(client, csv_file(ROWS[:2]))
    plan = Plan.objects.get()
    renamed = [[row[0].replace("Tingbjerg", "Tingbjerg-Utterslev"), *row[1:]] for row in ROWS[:2]]
    renamed[1][4] = "460"
    preview, response = import_file(client, csv_file(renamed))
    [change] = preview.context["preview"].plans
    assert change.status == "changed" and change.plan == plan
    assert change.fields == [danish("name")]
    assert [(e.name, e.status) for e in change.estates] == [
        ("Tingbjerg afd. 1", "unchanged"),
        ("Utterslevhuse", "changed"),
    ]
    assert response.status_code == 302
    plan.refresh_from_db()
    assert Plan.objects.count() == 1
    assert plan.name == "Helhedsplan Tingbjerg-Utterslev"
    assert plan.estates.get(name="Utterslevhuse").tenancies == 460
    assert plan.history.latest("history_date").history_user == caseworker


def test_xlsx_with_refused_rows_shows_line_and_reason_and_saves_nothing(
    client_for, caseworker, register
):
    good = ["Helhedsplan Nord", "fsb", "Nord afd. 1", 3, 200, "Tingbjerg"]
    good += [date(2020, 1, 1), date(2022, 12, 31), 1000000, 500000, "TMF", "LBF-1"]
    unknown_area = ["Helhedsplan Syd", "fsb", "", "", "", "Atlantis"]
    unknown_area += [date(2020, 1, 1), date(2022, 12, 31), 1000000, 500000, "TMF", ""]
    too_much = ["Helhedsplan Vest", "fsb", "", "", "", "Tingbjerg"]
    too_much += ["01.01.2020", "31.12.2022", "1.000.000", "800.000", "TMF", ""]
    client = client_for(caseworker)
    preview, response = import_file(client, xlsx_file([good, unknown_area, too_much]))
    refusals = preview.context["preview"].refusals
    assert [refusal.line for refusal in refusals] == [3, 4]
    assert refusals[0].reason == danish(
        "The area “%(name)s” is not in the register (by name or code).", name="Atlantis"
    )
    assert "75" in refusals[1].reason
    content = preview.content.decode()
    for refusal in refusals:
        assert escape(refusal.reason) in content
    assert b'action="' + COMMIT.encode() not in preview.content
    assert response.status_code == 400  # a direct POST is refused as well
    assert not Plan.objects.exists() and not Estate.objects.exists()
    assert not ImportMapping.objects.exists()


def test_rule_violation_at_commit_refuses_the_whole_import(
    client_for, caseworker, register, monkeypatch
):
    """A plan refused while saving (here: the LBF share, as if the preview had missed it)
    takes every other plan of the file with it."""
    from helhedsplaner.plans import imports

    client = client_for(caseworker)
    import_file(client, csv_file(), commit=False)
    monkeypatch.setattr(imports, "_check_rules", lambda change: None)
    original = imports.services.plan_create

    def plan_create(*, user, fields, m2m, estates):
        if fields["name"] == "Helhedsplan Ærøgade Øst":
            fields = {**fields, "lbf_grant": fields["budget"]}
        return original(user=user, fields=fields, m2m=m2m, estates=estates)

    monkeypatch.setattr(imports.services, "plan_create", plan_create)
    response = client.post(COMMIT)
    assert response.status_code == 400
    refusals = response.context["preview"].refusals
    assert [refusal.line for refusal in refusals] == [4]
    assert "75" in refusals[0].reason
    assert not Plan.objects.exists() and not Estate.objects.exists()


def test_caseworker_of_another_administration_is_refused_for_that_row(client_for, register):
    caseworker = factories.user(roles.CASEWORKER, "bif-sagsbehandler", scoped=True)
    factories.staff(caseworker, register["bif"])
    client = client_for(caseworker)
    preview = import_file(client, csv_file(), commit=False)
    refusals = preview.context["preview"].refusals
    assert [refusal.line for refusal in refusals] == [2, 3]
    assert refusals[0].reason == danish(
        "You do not write plans for %(administration)s: the plan is not imported.",
        administration="Teknik- og Miljøforvaltningen",
    )
    assert [change.name for change in preview.context["preview"].plans] == [
        "Helhedsplan Ærøgade Øst"
    ]
    assert client.post(COMMIT).status_code == 400
    assert not Plan.objects.exists()


def test_caseworker_may_not_change_another_administrations_plan(client_for, register):
    factories.plan(
        "Helhedsplan Tingbjerg", lead_administration=register["tmf"], lbf_number="LBF-2020-01"
    )
    caseworker = factories.user(roles.CASEWORKER, "bif-sagsbehandler", scoped=True)
    factories.staff(caseworker, register["bif"])
    moved = [[*row[:10], "BIF", row[11]] for row in ROWS[:2]]
    preview = import_file(client_for(caseworker), csv_file(moved), commit=False)
    assert [refusal.line for refusal in preview.context["preview"].refusals] == [2, 3]
    assert Plan.objects.get().lead_administration == register["tmf"]


def test_the_remembered_mapping_prefills_the_next_file_with_the_same_header(
    client_for, caseworker, register
):
    header = ["Plan", "Selskab", "Afd", "Nr", "Antal", "Omr", "Fra", "Til", "Kr", "Tilskud"]
    header += ["Forv", "Sag"]
    client = client_for(caseworker)
    page = upload(client, csv_file(header=header))
    form = page.context["form"]
    assert form["housing_organisation"].value() in (None, "")  # no name matches
    chosen = {
        column: str(index)
        for index, column in enumerate(
            [
                "name",
                "housing_organisation",
                "estate_name",
                "estate_number",
                "tenancies",
                "area",
                "period_start",
                "period_end",
                "budget",
                "lbf_grant",
                "lead_administration",
                "lbf_number",
            ]
        )
    }
    assert client.post(MAPPING, {**chosen, "lbf_period": ""}).status_code == 302
    assert client.post(COMMIT).status_code == 302
    assert Plan.objects.count() == 2
    saved = ImportMapping.objects.get(kind="plans")
    assert saved.source == ";".join(header).lower()
    assert saved.updated_by == caseworker

    page = upload(client, csv_file(header=header))
    assert page.context["remembered"] is True
    prefilled = mapping_post(page)
    assert {key: value for key, value in prefilled.items() if value} == chosen


def test_mapping_requires_the_plan_columns(client_for, caseworker, register):
    client = client_for(caseworker)
    upload(client, csv_file())
    response = client.post(MAPPING, {"name": "0"})
    assert response.status_code == 400
    assert response.context["errors"]
    assert "error-summary" in response.content.decode()


def test_upload_refuses_other_files_and_only_plan_creators_import(
    client_for, caseworker, politician, register
):
    client = client_for(caseworker)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("planer.pdf", b"%PDF")})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert client.get(PREVIEW)["Location"] == UPLOAD  # no file yet
    list_page = client.get(reverse("helhedsplaner:plan_list")).content.decode()
    assert f'href="{UPLOAD}"' in list_page
    other = client_for(politician)
    assert other.get(UPLOAD).status_code == 403
    assert other.post(COMMIT).status_code == 403
    assert f'href="{UPLOAD}"' not in other.get(reverse("helhedsplaner:plan_list")).content.decode()
