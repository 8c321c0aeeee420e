"""The administrations (forvaltninger) in the product's own screens (issue 17): created,
renamed and removed by administrators, read by everybody with a role, refused (403) to
caseworkers, secretaries and politicians on GET and POST alike."""

import pytest
from django.urls import reverse

from committees.models import Administration
from tests import factories

pytestmark = pytest.mark.django_db


def test_administrator_creates_edits_and_sees_the_history(client_for, administrator):
    client = client_for(administrator)
    response = client.post(
        reverse("committees:administration_create"),
        {"code": "SUF", "name": "Socialforvaltningen"},
    )
    assert response.status_code == 302
    administration = Administration.objects.get(code="SUF")
    response = client.post(
        reverse("committees:administration_edit", args=[administration.pk]),
        {"code": "SOF", "name": "Socialforvaltningen"},
    )
    assert response.status_code == 302
    administration.refresh_from_db()
    assert administration.code == "SOF"
    page = client.get(reverse("committees:administration_history", args=[administration.pk]))
    assert page.status_code == 200
    latest = page.context["history"][0]
    assert ("SUF", "SOF") in [(old, new) for _label, old, new in latest["changes"]]
    assert administrator.username in str(latest["who"]) or administrator.get_full_name() in str(
        latest["who"]
    )
    assert len(page.context["history"]) == 2


def test_list_counts_people_and_plans_and_is_linked_from_the_committees(client_for, politician):
    plan = factories.plan()
    factories.person("Medarbejder", administration=plan.lead_administration)
    client = client_for(politician)
    page = client.get(reverse("committees:administration_list"))
    assert page.status_code == 200
    row = next(a for a in page.context["administrations"] if a.pk == plan.lead_administration_id)
    assert (row.people_count, row.plan_count) == (1, 1)
    assert b"/rediger/" not in page.content
    committees = client.get(reverse("committees:committee_list"))
    assert reverse("committees:administration_list").encode() in committees.content


def test_duplicate_code_is_refused_with_the_input_kept(client_for, administrator):
    factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    response = client_for(administrator).post(
        reverse("committees:administration_create"), {"code": "BIF", "name": "En ny forvaltning"}
    )
    assert response.status_code == 400
    assert response.context["form"]["name"].value() == "En ny forvaltning"
    assert response.context["errors"][0]["anchor"] == "id_code"
    assert Administration.objects.filter(code="BIF").count() == 1


def test_administration_in_use_is_not_removed_and_the_reason_named(client_for, administrator):
    plan = factories.plan()
    administration = plan.lead_administration
    client = client_for(administrator)
    url = reverse("committees:administration_remove", args=[administration.pk])
    asked = client.get(url)
    assert asked.status_code == 200
    assert asked.context["refusal"]  # told before trying
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 400
    refusal = response.context["refusal"]
    assert administration.name in refusal
    assert "1 " in refusal  # one plan leads with it (named in the reader's language)
    assert Administration.objects.filter(pk=administration.pk).exists()


def test_unused_administration_is_removed_after_confirming(client_for, administrator):
    administration = factories.administration("UBR", "Ubrugt forvaltning")
    client = client_for(administrator)
    url = reverse("committees:administration_remove", args=[administration.pk])
    assert client.get(url).context["refusal"] is None
    assert client.post(url, {}).status_code == 200  # an empty POST only asks again
    assert Administration.objects.filter(pk=administration.pk).exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Administration.objects.filter(pk=administration.pk).exists()
    row = Administration.history.filter(id=administration.pk, history_type="-").get()
    assert row.history_user == administrator


@pytest.mark.parametrize("who", ["caseworker", "secretary", "politician"])
def test_only_administrators_change_administrations(client_for, request, who):
    administration = factories.administration("BIF", "Beskæftigelsesforvaltningen")
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("committees:administration_list")).status_code == 200
    history = reverse("committees:administration_history", args=[administration.pk])
    assert client.get(history).status_code == 200
    for name, args in (
        ("committees:administration_create", []),
        ("committees:administration_edit", [administration.pk]),
        ("committees:administration_remove", [administration.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
        data = {"code": "X", "name": "X", "confirm": "on"}
        assert client.post(reverse(name, args=args), data).status_code == 403
    administration.refresh_from_db()
    assert administration.code == "BIF"
    assert Administration.objects.count() == 1


def test_no_committee_takes_the_administrations_address(client_for, administrator):
    response = client_for(administrator).post(
        reverse("committees:committee_create"),
        {"name": "Forvaltningsudvalget", "short_name": "FU", "slug": "forvaltninger", "kind": ""},
    )
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
