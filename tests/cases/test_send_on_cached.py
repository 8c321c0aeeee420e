"""An item sent on prints the earlier committees' decisions, so its kept page goes when
one of those decisions changes (cases.cachescopes: the items sent on from an item show
it). Transactional: inside a test transaction nothing is cached."""

from datetime import date

import pytest
from django.urls import reverse

from cases import services
from cases.models import Decision
from cases.recommendations import BlockData, recommendations_set
from committees.models import Committee, Meeting
from tests import factories
from tests.cachedpage import get_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_change_to_the_earlier_decision_reaches_the_kept_page_of_the_item_sent_on(
    client, secretary
):
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    ou = factories.committee("ØU", name="Økonomiudvalget", kind=Committee.Kind.FINANCE_COMMITTEE)
    tmu_meeting = factories.meeting(tmu, day=date(2009, 5, 13), status=Meeting.Status.HELD)
    ou_meeting = factories.meeting(ou, day=date(2009, 5, 25), status=Meeting.Status.DRAFT)
    item = factories.item(tmu_meeting, recommending_administration=tmf)
    recommendations_set(
        item, [BlockData([tmf], addressees=[ou], points=["at udvalget anbefaler sagen."])]
    )
    decision = factories.decision(item, Decision.Outcome.RECOMMENDED, "Første ordlyd.")
    sent = services.agenda_item_send_on(item=item, meeting=ou_meeting)
    client.force_login(secretary)
    url = reverse("cases:item_detail", args=[sent.pk])
    assert get_page(client, url)[0] == "miss"
    status, content = get_page(client, url)
    assert status == "hit" and "Første ordlyd." in content

    decision.text = "Rettet ordlyd."
    decision.save()
    status, content = get_page(client, url)
    assert status == "miss"
    assert "Rettet ordlyd." in content and "Første ordlyd." not in content


def test_the_kept_page_of_the_item_sent_from_names_the_new_item(client, secretary):
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    ou = factories.committee("ØU", name="Økonomiudvalget", kind=Committee.Kind.FINANCE_COMMITTEE)
    tmu_meeting = factories.meeting(tmu, day=date(2009, 5, 13), status=Meeting.Status.HELD)
    ou_meeting = factories.meeting(ou, day=date(2009, 5, 25), status=Meeting.Status.DRAFT)
    item = factories.item(tmu_meeting, recommending_administration=tmf)
    recommendations_set(
        item, [BlockData([tmf], addressees=[ou], points=["at udvalget anbefaler sagen."])]
    )
    factories.decision(item, Decision.Outcome.RECOMMENDED, "Anbefalet.")
    client.force_login(secretary)
    url = reverse("cases:item_detail", args=[item.pk])
    send_on = reverse("cases:item_send_on", args=[item.pk])
    get_page(client, url)
    status, content = get_page(client, url)
    assert status == "hit" and send_on in content

    sent = services.agenda_item_send_on(item=item, meeting=ou_meeting)
    status, content = get_page(client, url)
    assert status == "miss"
    assert reverse("cases:item_detail", args=[sent.pk]) in content
    assert send_on not in content
