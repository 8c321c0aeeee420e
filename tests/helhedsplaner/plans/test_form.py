"""Registering and editing a plan with its estates, through the web form."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from helhedsplaner.indicators.forms import IndicatorValueForm
from helhedsplaner.models import Estate, FocusArea, Plan, PlanStatusChange
from tests import factories
from tests.formpage import submit_data
from tests.helhedsplaner.formdata import plan_post

pytestmark = pytest.mark.django_db

CREATE = reverse("helhedsplaner:plan_create")


def edit_url(plan):
    return reverse("helhedsplaner:plan_edit", args=[plan.pk])


def test_new_plan_form_is_danish_with_two_empty_estate_rows(client_for, caseworker):
    response = client_for(caseworker).get(CREATE)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Registrér en ny plan" in content
    assert "Tilføj flere afdelinger" in content
    assert 'name="estates-TOTAL_FORMS" value="2"' in content
    assert '<label for="id_name">Planens navn' in content


def _inputs(content: str) -> dict[str, str]:
    """The text and number inputs of a page: name -> the whole tag."""
    return {
        re.search(r'name="([^"]+)"', tag).group(1): tag
        for tag in re.findall(r'<input type="(?:text|number)"[^>]*>', content)
    }


def test_new_plan_form_has_empty_number_fields_not_zero(client_for, caseworker):
    """The amounts and the estates' tenancies start empty: a "0" had to be deleted first."""
    inputs = _inputs(client_for(caseworker).get(CREATE).content.decode())
    numbers = ["budget", "lbf_grant", "estates-0-tenancies", "estates-1-tenancies"]
    for name in numbers:
        assert "value=" not in inputs[name], inputs[name]
        assert " required" not in inputs[name], inputs[name]
    assert not [tag for tag in inputs.values() if 'value="0"' in tag]


def test_empty_amounts_and_tenancies_save_as_zero(client_for, caseworker):
    data = plan_post(budget="", grant="", estates=(("Nordparken afd. 1", "", ""),))
    response = client_for(caseworker).post(CREATE, data)
    assert response.status_code == 302
    plan = Plan.objects.get(name="Helhedsplan Ny")
    assert (plan.budget, plan.lbf_grant) == (Decimal(0), Decimal(0))
    assert [(e.name, e.tenancies) for e in plan.estates.all()] == [("Nordparken afd. 1", 0)]
    # The edit form shows what is saved: the plan's 0, its extra estate rows empty.
    inputs = _inputs(client_for(caseworker).get(edit_url(plan)).content.decode())
    assert 'value="0"' in inputs["budget"] and 'value="0"' in inputs["estates-0-tenancies"]
    assert "value=" not in inputs["estates-1-tenancies"]


def test_a_required_number_left_empty_gets_a_danish_message():
    form = IndicatorValueForm(data={"year": "2024", "value": ""})
    assert not form.is_valid()
    assert form.errors["value"] == ["Skriv et tal: feltet må ikke være tomt."]


def test_caseworker_registers_plan_with_two_estates(client_for, caseworker):
    period = factories.lbf_period(focus=("Beskæftigelse", "Uddannelse og livschancer"))
    focus = list(period.focus_areas.all())
    bif = factories.administration("BIF")
    response = client_for(caseworker).post(
        CREATE, plan_post(period=period, focus=focus, participating=[bif])
    )
    plan = Plan.objects.get(name="Helhedsplan Ny")
    assert response.status_code == 302
    assert response["Location"] == reverse("helhedsplaner:plan_detail", args=[plan.pk])
    assert plan.status == Plan.Status.IDEA
    assert plan.budget == Decimal("12000000") and plan.lbf_grant == Decimal("9000000")
    assert sorted(e.name for e in plan.estates.all()) == ["Nordparken afd. 1", "Nordparken afd. 2"]
    assert sum(e.tenancies for e in plan.estates.all()) == 400
    assert set(plan.focus_areas.all()) == set(focus)
    assert list(plan.participating_administrations.all()) == [bif]
    step = PlanStatusChange.objects.get(plan=plan)
    assert (step.to_status, step.changed_by) == ("idea", caseworker)
    assert plan.history.earliest("history_date").history_user == caseworker
    page = client_for(caseworker).get(response["Location"]).content.decode()
    assert "Helhedsplan Ny er registreret med status »Idé«." in page
    assert "Nordparken afd. 2" in page


def test_caseworker_edits_plan_and_its_estates(client_for, caseworker):
    plan = factories.plan(name="Helhedsplan Gammel")
    keep = factories.estate(plan, "Afdeling A", tenancies=100)
    drop = factories.estate(plan, "Afdeling B", tenancies=50)
    data = plan_post(
        plan=plan,
        name="Helhedsplan Gammel",
        budget="12.000.000",
        grant="6.000.000",
        existing=[(keep, {"tenancies": "120"}, False), (drop, {}, True)],
        estates=[("Afdeling C", "7", "80")],
    )
    response = client_for(caseworker).post(edit_url(plan), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.budget == Decimal("12000000")
    assert plan.version == 2
    assert {e.name: e.tenancies for e in plan.estates.all()} == {
        "Afdeling A": 120,
        "Afdeling C": 80,
    }
    deleted = Estate.history.get(id=drop.pk, history_type="-")
    assert deleted.history_user == caseworker


def test_edit_form_carries_the_version(client_for, caseworker):
    plan = factories.plan()
    content = client_for(caseworker).get(edit_url(plan)).content.decode()
    assert 'name="version" value="1"' in content
    assert 'value="10.000.000"' in content  # amounts shown the Danish way


def test_exactly_75_percent_lbf_grant_is_accepted(client_for, caseworker):
    response = client_for(caseworker).post(CREATE, plan_post(budget="1.000.000", grant="750.000"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"budget": "-5"}, "id_budget", "Beløbet skal være 0 kr. eller mere."),
        ({"lbf_grant": "-1"}, "id_lbf_grant", "Beløbet skal være 0 kr. eller mere."),
        (
            {"budget": "mange penge"},
            "id_budget",
            "Skriv beløbet i kroner, fx 1.250.000 eller 1250000,50.",
        ),
        (
            {"budget": "1.000.000", "lbf_grant": "800.000"},
            "id_lbf_grant",
            "LBF kan højst dække 75 % af budgettet, dvs. højst 750.000 kr. af 1.000.000 kr.; "
            "mindst 25 % skal være lokal medfinansiering. Det indtastede LBF-tilskud er "
            "800.000 kr.<",
        ),
        (
            {"period_start": "2024-01-01", "period_end": "2020-12-31"},
            "id_period_end",
            "Perioden skal starte, før den slutter: slutdatoen 31. december 2020 ligger før "
            "startdatoen 1. januar 2024.",
        ),
        ({"name": ""}, "id_name", "Dette felt er påkrævet."),
    ],
)
def test_invalid_plan_is_refused_with_danish_message_and_input_kept(
    client_for, caseworker, changes, field_id, message
):
    data = plan_post(name="Helhedsplan Forkert")
    data.update(changes)
    response = client_for(caseworker).post(CREATE, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert f'href="#{field_id}"' in content  # the error summary links to the field
    assert 'class="error-summary"' in content
    assert f'id="{field_id}"' in content and 'aria-invalid="true"' in content
    assert 'value="Nordparken afd. 1"' in content  # the estates typed are kept
    assert not Plan.objects.exists()


def test_focus_area_of_another_period_is_refused_naming_it(client_for, caseworker):
    period = factories.lbf_period()
    old = factories.lbf_period("2015–2018", 2015, 2018, focus=("Tryghed og trivsel",))
    wrong = FocusArea.objects.get(period=old)
    response = client_for(caseworker).post(CREATE, plan_post(period=period, focus=[wrong]))
    content = response.content.decode()
    assert (
        "»Tryghed og trivsel« er et indsatsområde i LBF-perioden 2015–2018, ikke i planens "
        "LBF-periode 2019–2026." in content
    )
    assert 'href="#id_focus_areas"' in content
    assert not Plan.objects.exists()


def test_focus_areas_are_grouped_by_period(client_for, caseworker):
    factories.lbf_period()
    factories.lbf_period("2015–2018", 2015, 2018, focus=("Tryghed og trivsel",))
    content = client_for(caseworker).get(CREATE).content.decode()
    assert "<legend>LBF-periode 2019–2026</legend>" in content
    assert "<legend>LBF-periode 2015–2018</legend>" in content


def test_estate_row_without_name_is_refused(client_for, caseworker):
    data = plan_post(estates=[("", "9", "40")])
    response = client_for(caseworker).post(CREATE, data)
    content = response.content.decode()
    assert "Afdeling 1, Navn: Dette felt er påkrævet." in content
    assert 'href="#id_estates-0-name"' in content
    assert not Plan.objects.exists()


def test_two_estates_with_the_same_name_are_refused(client_for, caseworker):
    data = plan_post(estates=[("Afdeling A", "", "10"), ("Afdeling A", "", "20")])
    response = client_for(caseworker).post(CREATE, data)
    assert "To afdelinger har samme navn; hver afdeling i en plan skal have sit eget navn." in (
        response.content.decode()
    )
    assert not Plan.objects.exists()


def test_duplicate_plan_name_is_refused_not_a_server_error(client_for, caseworker):
    factories.plan(name="Helhedsplan Findes")
    response = client_for(caseworker).post(CREATE, plan_post(name="Helhedsplan Findes"))
    assert response.status_code == 200
    assert "eksisterer allerede" in response.content.decode()
    assert Plan.objects.count() == 1


def test_add_more_estates_keeps_input_and_saves_nothing(client_for, caseworker):
    data = plan_post(name="Helhedsplan Halvfærdig", budget="")
    data["add_estates"] = "1"
    response = client_for(caseworker).post(CREATE, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="estates-TOTAL_FORMS" value="4"' in content
    assert 'value="Helhedsplan Halvfærdig"' in content
    assert 'value="Nordparken afd. 2"' in content
    assert "error-summary" not in content  # adding rows is not a failed save
    assert not Plan.objects.exists()


# -- no lost updates ---------------------------------------------------------------------------


def other_caseworker():
    return factories.user(roles.CASEWORKER, "kollega", first_name="Karl", last_name="Kollega")


def test_second_save_is_refused_naming_who_changed_what(caseworker):
    plan = factories.plan(name="Helhedsplan Fælles", budget=Decimal(10_000_000))
    estate = factories.estate(plan, "Afdeling A", tenancies=100)
    first, second = Client(), Client()
    first.force_login(caseworker)
    second.force_login(other_caseworker())
    # Both open the form (version 1).
    assert 'name="version" value="1"' in first.get(edit_url(plan)).content.decode()
    assert 'name="version" value="1"' in second.get(edit_url(plan)).content.decode()
    # The colleague saves first: a bigger budget.
    response = second.post(
        edit_url(plan),
        plan_post(
            plan=plan,
            name="Helhedsplan Fælles",
            budget="14.000.000",
            grant="6.000.000",
            existing=[(estate, {}, False)],
            estates=[],
        ),
    )
    assert response.status_code == 302
    # The caseworker saves a new description on top of version 1.
    response = first.post(
        edit_url(plan),
        plan_post(
            plan=plan,
            name="Helhedsplan Fælles",
            budget="10.000.000",
            grant="6.000.000",
            description="Min nye beskrivelse",
            version=1,
            existing=[(estate, {}, False)],
            estates=[],
        ),
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "En anden har ændret planen, mens du redigerede" in content
    assert "Karl Kollega" in content
    assert "Samlet budget (kr.)" in content and "14.000.000 kr." in content
    assert "Min nye beskrivelse" in content  # the caseworker's attempt, beside the saved value
    assert 'name="version" value="2"' in content  # saving again is now deliberate
    plan.refresh_from_db()
    assert plan.budget == Decimal(14_000_000) and plan.description != "Min nye beskrivelse"
    # The form on the conflict page holds what is saved (the colleague's budget), not the
    # stale POST: saving it as it stands keeps the colleague's change.
    conflict_form = submit_data(content)
    assert conflict_form["budget"] == "14.000.000"
    assert conflict_form["description"] != "Min nye beskrivelse"
    assert first.post(edit_url(plan), conflict_form).status_code == 302
    plan.refresh_from_db()
    assert plan.budget == Decimal(14_000_000) and plan.version == 3
    # Saving again, having seen the change, goes through.
    data = plan_post(
        plan=plan,
        name="Helhedsplan Fælles",
        budget="14.000.000",
        grant="6.000.000",
        description="Min nye beskrivelse",
        version=3,
        existing=[(estate, {}, False)],
        estates=[],
    )
    assert first.post(edit_url(plan), data).status_code == 302
    plan.refresh_from_db()
    assert plan.description == "Min nye beskrivelse" and plan.budget == Decimal(14_000_000)
    assert plan.version == 4


def test_a_changed_estate_counts_as_a_conflict(caseworker):
    plan = factories.plan(name="Helhedsplan Afdelinger")
    estate = factories.estate(plan, "Afdeling A", tenancies=100)
    colleague = Client()
    colleague.force_login(other_caseworker())
    colleague.post(
        edit_url(plan),
        plan_post(
            plan=plan,
            name=plan.name,
            grant="6.000.000",
            budget="10.000.000",
            existing=[(estate, {"tenancies": "150"}, False)],
            estates=[],
        ),
    )
    mine = Client()
    mine.force_login(caseworker)
    response = mine.post(
        edit_url(plan),
        plan_post(
            plan=plan,
            name=plan.name,
            grant="6.000.000",
            budget="10.000.000",
            version=1,
            existing=[(estate, {"tenancies": "90"}, False)],
            estates=[],
        ),
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "Afdeling »Afdeling A«" in content and "Karl Kollega" in content
    assert Estate.objects.get(pk=estate.pk).tenancies == 150
    assert "Afdeling A: 90" in content  # the caseworker's estates, beside the saved ones
    conflict_form = submit_data(content)
    assert conflict_form["estates-0-tenancies"] == "150"
    assert mine.post(edit_url(plan), conflict_form).status_code == 302
    assert Estate.objects.get(pk=estate.pk).tenancies == 150


@pytest.mark.parametrize("bound", [False, True])
def test_the_forms_fast_selects_write_what_djangos_select_writes(client_for, caseworker, bound):
    # The edit form writes its long selects in Python (PlanForm.FAST_SELECTS) from
    # (pk, name) pairs (NameChoices): the page must be byte for byte what Django's own
    # <select> template writes from model instances, selected option, required and aria
    # attributes of an invalid form included.
    from django import forms as django_forms

    from helhedsplaner.plans import forms as plan_forms

    for name in ("Boligselskabet Ø & co", "<AAB>", "FSB"):
        factories.housing_organisation(name)
    plan = factories.plan("Helhedsplan Ø", area=factories.area("Område & co"))
    client = client_for(caseworker)
    data = {**submit_data(client.get(edit_url(plan)).content.decode()), "housing_organisation": ""}

    def page():
        response = client.post(edit_url(plan), data) if bound else client.get(edit_url(plan))
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())

    fast = page()
    original = plan_forms.DjangoSelect.render, plan_forms.NameChoices.__iter__
    plan_forms.DjangoSelect.render = django_forms.Select.render
    plan_forms.NameChoices.__iter__ = django_forms.models.ModelChoiceIterator.__iter__
    try:
        slow = page()
    finally:
        plan_forms.DjangoSelect.render, plan_forms.NameChoices.__iter__ = original
    select = re.search(r'<select name="housing_organisation"[^>]*>', fast).group(0)
    assert ('aria-invalid="true"' in select) is bound
    assert "&lt;AAB&gt;</option>" in fast and "selected>" in fast
    assert fast == slow


def _save_queries(client, plan) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = submit_data(client.get(edit_url(plan)).content.decode())
    data["budget"] = "10.000.001"
    with CaptureQueriesContext(connection) as context:
        response = client.post(edit_url(plan), data)
    assert response.status_code == 302
    return [query["sql"] for query in context.captured_queries]


def test_saving_a_plan_reads_its_estates_once_whatever_their_number(client_for, caseworker):
    # The estate rows' hidden ids are taken from the estates the formset read
    # (KnownRowField), not read once more per row; and the plan's own rules are checked
    # once per save (by the service), not by the form and then the service.
    client = client_for(caseworker)
    one, many = factories.plan("Helhedsplan Én"), factories.plan("Helhedsplan Mange")
    factories.estate(one, "Afdeling 1")
    for number in range(12):
        factories.estate(many, f"Afdeling {number}")
    few, lots = _save_queries(client, one), _save_queries(client, many)
    assert Plan.objects.get(pk=many.pk).budget == Decimal("10000001")
    assert len([sql for sql in lots if '"helhedsplaner_estate"' in sql and "SELECT" in sql]) == len(
        [sql for sql in few if '"helhedsplaner_estate"' in sql and "SELECT" in sql]
    )
    checks = [sql for sql in few if '"_check"' in sql]
    assert len(checks) == len(Plan._meta.constraints)  # each constraint checked once


def test_a_plan_form_with_field_errors_still_shows_the_plans_own_rules(client_for, caseworker):
    # Beside an error of a field, the model's rules are checked by the form as well, so
    # the caseworker sees every error at once.
    response = client_for(caseworker).post(
        CREATE,
        plan_post(budget="1.000.000", grant="800.000", name=""),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in content
    assert "LBF kan højst dække 75 % af budgettet" in content
