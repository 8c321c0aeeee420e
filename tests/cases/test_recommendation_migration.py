"""The data migration that gives every existing item its first recommendation block
(cases/migrations/0009): run forward and backward on rows shaped as before it."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from cases.models import AgendaItem, RecommendationBlock, RecommendationParty
from committees.models import Committee
from tests import factories

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cases.migrations.0009_recommendation_blocks_data")


def test_a_readable_route_becomes_committees_and_an_unreadable_one_is_kept():
    tmf = factories.administration("TMF", "Teknik- og Miljøforvaltningen")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    factories.committee("ØU", name="Økonomiudvalget", kind=Committee.Kind.FINANCE_COMMITTEE)
    factories.committee("BR", name="Borgerrepræsentationen", kind=Committee.Kind.CITY_COUNCIL)
    meeting = factories.meeting(tmu, day=date(2009, 5, 13))
    readable = factories.item(
        meeting,
        recommending_administration=tmf,
        route="over for Økonomiudvalget og Borgerrepræsentationen",
        points=("at udvalget anbefaler,", "at sagen sendes videre."),
    )
    unreadable = factories.item(
        meeting, recommending_administration=tmf, route="over for et udvalg, der ikke findes"
    )

    migration.forward(apps, None)

    readable.refresh_from_db()
    assert readable.route == ""
    block = RecommendationBlock.objects.get(item=readable)
    parties = RecommendationParty.objects.filter(block=block)
    assert [p.administration_id for p in parties.filter(role="administration")] == [tmf.pk]
    assert [p.committee.short_name for p in parties.filter(role="committee")] == ["TMU"]
    assert [p.committee.short_name for p in parties.filter(role="addressee")] == ["ØU", "BR"]
    assert set(readable.recommendation_points.values_list("block_id", flat=True)) == {block.pk}

    unreadable.refresh_from_db()
    assert unreadable.route == "over for et udvalg, der ikke findes"  # nothing typed is lost
    assert not RecommendationParty.objects.filter(block__item=unreadable, role="addressee").exists()

    migration.backward(apps, None)
    assert AgendaItem.objects.get(pk=readable.pk).route == (
        "over for Økonomiudvalget og Borgerrepræsentationen"
    )
