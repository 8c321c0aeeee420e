"""Journey: a caseworker adds a focus area to an LBF period and renames an area in the
product's own screens, keyboard and mouse alike, no JavaScript needed; the secretary adds
a goal to the common policy. Every page passes axe-core without serious findings."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from helhedsplaner.models import Area, FocusArea, LbfPeriod, Policy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def da(text: str) -> str:
    with translation.override("da"):
        return gettext(text)


def test_caseworker_keeps_the_reference_data(page_as, axe):
    period = LbfPeriod.objects.order_by("start_year").first()
    area = Area.objects.filter(is_city_total=False).order_by("name").first()
    page = page_as("sagsbehandler")
    page.goto(f"{page.base}/planer/")
    page.get_by_role("link", name=da("Reference data")).click()
    axe(page, "reference data index")
    page.get_by_role("link", name=da("LBF periods and focus areas")).click()
    axe(page, "LBF period list")
    page.get_by_role("link", name=period.name).click()
    page.get_by_label(da("name").capitalize(), exact=True).fill("Sundhed og trivsel")
    page.get_by_role("button", name=da("Add the focus area")).click()
    expect(page.get_by_role("rowheader", name="Sundhed og trivsel")).to_be_visible()
    axe(page, "LBF period page")
    assert FocusArea.objects.filter(period=period, name="Sundhed og trivsel").exists()

    page.goto(f"{page.base}/planer/referencedata/omraader/")
    axe(page, "area list")
    page.get_by_role("link", name=f"{da('Edit')} {area.name}").click()
    page.get_by_label(da("name").capitalize(), exact=True).fill(f"{area.name} Nord")
    axe(page, "area form")
    page.get_by_role("button", name=da("Save the changes")).click()
    expect(page.get_by_role("rowheader", name=f"{area.name} Nord")).to_be_visible()


def test_secretary_adds_a_policy_goal(page_as, axe):
    policy = Policy.objects.first()
    page = page_as("sekretaer")
    page.goto(f"{page.base}/politik/")
    page.get_by_role("link", name=f"{da('Add a goal')} – {policy.name}").click()
    page.get_by_label(da("title").capitalize(), exact=True).fill("Flere unge i uddannelse")
    axe(page, "goal form")
    page.get_by_role("button", name=da("Add the goal")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Flere unge i uddannelse")
    axe(page, "goal page")
    assert policy.goals.filter(title="Flere unge i uddannelse").exists()
