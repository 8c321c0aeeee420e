"""No lost update on a co-financing commitment: two caseworkers edit it at once."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from helhedsplaner.models import CoFinancing
from tests import factories
from tests.formpage import submit_data

pytestmark = pytest.mark.django_db


def test_commitment_second_save_is_refused_and_the_conflict_form_keeps_the_first():
    plan, bif = factories.plan(), factories.administration("BIF")
    commitment = factories.commitment(plan, bif, amount=Decimal("400000"), note="Første note")
    url = reverse("cofinancing:commitment_edit", args=[commitment.pk])
    mine, colleague = Client(), Client()
    mine.force_login(factories.user(roles.CASEWORKER, "sagsbehandler"))
    colleague.force_login(
        factories.user(roles.CASEWORKER, "kollega", first_name="Karl", last_name="Kollega")
    )
    my_form = submit_data(mine.get(url).content.decode())
    their_form = submit_data(colleague.get(url).content.decode())
    assert my_form["version"] == their_form["version"] == "1"

    assert colleague.post(url, {**their_form, "amount": "450.000"}).status_code == 302

    response = mine.post(url, {**my_form, "note": "Min note"})
    content = response.content.decode()
    assert response.status_code == 409
    assert "En anden har ændret tilsagnet, mens du redigerede" in content
    assert "Karl Kollega" in content and "450.000" in content
    assert "Min note" in content  # my attempt, beside the saved note
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("450000") and commitment.note == "Første note"

    conflict_form = submit_data(content)
    assert conflict_form["amount"] == "450.000" and conflict_form["version"] == "2"
    assert mine.post(url, conflict_form).status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("450000") and commitment.version == 3


def test_withdrawing_makes_an_edit_form_opened_before_it_stale(client_for, caseworker):
    commitment = factories.commitment(factories.plan(), factories.administration("BIF"))
    url = reverse("cofinancing:commitment_edit", args=[commitment.pk])
    client = client_for(caseworker)
    form = submit_data(client.get(url).content.decode())
    client.post(reverse("cofinancing:commitment_withdraw", args=[commitment.pk]), {"reason": ""})
    assert CoFinancing.objects.get(pk=commitment.pk).version == 2
    response = client.post(url, {**form, "note": "For sent"})
    assert response.status_code == 400  # refused: a withdrawn commitment is not edited
    assert CoFinancing.objects.get(pk=commitment.pk).note == ""
