"""Journey (a): the caseworker registers a plan with two estates and a co-financing commitment."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PLAN_NAME = "Helhedsplan Urbanplanen Øst 2027"


def test_caseworker_registers_a_plan_with_two_estates_and_a_commitment(page_as, axe):
    page = page_as("sagsbehandler")

    # From the front page to the plan list.
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Planer").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page).to_have_url(f"{page.base}/planer/")
    axe(page, "plan list")

    page.get_by_role("link", name="Registrér en ny plan").click()
    expect(page.get_by_role("heading", level=1, name="Registrér en ny plan")).to_be_visible()

    # The real form, filled by its labels. The LBF grant is above 75 % of the budget.
    page.get_by_label("Planens navn").fill(PLAN_NAME)
    page.get_by_label("Boligorganisation", exact=True).select_option(label="KAB")
    page.get_by_label("Område", exact=True).select_option(label="Urbanplanen")
    # A caseworker leads plans for their own administration only (helhedsplaner/rules.py).
    page.get_by_label("Ressortansvarlig forvaltning").select_option(
        label="Beskæftigelses- og Integrationsforvaltningen"
    )
    page.get_by_label("Beskrivelse").fill("Tryghed, uddannelse og beskæftigelse i Urbanplanen.")
    page.get_by_label("Samlet budget (kr.)").fill("12.000.000")
    page.get_by_label("LBF-tilskud (kr.)").fill("10.000.000")
    page.get_by_label("Periodestart").fill("2027-01-01")
    page.get_by_label("Periodeslut").fill("2030-12-31")
    page.get_by_label("LBF-periode", exact=True).select_option(label="2019–2026")
    period = page.get_by_role("group", name="LBF-periode 2019–2026")
    period.get_by_label("Uddannelse og livschancer").check()
    period.get_by_label("Beskæftigelse", exact=True).check()
    participants = page.get_by_role("group", name=re.compile("Deltagende forvaltninger"))
    participants.get_by_label("Teknik- og Miljøforvaltningen").check()
    participants.get_by_label("Beskæftigelses- og Integrationsforvaltningen").check()
    page.get_by_label("Navn, afdeling 1").fill("Urbanplanen afd. Øst")
    page.get_by_label("Afdelingsnummer, afdeling 1").fill("3-17")
    page.get_by_label("Lejemål, afdeling 1").fill("812")
    page.get_by_label("Navn, afdeling 2").fill("Urbanplanen afd. Vest")
    page.get_by_label("Afdelingsnummer, afdeling 2").fill("3-18")
    page.get_by_label("Lejemål, afdeling 2").fill("644")
    page.get_by_role("button", name="Registrér planen").click()

    # The Danish error summary links to the field; nothing typed is lost.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Formularen blev ikke gemt. Ret følgende:")
    error_link = summary.get_by_role("link", name=re.compile("LBF-tilskud"))
    expect(error_link).to_contain_text("LBF kan højst dække 75 % af budgettet")
    expect(error_link).to_have_attribute("href", "#id_lbf_grant")
    grant = page.get_by_label("LBF-tilskud (kr.)")
    expect(grant).to_have_attribute("aria-invalid", "true")
    expect(grant).to_have_value("10.000.000")
    expect(page.get_by_label("Planens navn")).to_have_value(PLAN_NAME)
    expect(page.get_by_label("Navn, afdeling 2")).to_have_value("Urbanplanen afd. Vest")
    expect(page.get_by_label("Lejemål, afdeling 1")).to_have_value("812")
    expect(period.get_by_label("Uddannelse og livschancer")).to_be_checked()
    axe(page, "plan form with errors")
    error_link.click()
    expect(grant).to_be_focused()

    grant.fill("9.000.000")
    page.get_by_role("button", name="Registrér planen").click()

    # The plan page: both estates.
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN_NAME)
    # (The browser keeps the "#id_lbf_grant" fragment across the redirect.)
    expect(page).to_have_url(re.compile(r"/planer/\d+/(#.*)?$"))
    plan_pk = int(re.search(r"/planer/(\d+)/", page.url).group(1))
    plan_url = f"{page.base}/planer/{plan_pk}/"
    main = page.get_by_role("main")
    expect(main.get_by_text("Urbanplanen afd. Øst", exact=True)).to_be_visible()
    expect(main.get_by_text("Urbanplanen afd. Vest", exact=True)).to_be_visible()
    axe(page, "plan page (new plan)")

    # A co-financing commitment for the plan, from the plan's co-financing page.
    page.goto(f"{page.base}/medfinansiering/planer/{plan_pk}/")
    page.get_by_role("link", name="Nyt tilsagn til denne plan").click()
    expect(page.get_by_role("heading", level=1, name="Nyt medfinansieringstilsagn")).to_be_visible()
    expect(page.get_by_label("Helhedsplan")).to_have_value(str(plan_pk))
    page.get_by_label("Forvaltning", exact=True).select_option(
        label="Beskæftigelses- og Integrationsforvaltningen"
    )
    page.get_by_label("År").fill("2027")
    page.get_by_label("Beløb (kr.)").fill("1.250.000")
    page.get_by_label("Eget budget").check()
    page.get_by_label("Note").fill("Jobkonsulent i Urbanplanen, første år.")
    axe(page, "commitment form")
    page.get_by_role("button", name="Registrér tilsagn").click()
    expect(page.get_by_role("status")).to_contain_text("Tilsagnet er registreret som foreslået")

    # The plan's co-financing page lists the commitment.
    page.goto(f"{page.base}/medfinansiering/planer/{plan_pk}/")
    commitments = page.get_by_role("table", name="Planens medfinansieringstilsagn")
    row = commitments.get_by_role("row", name=re.compile("2027"))
    expect(row).to_contain_text("1.250.000 kr.")
    expect(row).to_contain_text("Foreslået")

    # The history tab shows the creation of the plan, its estates and the commitment.
    page.goto(plan_url)
    page.get_by_role("navigation", name="Om planen").get_by_role("link", name="Historik").click()
    expect(page).to_have_url(f"{plan_url}historik/")
    history = page.get_by_role("table", name=re.compile("Ændringer af planen"))
    plan_row = history.get_by_role("row", name=re.compile("^.*Planen.*Oprettet"))
    expect(plan_row).to_contain_text("Sara Sagsbehandler")
    expect(plan_row).to_contain_text(PLAN_NAME)
    expect(
        history.get_by_role("rowheader", name=re.compile("Urbanplanen afd. Vest"))
    ).to_be_visible()
    expect(history.get_by_role("rowheader", name=re.compile("Medfinansiering"))).to_be_visible()
    axe(page, "plan history tab")
