"""The plan lifecycle: explicit, dated and attributed transitions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from helhedsplaner.models import Plan, PlanStatusChange
from helhedsplaner.plans import services
from tests import factories

pytestmark = pytest.mark.django_db

NON_FINAL = ["idea", "prequalification", "dialogue", "approved", "implementation", "evaluated"]


def move(client, plan, to_status, day="2024-03-01", note=""):
    return client.post(
        reverse("helhedsplaner:plan_transition", args=[plan.pk]),
        {"to_status": to_status, f"{to_status}-date": day, f"{to_status}-note": note},
    )


def test_caseworker_moves_plan_two_steps_and_sees_them_on_timeline_and_in_history(
    client_for, caseworker
):
    caseworker.first_name, caseworker.last_name = "Sara", "Sagsbehandler"
    caseworker.save()
    plan = factories.plan(name="Helhedsplan Forløb")
    client = client_for(caseworker)
    response = move(client, plan, "prequalification", "2024-03-01", "Ansøgning sendt")
    assert response.status_code == 302
    assert response["Location"].endswith("#forloeb")
    assert move(client, plan, "dialogue", "2024-09-01").status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DIALOGUE
    steps = list(PlanStatusChange.objects.filter(plan=plan).order_by("date"))
    assert [(s.from_status, s.to_status, s.changed_by) for s in steps] == [
        ("idea", "prequalification", caseworker),
        ("prequalification", "dialogue", caseworker),
    ]
    page = client.get(reverse("helhedsplaner:plan_detail", args=[plan.pk])).content.decode()
    assert "Helhedsplan Forløb er flyttet til »Dialog med LBF«." in page
    assert "1. marts 2024</time>: Prækvalifikation" in page
    assert "1. september 2024</time>: Dialog med LBF" in page
    assert "af Sara Sagsbehandler" in page
    assert "Ansøgning sendt" in page
    history = client.get(reverse("helhedsplaner:plan_history", args=[plan.pk])).content.decode()
    assert "Forløbstrin: Prækvalifikation" in history
    assert "Forløbstrin: Dialog med LBF" in history
    assert "Prækvalifikation</span>" in history  # status: Prækvalifikation → Dialog med LBF


def test_plan_page_offers_only_the_valid_next_steps(client_for, caseworker):
    plan = factories.plan(status=Plan.Status.PREQUALIFICATION)
    content = (
        client_for(caseworker)
        .get(reverse("helhedsplaner:plan_detail", args=[plan.pk]))
        .content.decode()
    )
    offered = {
        value
        for value in ("idea", "prequalification", "dialogue", "approved", "rejected", "withdrawn")
        if f'name="to_status" value="{value}"' in content
    }
    assert offered == {"dialogue", "rejected", "withdrawn"}
    assert "Flyt til »Dialog med LBF«" in content


def test_final_plan_offers_no_steps(client_for, caseworker):
    plan = factories.plan(status=Plan.Status.CLOSED)
    content = (
        client_for(caseworker)
        .get(reverse("helhedsplaner:plan_detail", args=[plan.pk]))
        .content.decode()
    )
    assert 'name="to_status"' not in content
    assert "Planen er »Afsluttet«: en slutstatus, så der er ikke flere trin." in content


def test_invalid_transition_is_refused_with_reason(client_for, caseworker):
    plan = factories.plan()
    response = move(client_for(caseworker), plan, "approved")
    content = response.content.decode()
    assert response.status_code == 400
    assert (
        "En plan med status »Idé« kan ikke flyttes til »Godkendt«. Mulige næste trin: "
        "»Prækvalifikation«, »Trukket tilbage«." in content
    )
    assert 'class="error-summary"' in content
    plan.refresh_from_db()
    assert plan.status == "idea" and not PlanStatusChange.objects.exists()


def test_final_status_cannot_move(client_for, caseworker):
    plan = factories.plan(status=Plan.Status.CLOSED)
    response = move(client_for(caseworker), plan, "withdrawn")
    assert "Planen er »Afsluttet«, som er en slutstatus" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == "closed"


def test_unknown_status_is_refused(client_for, caseworker):
    plan = factories.plan()
    response = move(client_for(caseworker), plan, "dreaming")
    assert response.status_code == 400
    assert "»dreaming« er ikke en status i forløbet." in response.content.decode()


def test_step_date_before_the_previous_step_is_refused(client_for, caseworker):
    plan = factories.plan()
    factories.status_change(plan, "idea", day=date(2024, 5, 1))
    response = move(client_for(caseworker), plan, "prequalification", "2024-04-01")
    content = response.content.decode()
    assert "Datoen kan ikke ligge før det forrige trin (1. maj 2024)." in content
    assert 'href="#id_prequalification-date"' in content
    assert Plan.objects.get(pk=plan.pk).status == "idea"


def test_step_date_in_the_future_is_refused(client_for, caseworker):
    plan = factories.plan()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = move(client_for(caseworker), plan, "prequalification", tomorrow)
    assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()


def test_step_without_date_is_refused(client_for, caseworker):
    plan = factories.plan()
    response = move(client_for(caseworker), plan, "prequalification", "")
    assert "Dette felt er påkrævet." in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == "idea"


@pytest.mark.parametrize("status", NON_FINAL)
def test_withdrawn_from_any_non_final_status(status, caseworker):
    plan = factories.plan(status=status)
    services.plan_transition(
        plan=plan, to_status="withdrawn", date=date(2024, 1, 1), user=caseworker
    )
    assert Plan.objects.get(pk=plan.pk).status == "withdrawn"


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(s, s in ("prequalification", "dialogue")) for s in NON_FINAL],
)
def test_rejected_only_from_prequalification_or_dialogue(status, allowed, caseworker):
    plan = factories.plan(status=status)
    if allowed:
        services.plan_transition(
            plan=plan, to_status="rejected", date=date(2024, 1, 1), user=caseworker
        )
    else:
        with pytest.raises(ValidationError):
            services.plan_transition(
                plan=plan, to_status="rejected", date=date(2024, 1, 1), user=caseworker
            )
    assert (Plan.objects.get(pk=plan.pk).status == "rejected") is allowed


def test_the_full_lifecycle_in_order(caseworker):
    plan = factories.plan()
    for step in ["prequalification", "dialogue", "approved", "implementation", "evaluated"]:
        services.plan_transition(plan=plan, to_status=step, date=date(2024, 1, 1), user=caseworker)
    services.plan_transition(plan=plan, to_status="closed", date=date(2024, 1, 2), user=caseworker)
    assert Plan.objects.get(pk=plan.pk).status == "closed"
    assert PlanStatusChange.objects.filter(plan=plan).count() == 6


def test_a_stale_plan_object_cannot_repeat_a_step(caseworker):
    plan = factories.plan()
    stale = Plan.objects.get(pk=plan.pk)
    services.plan_transition(
        plan=plan, to_status="prequalification", date=date(2024, 1, 1), user=caseworker
    )
    with pytest.raises(ValidationError):
        services.plan_transition(
            plan=stale, to_status="prequalification", date=date(2024, 1, 1), user=caseworker
        )
    assert PlanStatusChange.objects.filter(plan=plan).count() == 1
