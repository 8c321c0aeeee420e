"""Indicator definitions in the reference data screens (issue 17): created, edited and
removed by caseworkers and administrators, read by all; an indicator with values stays."""

import pytest
from django.urls import reverse

from helhedsplaner.models import Indicator
from tests import factories

pytestmark = pytest.mark.django_db


def test_caseworker_creates_and_edits_an_indicator_with_history(client_for, caseworker):
    client = client_for(caseworker)
    response = client.post(
        reverse("reference:indicator_create"),
        {"code": "beskaeftigelse", "name": "Beskæftigelse", "unit": "%", "higher_is_better": "on"},
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="beskaeftigelse")
    assert indicator.higher_is_better
    response = client.post(
        reverse("reference:indicator_edit", args=[indicator.pk]),
        {"code": "beskaeftigelse", "name": "Andel i beskæftigelse", "unit": "%"},
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.higher_is_better) == ("Andel i beskæftigelse", False)
    page = client.get(reverse("reference:indicator_history", args=[indicator.pk]))
    assert page.status_code == 200
    latest = page.context["history"][0]
    assert ("Beskæftigelse", "Andel i beskæftigelse") in [
        (old, new) for _label, old, new in latest["changes"]
    ]
    assert latest["who"]
    assert str(latest["who"]) in (caseworker.get_full_name(), caseworker.username)
    listed = client.get(reverse("reference:indicator_list"))
    assert "Andel i beskæftigelse" in listed.content.decode()
    assert (
        reverse("reference:indicator_list").encode()
        in client.get(reverse("reference:index")).content
    )


def test_duplicate_indicator_code_keeps_input(client_for, administrator):
    factories.indicator("uden-uddannelse", "Uden uddannelse")
    response = client_for(administrator).post(
        reverse("reference:indicator_create"),
        {"code": "uden-uddannelse", "name": "Uden erhvervsuddannelse", "unit": "%"},
    )
    assert response.status_code == 400
    assert response.context["form"]["name"].value() == "Uden erhvervsuddannelse"
    assert response.context["errors"][0]["href"] == "#id_code"
    assert Indicator.objects.count() == 1


def test_indicator_with_values_is_not_removed(client_for, caseworker):
    indicator = factories.indicator()
    factories.indicator_value(factories.area(), indicator)
    response = client_for(caseworker).post(
        reverse("reference:indicator_remove", args=[indicator.pk]), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert "1" in response.context["refusal"]
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert indicator.values.count() == 1


def test_unused_indicator_is_removed(client_for, caseworker):
    indicator = factories.indicator()
    client = client_for(caseworker)
    url = reverse("reference:indicator_remove", args=[indicator.pk])
    assert client.post(url, {}).status_code == 200
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    row = Indicator.history.filter(id=indicator.pk, history_type="-").get()
    assert row.history_user == caseworker


@pytest.mark.parametrize("who", ["secretary", "politician"])
def test_indicators_are_read_only_for_secretaries_and_politicians(client_for, request, who):
    indicator = factories.indicator("tryghed", "Tryghed")
    client = client_for(request.getfixturevalue(who))
    listed = client.get(reverse("reference:indicator_list"))
    assert listed.status_code == 200
    assert b"/rediger/" not in listed.content
    assert (
        client.get(reverse("reference:indicator_history", args=[indicator.pk])).status_code == 200
    )
    for name, args in (
        ("reference:indicator_create", []),
        ("reference:indicator_edit", [indicator.pk]),
        ("reference:indicator_remove", [indicator.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
        data = {"code": "x", "name": "x", "unit": "%", "confirm": "on"}
        assert client.post(reverse(name, args=args), data).status_code == 403
    indicator.refresh_from_db()
    assert indicator.name == "Tryghed"
