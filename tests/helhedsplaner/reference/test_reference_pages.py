"""The reference data and the common policy in the product's own screens (issue 17, part A):
create, edit, remove and history through the HTTP client, per role."""

import pytest
from django.urls import reverse

from helhedsplaner.models import Area, FocusArea, HousingOrganisation, LbfPeriod, Policy, PolicyGoal
from tests import factories

pytestmark = pytest.mark.django_db


def _last_history_user(model, pk):
    return model.history.filter(id=pk).order_by("-history_date", "-history_id").first().history_user


# -- housing organisations ----------------------------------------------------------------------


def test_caseworker_creates_and_renames_housing_organisation(client_for, caseworker):
    client = client_for(caseworker)
    response = client.post(reverse("reference:organisation_create"), {"name": "AKB, København"})
    assert response.status_code == 302
    organisation = HousingOrganisation.objects.get(name="AKB, København")
    assert _last_history_user(HousingOrganisation, organisation.pk) == caseworker

    response = client.post(
        reverse("reference:organisation_edit", args=[organisation.pk]), {"name": "AKB"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "AKB"
    history = client.get(reverse("reference:organisation_history", args=[organisation.pk]))
    assert history.status_code == 200
    assert len(history.context["history"]) == 2


def test_duplicate_housing_organisation_keeps_input(client_for, administrator):
    factories.housing_organisation("fsb")
    response = client_for(administrator).post(
        reverse("reference:organisation_create"), {"name": "fsb"}
    )
    assert response.status_code == 400
    assert response.context["form"]["name"].value() == "fsb"
    assert response.context["errors"][0]["href"] == "#id_name"
    assert HousingOrganisation.objects.filter(name="fsb").count() == 1


@pytest.mark.parametrize("who", ["secretary", "politician"])
def test_reference_data_is_read_only_for_secretaries_and_politicians(client_for, request, who):
    user = request.getfixturevalue(who)
    organisation = factories.housing_organisation("fsb")
    client = client_for(user)
    assert client.get(reverse("reference:organisation_list")).status_code == 200
    assert b"/rediger/" not in client.get(reverse("reference:organisation_list")).content
    for name, args in (
        ("reference:organisation_create", []),
        ("reference:organisation_edit", [organisation.pk]),
        ("reference:organisation_remove", [organisation.pk]),
        ("reference:area_create", []),
        ("reference:period_create", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
        assert client.post(reverse(name, args=args), {"name": "x"}).status_code == 403
    assert HousingOrganisation.objects.get().name == "fsb"


def test_housing_organisation_in_use_is_not_removed(client_for, caseworker):
    plan = factories.plan()
    organisation = plan.housing_organisation
    client = client_for(caseworker)
    response = client.post(
        reverse("reference:organisation_remove", args=[organisation.pk]), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert response.context["refusal"]
    assert HousingOrganisation.objects.filter(pk=organisation.pk).exists()


def test_unused_housing_organisation_is_removed_after_confirming(client_for, caseworker):
    organisation = factories.housing_organisation("Ubrugt")
    client = client_for(caseworker)
    url = reverse("reference:organisation_remove", args=[organisation.pk])
    assert client.post(url, {}).status_code == 200  # an empty POST only asks again
    assert HousingOrganisation.objects.filter(pk=organisation.pk).exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not HousingOrganisation.objects.filter(pk=organisation.pk).exists()
    row = HousingOrganisation.history.filter(id=organisation.pk, history_type="-").get()
    assert row.history_user == caseworker


# -- areas -------------------------------------------------------------------------------------


def test_caseworker_creates_area(client_for, caseworker):
    response = client_for(caseworker).post(
        reverse("reference:area_create"),
        {"code": "2.4.1", "name": "Tingbjerg", "district": "Brønshøj-Husum"},
    )
    assert response.status_code == 302
    area = Area.objects.get(code="2.4.1")
    assert (area.name, area.district, area.is_city_total) == ("Tingbjerg", "Brønshøj-Husum", False)
    assert _last_history_user(Area, area.pk) == caseworker


def test_second_city_total_is_refused_with_input_kept(client_for, caseworker):
    factories.area("Hele København", is_city_total=True)
    client = client_for(caseworker)
    response = client.post(
        reverse("reference:area_create"),
        {"code": "X", "name": "Hele kommunen", "district": "", "is_city_total": "on"},
    )
    assert response.status_code == 400
    assert "Hele København" in " ".join(e["text"] for e in response.context["errors"])
    assert response.context["form"]["name"].value() == "Hele kommunen"
    assert not Area.objects.filter(code="X").exists()

    other = factories.area("Mjølnerparken")
    response = client.post(
        reverse("reference:area_edit", args=[other.pk]),
        {"code": other.code, "name": other.name, "district": "", "is_city_total": "on"},
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert not other.is_city_total


def test_city_total_can_be_edited_itself(client_for, caseworker):
    total = factories.area("Hele København", is_city_total=True)
    response = client_for(caseworker).post(
        reverse("reference:area_edit", args=[total.pk]),
        {"code": total.code, "name": "København i alt", "district": "", "is_city_total": "on"},
    )
    assert response.status_code == 302
    total.refresh_from_db()
    assert total.name == "København i alt"


def test_area_with_plans_is_not_removed(client_for, administrator):
    plan = factories.plan()
    response = client_for(administrator).post(
        reverse("reference:area_remove", args=[plan.area_id]), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert Area.objects.filter(pk=plan.area_id).exists()


# -- LBF periods and focus areas -----------------------------------------------------------------


def test_caseworker_creates_period_and_focus_areas(client_for, caseworker):
    client = client_for(caseworker)
    response = client.post(
        reverse("reference:period_create"),
        {"name": "2027–2030", "start_year": "2027", "end_year": "2030"},
    )
    assert response.status_code == 302
    period = LbfPeriod.objects.get(name="2027–2030")
    response = client.post(
        reverse("reference:period_focus_area_create", args=[period.pk]), {"name": "Tryghed"}
    )
    assert response.status_code == 302
    focus_area = FocusArea.objects.get(period=period)
    assert focus_area.name == "Tryghed"
    response = client.post(
        reverse("reference:focus_area_edit", args=[focus_area.pk]), {"name": "Tryghed og trivsel"}
    )
    assert response.status_code == 302
    focus_area.refresh_from_db()
    assert focus_area.name == "Tryghed og trivsel"
    history = client.get(reverse("reference:period_history", args=[period.pk]))
    assert history.status_code == 200
    assert len(history.context["history"]) == 3  # period created, focus area added, renamed
    page = client.get(reverse("reference:period_detail", args=[period.pk]))
    assert "Tryghed og trivsel" in page.content.decode()


def test_period_years_out_of_order_are_refused(client_for, caseworker):
    response = client_for(caseworker).post(
        reverse("reference:period_create"),
        {"name": "2030–2027", "start_year": "2030", "end_year": "2027"},
    )
    assert response.status_code == 400
    assert response.context["form"]["start_year"].value() == "2030"
    assert not LbfPeriod.objects.filter(name="2030–2027").exists()


def test_duplicate_focus_area_name_is_refused(client_for, caseworker):
    period = factories.lbf_period(focus=("Beskæftigelse",))
    response = client_for(caseworker).post(
        reverse("reference:period_focus_area_create", args=[period.pk]), {"name": "Beskæftigelse"}
    )
    assert response.status_code == 400
    assert period.focus_areas.count() == 1


def test_focus_area_in_use_is_not_removed(client_for, caseworker):
    plan = factories.plan()
    focus_area = FocusArea.objects.create(period=plan.lbf_period, name="Uddannelse")
    plan.focus_areas.add(focus_area)
    response = client_for(caseworker).post(
        reverse("reference:focus_area_remove", args=[focus_area.pk]), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert plan.name in response.context["refusal"]
    assert FocusArea.objects.filter(pk=focus_area.pk).exists()


def test_unused_focus_area_is_removed(client_for, caseworker):
    period = factories.lbf_period(focus=("Beskæftigelse", "Kriminalitet"))
    focus_area = period.focus_areas.get(name="Kriminalitet")
    response = client_for(caseworker).post(
        reverse("reference:focus_area_remove", args=[focus_area.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    assert list(period.focus_areas.values_list("name", flat=True)) == ["Beskæftigelse"]
    row = FocusArea.history.filter(id=focus_area.pk, history_type="-").get()
    assert row.history_user == caseworker


def test_politician_reads_periods_but_cannot_change_focus_areas(client_for, politician):
    period = factories.lbf_period(focus=("Beskæftigelse",))
    focus_area = period.focus_areas.get()
    client = client_for(politician)
    page = client.get(reverse("reference:period_detail", args=[period.pk]))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert b"indsatsomraader" not in page.content
    assert (
        client.post(
            reverse("reference:period_focus_area_create", args=[period.pk]), {"name": "X"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("reference:focus_area_remove", args=[focus_area.pk]), {"confirm": "on"}
        ).status_code
        == 403
    )
    assert FocusArea.objects.filter(pk=focus_area.pk).exists()


def test_period_with_plans_is_not_removed(client_for, caseworker):
    plan = factories.plan()
    response = client_for(caseworker).post(
        reverse("reference:period_remove", args=[plan.lbf_period_id]), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert LbfPeriod.objects.filter(pk=plan.lbf_period_id).exists()


# -- the common policy and its goals ------------------------------------------------------------


def test_secretary_creates_policy_and_goals(client_for, secretary):
    client = client_for(secretary)
    response = client.post(
        reverse("policy:policy_create"),
        {"name": "Fælles politik 2024", "adopted_on": "2024-03-14", "description": ""},
    )
    assert response.status_code == 302
    policy = Policy.objects.get(name="Fælles politik 2024")
    assert _last_history_user(Policy, policy.pk) == secretary
    create = reverse("policy:policy_goal_create", args=[policy.pk])
    assert client.get(create).context["form"]["number"].value() == 1
    response = client.post(create, {"number": "1", "title": "Flere i job", "description": ""})
    assert response.status_code == 302
    goal = PolicyGoal.objects.get(policy=policy)
    assert _last_history_user(PolicyGoal, goal.pk) == secretary
    response = client.post(
        reverse("policy:goal_edit", args=[goal.pk]),
        {"number": "1", "title": "Flere i job og uddannelse", "description": "Mål for 2030."},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Flere i job og uddannelse"
    page = client.get(reverse("policy:goal_detail", args=[goal.pk]))
    assert len(page.context["history"]) == 2
    history = client.get(reverse("policy:policy_history", args=[policy.pk]))
    assert len(history.context["history"]) == 3


def test_goal_number_in_use_is_refused_with_input_kept(client_for, administrator):
    first = factories.policy_goal("Tryghed")
    response = client_for(administrator).post(
        reverse("policy:policy_goal_create", args=[first.policy_id]),
        {"number": "1", "title": "Uddannelse", "description": ""},
    )
    assert response.status_code == 400
    assert response.context["form"]["title"].value() == "Uddannelse"
    assert "Tryghed" in response.context["errors"][0]["text"]
    assert PolicyGoal.objects.count() == 1


def test_goals_are_renumbered_by_swapping(client_for, secretary):
    first = factories.policy_goal("Tryghed")
    second = factories.policy_goal("Uddannelse")
    client = client_for(secretary)
    url = reverse("policy:policy_goals_renumber", args=[first.policy_id])
    response = client.post(url, {f"goal_{first.pk}": "2", f"goal_{second.pk}": "2"})
    assert response.status_code == 400  # the same number twice
    response = client.post(url, {f"goal_{first.pk}": "2", f"goal_{second.pk}": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, second.number) == (2, 1)
    assert _last_history_user(PolicyGoal, first.pk) == secretary
    numbers = [row.number for row in PolicyGoal.history.filter(id=first.pk).order_by("history_id")]
    assert numbers == [1, 2]  # the move through a free number leaves no history row


@pytest.mark.parametrize("who", ["caseworker", "politician"])
def test_policy_is_read_only_for_caseworkers_and_politicians(client_for, request, who):
    goal = factories.policy_goal("Tryghed")
    client = client_for(request.getfixturevalue(who))
    overview = client.get(reverse("policy:policy_overview"))
    assert overview.status_code == 200
    assert b"/rediger/" not in overview.content
    for name, args in (
        ("policy:policy_create", []),
        ("policy:policy_edit", [goal.policy_id]),
        ("policy:policy_goal_create", [goal.policy_id]),
        ("policy:policy_goals_renumber", [goal.policy_id]),
        ("policy:goal_edit", [goal.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
        assert client.post(reverse(name, args=args), {"title": "x"}).status_code == 403
    goal.refresh_from_db()
    assert goal.title == "Tryghed"
    assert client.get(reverse("policy:policy_history", args=[goal.policy_id])).status_code == 200


def test_reference_entry_point_on_plan_list(client_for, politician):
    page = client_for(politician).get(reverse("helhedsplaner:plan_list"))
    assert reverse("reference:index").encode() in page.content
