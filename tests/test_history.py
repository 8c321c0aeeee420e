"""Every model is history-tracked, and the history row names the user who made the change."""

import pytest
from django.apps import apps
from django.urls import reverse

from helhedsplaner.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("committees", "cases", "helhedsplaner")
NOT_TRACKED = {
    "cases.casenumbersequence",  # a counter, not a record
    "committees.calendarfeed",  # a secret token: history would keep old secrets readable
    # Derived data, recomputed from tracked rows (helhedsplaner.dashboard.figures).
    "helhedsplaner.planfigures",
    "helhedsplaner.planfiguressummary",
    # A meeting's PDFs rendered in the background, made from tracked rows (cases.rendering).
    "cases.renderedfile",
    # An uploaded indicator file being checked and saved in the background: operational
    # data; the values it saves keep their history (helhedsplaner.indicators.services).
    "helhedsplaner.indicatorimport",
}


def test_every_domain_model_has_history():
    missing = []
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            if model.__name__.startswith("Historical") or label in NOT_TRACKED:
                continue
            if label.endswith("_m2m") or "historical" in label:
                continue
            if not hasattr(model, "history"):
                missing.append(label)
    assert missing == []


def test_change_through_the_web_records_the_user(client, administrator):
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    plan = factories.plan(name="Helhedsplan Test")
    client.force_login(administrator)
    url = reverse("admin:helhedsplaner_plan_change", args=[plan.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "name": "Helhedsplan Test (omdøbt)",
            "housing_organisation": plan.housing_organisation_id,
            "area": plan.area_id,
            "lbf_period": plan.lbf_period_id,
            "lead_administration": plan.lead_administration_id,
            "status": plan.status,
            "budget": "10000000",
            "lbf_grant": "6000000",
            "period_start": "2020-01-01",
            "period_end": "2023-12-31",
            "estates-TOTAL_FORMS": "0",
            "estates-INITIAL_FORMS": "0",
            "commitments-TOTAL_FORMS": "0",
            "commitments-INITIAL_FORMS": "0",
        }
    )
    for key in (
        "participating_administrations",
        "focus_areas",
        "policy_goals",
        "follow_up_groups",
        "agenda_items",
    ):
        data.pop(key, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = Plan.history.filter(id=plan.pk).latest("history_date")
    assert latest.name == "Helhedsplan Test (omdøbt)"
    assert latest.history_user == administrator
    previous = latest.prev_record
    delta = latest.diff_against(previous)
    assert [c.field for c in delta.changes] == ["name"]


def test_m2m_changes_are_tracked():
    plan = factories.plan()
    admin = factories.administration("BIF")
    plan.participating_administrations.add(admin)
    latest = plan.history.latest("history_date")
    assert [a.administration_id for a in latest.participating_administrations.all()] == [admin.pk]
