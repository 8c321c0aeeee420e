"""Caseworkers draft items for their own administration; secretaries place or return them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AgendaItem, Case
from committees.models import Meeting
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bif(caseworker):
    administration = factories.administration("BIF", "Beskæftigelses- og Integrationsforvaltningen")
    factories.staff(caseworker, administration)
    return administration


def create(client, **fields):
    return client.post(reverse("cases:item_create"), factories.item_form_data(**fields))


def test_caseworker_drafts_an_item_on_a_new_case_with_the_next_number(client, caseworker, bif):
    client.force_login(caseworker)
    form = client.get(reverse("cases:item_create")).content.decode()
    assert 'name="recommending_administration"' not in form  # always their own
    assert 'name="meeting"' not in form  # only secretaries place items
    response = create(client, title="Ny beskæftigelsesindsats", points=["at udvalget godkender."])
    item = AgendaItem.objects.get()
    assert response.status_code == 302
    assert item.status == AgendaItem.Status.DRAFT
    assert item.recommending_administration == bif
    assert item.case.administration == bif
    assert item.case.number.startswith(f"{timezone.localdate().year}-")
    assert "Punktet er oprettet." in client.get(response["Location"]).content.decode()


def test_caseworker_cannot_draft_on_another_administrations_case(client, caseworker, bif):
    factories.case(
        "2009-61037", admin=factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    )
    client.force_login(caseworker)
    response = create(client, case_number="2009-61037", title="Fremmed sag")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sag 2009-61037 hører under Teknik- og Miljøforvaltningen." in content
    assert 'href="#id_case_number"' in content
    assert 'value="Fremmed sag"' in content  # nothing typed is lost
    assert not AgendaItem.objects.exists()


def test_historical_case_number_registers_the_case_under_that_number(client, secretary):
    admin = factories.administration("BIF")
    client.force_login(secretary)
    create(
        client, case_number="2009-68440", title="Styring", recommending_administration=str(admin.pk)
    )
    assert Case.objects.get(number="2009-68440").title == "Styring"


def test_bad_input_shows_a_danish_summary_and_keeps_the_text(client, secretary):
    admin = factories.administration("BIF")
    client.force_login(secretary)
    response = create(
        client,
        title="",
        case_number="68440",
        problem="Min lange problemtekst",
        recommending_administration=str(admin.pk),
        points=["at udvalget drøfter sagen."],
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert '<div class="error-summary" role="alert"' in content
    assert 'href="#id_title"' in content
    assert 'href="#id_case_number"' in content
    assert "Et sagsnummer ser sådan ud: 2019-0077034" in content
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_title_error"' in content
    assert "Min lange problemtekst" in content
    assert "at udvalget drøfter sagen." in content
    assert not AgendaItem.objects.exists()


def test_add_another_point_adds_a_row_without_saving(client, secretary):
    admin = factories.administration("BIF")
    client.force_login(secretary)
    data = factories.item_form_data(
        title="Tre punkter", recommending_administration=str(admin.pk), points=["at a", "at b"]
    )
    data["add_point"] = "1"
    response = client.post(reverse("cases:item_create"), data)
    content = response.content.decode()
    assert not AgendaItem.objects.exists()
    assert 'name="points-TOTAL_FORMS" value="3"' in content
    assert "\nat a</textarea>" in content and "\nat b</textarea>" in content
    assert 'value="Tre punkter"' in content
    assert "Formularen blev ikke gemt. Ret følgende:" not in content


def test_points_are_saved_in_the_chosen_order_and_can_be_deleted(client, secretary):
    admin = factories.administration("BIF")
    client.force_login(secretary)
    data = factories.item_form_data(
        title="Rækkefølge",
        recommending_administration=str(admin.pk),
        points=["at a", "at b", "at c"],
    )
    data["points-0-ORDER"] = "3"
    data["points-2-ORDER"] = "1"
    data["points-1-DELETE"] = "on"
    create_response = client.post(reverse("cases:item_create"), data)
    assert create_response.status_code == 302
    item = AgendaItem.objects.get()
    assert list(item.recommendation_points.values_list("position", "text")) == [
        (1, "at c"),
        (2, "at a"),
    ]


def test_ready_queue_return_with_comment_and_place(client, caseworker, secretary, bif):
    client.force_login(caseworker)
    create(client, title="Mentorordning", points=["at udvalget godkender mentorordningen."])
    item = AgendaItem.objects.get()
    response = client.post(reverse("cases:item_mark_ready", args=[item.pk]), follow=True)
    assert "Punktet er meldt klar" in response.content.decode()

    client.force_login(secretary)
    queue = client.get(reverse("cases:ready_items")).content.decode()
    assert "Mentorordning" in queue
    response = client.post(reverse("cases:item_return", args=[item.pk]), {"comment": ""})
    assert response.status_code == 200 and 'href="#id_comment"' in response.content.decode()
    client.post(
        reverse("cases:item_return", args=[item.pk]), {"comment": "Økonomiafsnittet mangler."}
    )
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.RETURNED

    client.force_login(caseworker)
    mine = client.get(reverse("cases:my_items")).content.decode()
    assert "Sendt retur" in mine and "Økonomiafsnittet mangler." in mine
    assert (
        "Økonomiafsnittet mangler."
        in client.get(reverse("cases:item_edit", args=[item.pk])).content.decode()
    )
    client.post(reverse("cases:item_mark_ready", args=[item.pk]))

    meeting = factories.meeting(status=Meeting.Status.DRAFT)
    factories.item(meeting)
    client.force_login(secretary)
    response = client.post(
        reverse("cases:item_schedule", args=[item.pk]), {f"punkt{item.pk}-meeting": meeting.pk}
    )
    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.meeting, item.number, item.status) == (meeting, 2, AgendaItem.Status.SCHEDULED)
    assert "Mentorordning" not in client.get(reverse("cases:ready_items")).content.decode()


def test_caseworker_may_not_edit_once_the_item_is_on_an_agenda(client, caseworker, bif):
    item = factories.item(factories.meeting(), recommending_administration=bif)
    client.force_login(caseworker)
    assert client.get(reverse("cases:item_edit", args=[item.pk])).status_code == 403


def test_caseworker_without_an_administration_cannot_draft(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("cases:item_create")).status_code == 403


def test_drafts_are_invisible_to_politicians(client, caseworker, politician, bif):
    client.force_login(caseworker)
    create(client, title="Udkast", problem="Hemmelig problemtekst")
    item = AgendaItem.objects.get()
    client.force_login(politician)
    assert client.get(reverse("cases:item_detail", args=[item.pk])).status_code == 404
    case_page = client.get(reverse("cases:case_detail", args=[item.case.number])).content.decode()
    assert "Hemmelig problemtekst" not in case_page
    history = client.get(reverse("cases:case_history", args=[item.case.number])).content.decode()
    assert "Hemmelig problemtekst" not in history
    assert "Dagsordenspunkt" not in history


def test_a_closed_item_on_a_new_case_needs_a_public_case_title(client, secretary):
    admin = factories.administration("TMF")
    client.force_login(secretary)
    fields = {"title": "Køb af erhvervslejemål", "is_closed": True}
    response = create(client, recommending_administration=str(admin.pk), **fields)
    assert 'href="#id_case_title"' in response.content.decode()
    assert not Case.objects.exists()
    create(client, recommending_administration=str(admin.pk), case_title="Ejendomskøb", **fields)
    assert Case.objects.get().title == "Ejendomskøb"
    assert AgendaItem.objects.get().title == "Køb af erhvervslejemål"
