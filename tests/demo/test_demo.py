import re
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from cases.models import AgendaItem, Case, MemberInquiry
from committees.models import FollowUpGroup
from helhedsplaner.models import CoFinancing, Plan

pytestmark = pytest.mark.django_db


def counts():
    result = {}
    for app in ("committees", "cases", "helhedsplaner", "auth"):
        for model in apps.get_app_config(app).get_models():
            result[model._meta.label] = model.objects.count()
    return result


@pytest.fixture
def demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_is_idempotent(demo):
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before  # history tables included: the second run writes nothing


def test_load_demo_reports_progress_and_logins(demo):
    steps = len(re.findall(r"^\[\d+/\d+\] ", demo, flags=re.M))
    assert steps >= 8 and f"[1/{steps}]" in demo and f"[{steps}/{steps}]" in demo
    for username in ("sagsbehandler", "sekretaer", "politiker", "admin"):
        assert username in demo


def test_demo_has_33_plans_and_bif_figures(demo):
    assert Plan.objects.count() == 33
    bif = CoFinancing.objects.filter(administration__code="BIF", year__gte=2007, year__lte=2013)
    assert bif.aggregate(total=Sum("amount"))["total"] == Decimal("14500000")
    assert bif.values("plan").distinct().count() == 15


def test_seed_case_is_item_18_with_its_text(demo):
    case = Case.objects.get(number="2009-68440")
    item = AgendaItem.objects.get(case=case, meeting__committee__short_name="BIU", number=18)
    assert item.item_type == AgendaItem.ItemType.DISCUSSION
    assert item.recommending_administration.code == "BIF"
    assert [p.text for p in item.recommendation_points.all()] == [
        "at Beskæftigelses- og Integrationsudvalget drøfter sagen."
    ]
    assert "14. maj 2009" in item.problem
    assert "Den horisontale søjle" in item.further_process
    attachment = item.attachments.get()
    assert attachment.case_number == "2009-300035"
    assert attachment.file.read().startswith(b"%PDF")
    # The same case at TMU on 13 May 2009 and the member inquiry on 14 May 2009.
    tmu = AgendaItem.objects.get(
        case=case, meeting__committee__short_name="TMU", meeting__starts_at__month=5
    )
    assert tmu.meeting.starts_at.date().isoformat() == "2009-05-13"
    inquiry = MemberInquiry.objects.get(case=case)
    assert inquiry.meeting.starts_at.date().isoformat() == "2009-05-14"


@pytest.mark.parametrize("username", ["sagsbehandler", "sekretaer", "politiker", "admin"])
def test_each_demo_user_can_log_in_and_open_the_seed_case(demo, client, username):
    # Through the login page, as a person does (and as axes needs: a request).
    response = client.post("/log-ind/", {"username": username, "password": "helhedsplan-demo"})
    assert response.status_code == 302
    response = client.get(reverse("cases:case_detail", args=["2009-68440"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Styring af de politiske processer" in content
    assert "at Beskæftigelses- og Integrationsudvalget drøfter sagen." in content
    assert "2009-300035" in content
    assert "Nye procesmuligheder i forbindelse med de områdebaserede indsatser" in content


def test_formal_group_history_shows_the_plans_chosen_by_the_secretary(demo, client):
    """The demo's § 17 stk. 4 group follows the Tingbjerg plans, chosen through the
    follow-up service: the group's history tab and each plan's history name the secretary."""
    group = FollowUpGroup.objects.get(name__contains="Tingbjerg-Husum")
    plan = group.plans.order_by("name").first()
    assert plan is not None and "Tingbjerg" in plan.name
    client.force_login(User.objects.get(username="politiker"))
    page = client.get(reverse("followup:group_detail", args=[group.pk])).content.decode()
    history = page[page.index('id="history-title"') :]
    assert "Planer, der følges" in history
    assert f"+ {plan.name}" in history and "Søren Sekretær" in history
    row = Plan.history.filter(id=plan.pk).first()
    assert row.history_user.username == "sekretaer"


def test_the_tmu_item_shows_its_list_and_table(demo, client):
    """The demo's TMU item of 13 May 2009 uses the text sections' markup (core.markup)."""
    item = AgendaItem.objects.get(
        meeting__committee__short_name="TMU",
        meeting__starts_at__month=5,
        case__number="2009-68440",
    )
    client.force_login(User.objects.get(username="politiker"))
    page = client.get(reverse("cases:item_detail", args=[item.pk])).content.decode()
    assert "<li>en <strong>fælles politik</strong> med mål for helhedsplanerne</li>" in page
    assert "<td>14,5 mio. kr.</td>" in page


def test_the_demo_secretary_sets_up_a_city_council_meeting(demo, client):
    """Borgerrepræsentationen's meetings are set up like any committee's (issue 18 point 2:
    the case's route ends there)."""
    client.force_login(User.objects.get(username="sekretaer"))
    form = client.get(reverse("meetings:meeting_create")).content.decode()
    assert "Borgerrepræsentationen" in form


def test_the_seed_case_travels_tmu_ou_br_with_a_joint_recommendation(demo, client):
    """The seed case's follow-up (invented): TMF and ØKF recommend jointly, TMU and ØU
    recommend, and BR's published agenda carries both earlier decisions (issue 18, 7)."""
    br_item = AgendaItem.objects.get(case__number="2009-68440", meeting__committee__short_name="BR")
    ou_item = br_item.sent_from
    tmu_item = ou_item.sent_from
    assert (ou_item.meeting.committee.short_name, tmu_item.meeting.committee.short_name) == (
        "ØU",
        "TMU",
    )
    assert br_item.meeting.status == "published"
    client.force_login(User.objects.get(username="politiker"))
    page = client.get(reverse("cases:item_detail", args=[br_item.pk])).content.decode()
    page = " ".join(page.split())
    assert (
        "Teknik- og Miljøforvaltningen og Økonomiforvaltningen indstiller, at Teknik- og "
        "Miljøudvalget over for Økonomiudvalget og Borgerrepræsentationen anbefaler,"
    ) in page
    tmu = page.index("Teknik- og Miljøudvalgets beslutning den 19. august 2009")
    assert tmu < page.index("Økonomiudvalgets beslutning den 25. august 2009")
    case_page = client.get(reverse("cases:case_detail", args=["2009-68440"])).content.decode()
    assert 'aria-current="step"' in case_page
    assert "Sagsgang og hvor sagen er nu" in case_page
