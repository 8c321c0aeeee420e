"""A case's journey through the committees (issue 18, points 1 and 2).

Joint recommendations and several recommendation blocks, entered through the item form
and printed in the seed's form; send videre from a decided item to the next committee's
meeting, with the earlier decisions under their own headings; the case's route.
"""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from cases import pdf, services
from cases.models import AgendaItem, Decision, RecommendationParty
from cases.recommendations import BlockData, recommendations_set
from cases.versions import agenda_changes
from committees.models import Committee, Meeting
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

JOINT = (
    "Teknik- og Miljøforvaltningen og Økonomiforvaltningen indstiller, at Teknik- og "
    "Miljøudvalget over for Økonomiudvalget og Borgerrepræsentationen anbefaler,"
)
SECOND = (
    "Økonomiforvaltningen indstiller, at Økonomiudvalget over for Borgerrepræsentationen anbefaler,"
)


def danish(msgid: str, **values) -> str:
    with translation.override("da"):
        return gettext(msgid) % values if values else gettext(msgid)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_text(data: bytes) -> str:
    return squeeze(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def page_text(response) -> str:
    return squeeze(re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def city(db):
    """Copenhagen's route: TMU (with TMF), ØU and BR (with ØKF), and their meetings."""
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    okf = factories.administration("ØKF", "Økonomiforvaltningen")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget", administration=tmf)
    ou = factories.committee(
        "ØU", name="Økonomiudvalget", kind=Committee.Kind.FINANCE_COMMITTEE, administration=okf
    )
    br = factories.committee(
        "BR", name="Borgerrepræsentationen", kind=Committee.Kind.CITY_COUNCIL, administration=okf
    )
    return {
        "tmf": tmf,
        "okf": okf,
        "tmu": tmu,
        "ou": ou,
        "br": br,
        "tmu_meeting": factories.meeting(tmu, day=date(2009, 5, 13), status=Meeting.Status.DRAFT),
        "ou_meeting": factories.meeting(ou, day=date(2009, 5, 25), status=Meeting.Status.DRAFT),
        "br_meeting": factories.meeting(br, day=date(2009, 6, 4), status=Meeting.Status.DRAFT),
    }


def joint_item_data(city, **extra) -> dict:
    """The item form as a secretary fills it for a joint recommendation in two blocks."""
    data = factories.item_form_data(
        points=["at der vedtages en fælles politik for helhedsplanerne,"],
        title="Fælles politik for de boligsociale helhedsplaner",
        recommending_administration=str(city["tmf"].pk),
        meeting=str(city["tmu_meeting"].pk),
        decided_by=str(city["br"].pk),
        **extra,
    )
    data.pop("route")
    data["co_administrations"] = [str(city["okf"].pk)]
    data["recommending_committees"] = [str(city["tmu"].pk)]
    data["addressees"] = [str(city["br"].pk), str(city["ou"].pk)]
    data.update(
        {
            "blocks-TOTAL_FORMS": "1",
            "blocks-INITIAL_FORMS": "0",
            "blocks-MIN_NUM_FORMS": "0",
            "blocks-MAX_NUM_FORMS": "1000",
            "blocks-0-administrations": [str(city["okf"].pk)],
            "blocks-0-committees": [str(city["ou"].pk)],
            "blocks-0-addressees": [str(city["br"].pk)],
            "blocks-0-points": "at der afsættes 2,0 mio. kr. årligt til en fælles pulje.",
        }
    )
    return data


def create_joint_item(client, city) -> AgendaItem:
    response = client.post(reverse("cases:item_create"), joint_item_data(city))
    assert response.status_code == 302, page_text(response)[:2000]
    return AgendaItem.objects.get(title="Fælles politik for de boligsociale helhedsplaner")


def decide(item: AgendaItem, outcome=Decision.Outcome.RECOMMENDED, text="Anbefalet.") -> None:
    Meeting.objects.filter(pk=item.meeting_id).update(status=Meeting.Status.HELD)
    factories.decision(item, outcome=outcome, text=text)


def send_on(client, item: AgendaItem, meeting: Meeting):
    return client.post(reverse("cases:item_send_on", args=[item.pk]), {"meeting": meeting.pk})


# -- point 1: joint recommendations ------------------------------------------------------------


def test_a_joint_recommendation_in_two_blocks_prints_in_the_seeds_form(client_for, secretary, city):
    client = client_for(secretary)
    item = create_joint_item(client, city)

    blocks = list(item.recommendation_blocks.order_by("position"))
    assert len(blocks) == 2
    parties = RecommendationParty.objects.filter(block=blocks[0])
    assert [p.administration.code for p in parties.filter(role="administration")] == ["TMF", "ØKF"]
    # The route runs up the hierarchy whatever order the boxes were ticked in.
    assert [p.committee.short_name for p in parties.filter(role="addressee")] == ["ØU", "BR"]
    # The points are numbered through the whole item: the second block starts at 2.
    assert [(p.position, p.block_id) for p in item.recommendation_points.all()] == [
        (1, blocks[0].pk),
        (2, blocks[1].pk),
    ]

    page = page_text(client.get(reverse("cases:item_detail", args=[item.pk])))
    assert JOINT in page
    assert SECOND in page
    assert page.index(JOINT) < page.index("at der vedtages") < page.index(SECOND)

    text = pdf_text(pdf.agenda_item_pdf(item=item, edition=pdf.Edition.PUBLIC))
    assert JOINT in text
    assert SECOND in text
    assert "at der afsættes 2,0 mio. kr." in text
    html = pdf.meeting_agenda_html(meeting=item.meeting, edition=pdf.Edition.PUBLIC)
    assert re.search(r'<li value="2">at der afsættes 2,0 mio\. kr\.', html)


def test_the_edit_form_shows_the_blocks_and_saves_them_unchanged(client_for, secretary, city):
    client = client_for(secretary)
    item = create_joint_item(client, city)
    before = item.recommendation_blocks.count(), RecommendationParty.history.count()

    form = client.get(reverse("cases:item_edit", args=[item.pk])).content.decode()
    assert re.search(rf'name="co_administrations" value="{city["okf"].pk}"[^>]*checked', form)
    assert "at der afsættes 2,0 mio. kr. årligt til en fælles pulje." in form

    data = joint_item_data(city, version=str(AgendaItem.objects.get(pk=item.pk).version))
    data.pop("meeting")
    data["blocks-INITIAL_FORMS"] = "1"
    assert client.post(reverse("cases:item_edit", args=[item.pk]), data).status_code == 302
    # Nothing changed, so no party was written again.
    assert (item.recommendation_blocks.count(), RecommendationParty.history.count()) == before

    data = joint_item_data(city, version=str(AgendaItem.objects.get(pk=item.pk).version))
    data.pop("meeting")
    data["blocks-INITIAL_FORMS"] = "1"
    data["blocks-0-DELETE"] = "on"
    assert client.post(reverse("cases:item_edit", args=[item.pk]), data).status_code == 302
    assert item.recommendation_blocks.count() == 1
    assert list(item.recommendation_points.values_list("position", flat=True)) == [1]


def test_points_in_a_further_block_need_someone_recommending_them(client_for, secretary, city):
    client = client_for(secretary)
    data = joint_item_data(city)
    data["blocks-0-administrations"] = []
    response = client.post(reverse("cases:item_create"), data)
    assert response.status_code == 200
    assert danish("Tick the administrations that recommend these points.") in (
        response.content.decode()
    )
    # What was typed is still there.
    assert "at der afsættes 2,0 mio. kr. årligt til en fælles pulje." in response.content.decode()
    assert not AgendaItem.objects.filter(title__startswith="Fælles politik").exists()


def test_a_published_snapshot_from_before_the_blocks_does_not_count_as_a_change(city):
    item = factories.item(city["tmu_meeting"], recommending_administration=city["tmf"])
    recommendations_set(item, [BlockData([city["tmf"]], points=["at udvalget drøfter sagen."])])
    meeting = city["tmu_meeting"]
    current = services._current_snapshot(meeting)
    old = {
        **current,
        "items": [
            {key: value for key, value in entry.items() if key != "recommendation"}
            for entry in current["items"]
        ],
    }
    assert agenda_changes(old, current) == []
    # A real change to who recommends is one.
    recommendations_set(
        item,
        [BlockData([city["tmf"], city["okf"]], points=["at udvalget drøfter sagen."])],
    )
    changed = agenda_changes(current, services._current_snapshot(meeting))
    assert changed == [{"kind": "changed", "number": item.number, "fields": ["recommendation"]}]


# -- point 2: send videre --------------------------------------------------------------------


def test_a_decided_item_is_sent_on_to_ou_and_br_with_the_earlier_decisions(
    client_for, secretary, city
):
    client = client_for(secretary)
    tmu_item = create_joint_item(client, city)
    factories.attachment(tmu_item, title="Notat om politikken")
    decide(tmu_item, text="Indstillingen blev anbefalet i TMU.")

    page = client.get(reverse("cases:item_detail", args=[tmu_item.pk])).content.decode()
    assert reverse("cases:item_send_on", args=[tmu_item.pk]) in page
    response = send_on(client, tmu_item, city["ou_meeting"])
    assert response.status_code == 302
    ou_item = AgendaItem.objects.get(meeting=city["ou_meeting"])
    assert response["Location"] == reverse("cases:item_detail", args=[ou_item.pk])
    assert ou_item.case_id == tmu_item.case_id
    assert ou_item.sent_from_id == tmu_item.pk
    assert ou_item.title == tmu_item.title
    assert [a.title for a in ou_item.attachments.all()] == ["Notat om politikken"]
    assert ou_item.attachments.get().file.name == tmu_item.attachments.get().file.name
    assert list(ou_item.recommendation_points.values_list("text", flat=True)) == list(
        tmu_item.recommendation_points.values_list("text", flat=True)
    )
    ou_page = page_text(client.get(reverse("cases:item_detail", args=[ou_item.pk])))
    # The recommendation still names TMU, which recommended it, on ØU's agenda.
    assert JOINT in ou_page
    assert "Teknik- og Miljøudvalgets beslutning den 13. maj 2009" in ou_page

    decide(ou_item, text="Økonomiudvalget anbefalede indstillingen.")
    assert send_on(client, ou_item, city["br_meeting"]).status_code == 302
    br_item = AgendaItem.objects.get(meeting=city["br_meeting"])
    assert br_item.sent_from_id == ou_item.pk

    Meeting.objects.filter(pk=city["br_meeting"].pk).update(status=Meeting.Status.PUBLISHED)
    text = pdf_text(
        pdf.meeting_agenda_pdf(
            meeting=Meeting.objects.get(pk=city["br_meeting"].pk), edition=pdf.Edition.PUBLIC
        )
    )
    first = text.index("Teknik- og Miljøudvalgets beslutning den 13. maj 2009")
    second = text.index("Økonomiudvalgets beslutning den 25. maj 2009")
    assert first < text.index("Indstillingen blev anbefalet i TMU.") < second
    assert second < text.index("Økonomiudvalget anbefalede indstillingen.")

    case_page = page_text(client.get(reverse("cases:case_detail", args=[br_item.case.number])))
    route = case_page[case_page.index(danish("Route and where the case is now")) :]
    assert route.index("Teknik- og Miljøudvalget") < route.index("Økonomiudvalget")
    assert route.index("Økonomiudvalget") < route.index("Borgerrepræsentationen")
    assert danish("decided %(date)s", date="13. maj 2009") in route
    assert danish("on the agenda %(date)s (here now)", date="4. juni 2009") in route


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        (None, "Record %(committee)s's decision before sending the case on."),
        (
            Decision.Outcome.REJECTED,
            "The item was %(outcome)s: a rejected or postponed case is not sent on.",
        ),
    ],
)
def test_an_undecided_or_rejected_item_is_not_sent_on(
    client_for, secretary, city, outcome, message
):
    client = client_for(secretary)
    item = create_joint_item(client, city)
    if outcome:
        decide(item, outcome=outcome, text="Forkastet.")
    response = send_on(client, item, city["ou_meeting"])
    assert response.status_code == 200
    with translation.override("da"):
        expected = gettext(message) % {
            "committee": "Teknik- og Miljøudvalget",
            "outcome": str(Decision.Outcome(outcome).label).lower() if outcome else "",
        }
    assert expected in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=city["ou_meeting"]).exists()
    page = client.get(reverse("cases:item_detail", args=[item.pk])).content.decode()
    assert reverse("cases:item_send_on", args=[item.pk]) not in page


def test_sending_on_goes_to_the_next_committee_once_and_forward_in_time(
    client_for, secretary, city
):
    client = client_for(secretary)
    item = create_joint_item(client, city)
    decide(item)
    # BR is not next: ØU is.
    response = send_on(client, item, city["br_meeting"])
    assert response.status_code == 200
    assert not AgendaItem.objects.filter(meeting=city["br_meeting"]).exists()
    # A meeting of ØU before TMU decided is not offered.
    earlier = factories.meeting(city["ou"], day=date(2009, 5, 1), status=Meeting.Status.DRAFT)
    assert send_on(client, item, earlier).status_code == 200
    assert not AgendaItem.objects.filter(meeting=earlier).exists()

    assert send_on(client, item, city["ou_meeting"]).status_code == 302
    again = factories.meeting(city["ou"], day=date(2009, 6, 1), status=Meeting.Status.DRAFT)
    response = send_on(client, item, again)
    assert "Sagen er allerede sendt videre til Økonomiudvalget" in page_text(response)
    assert AgendaItem.objects.filter(sent_from=item).count() == 1


def test_only_the_committees_secretaries_send_on(client_for, city):
    item = factories.item(
        city["tmu_meeting"], recommending_administration=city["tmf"], title="Punkt"
    )
    recommendations_set(
        item,
        [BlockData([city["tmf"]], addressees=[city["ou"]], points=["at udvalget anbefaler."])],
    )
    decide(item)
    other = factories.user(roles.SECRETARY, scoped=True)
    factories.secretary_of(other, factories.committee("KFU"))
    assert send_on(client_for(other), item, city["ou_meeting"]).status_code == 403
    ou_only = factories.user(roles.SECRETARY, scoped=True)
    factories.secretary_of(ou_only, city["ou"])
    # Serving the next committee is not enough: the item is TMU's.
    assert send_on(client_for(ou_only), item, city["ou_meeting"]).status_code == 403
    assert not AgendaItem.objects.filter(meeting=city["ou_meeting"]).exists()


def test_a_closed_earlier_item_does_not_open_through_an_open_item(client_for, secretary, city):
    client = client_for(secretary)
    item = factories.item(
        city["tmu_meeting"], recommending_administration=city["tmf"], is_closed=True
    )
    recommendations_set(
        item,
        [BlockData([city["tmf"]], addressees=[city["ou"]], points=["at udvalget anbefaler."])],
    )
    decide(item, text="Fortrolig beslutning i TMU.")
    send_on(client, item, city["ou_meeting"])
    ou_item = AgendaItem.objects.get(meeting=city["ou_meeting"])
    assert ou_item.is_closed  # the closed item stays closed on the next agenda
    AgendaItem.objects.filter(pk=ou_item.pk).update(is_closed=False)  # opened by hand
    Meeting.objects.filter(pk=city["ou_meeting"].pk).update(status=Meeting.Status.PUBLISHED)
    reader = factories.user(roles.POLITICIAN)
    page = page_text(client_for(reader).get(reverse("cases:item_detail", args=[ou_item.pk])))
    assert "Fortrolig beslutning i TMU." not in page


def test_an_agenda_of_items_sent_on_reads_their_earlier_decisions_at_once(
    client_for, secretary, city
):
    """The BR agenda reads the earlier decisions of all its items sent on in one query
    per step back along the route, not one per item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(secretary)
    url = reverse("meetings:meeting_detail", args=[city["ou_meeting"].pk])

    def add_sent_item():
        item = factories.item(city["tmu_meeting"], recommending_administration=city["tmf"])
        recommendations_set(
            item, [BlockData([city["tmf"]], addressees=[city["ou"]], points=["at anbefale."])]
        )
        factories.decision(item, Decision.Outcome.RECOMMENDED, "Anbefalet i TMU.")
        services.agenda_item_send_on(item=item, meeting=city["ou_meeting"])

    counts = []
    for _ in range(2):
        add_sent_item()
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert "Anbefalet i TMU." in client.get(url).content.decode()
        counts.append(len(queries))
    for _ in range(2):
        add_sent_item()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) == counts[-1], (counts, len(queries))
