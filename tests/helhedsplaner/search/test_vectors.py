"""The stored search vectors (issue 9) follow every edit and rank like the old expressions."""

import pytest

from helhedsplaner.search.selectors import search
from tests import factories


@pytest.fixture
def item(db):
    meeting = factories.meeting(factories.committee("BIU"))
    return factories.item(
        meeting,
        number=1,
        title="Tryghed i Vollsmose",
        problem="Beskæftigelsesindsatsen i Vollsmose er styrket.",
    )


def test_an_edited_item_is_found_by_its_new_words_at_once(item, politician, on_postgres):
    assert search(query="lektiecafé", user=politician).groups["items"] == []
    item.solution = "En lektiecafé åbner i beboerhuset."
    item.save(update_fields=["solution", "updated_at"])
    hits = search(query="lektiecaféen", user=politician).groups["items"]
    assert [hit.obj.pk for hit in hits] == [item.pk]
    assert "<mark>" in hits[0].snippet


def test_more_matching_words_rank_first(item, politician, on_postgres):
    other = factories.item(item.meeting, number=2, title="Vollsmose", problem="Kort omtale.")
    hits = search(query="Vollsmose", user=politician).groups["items"]
    assert [hit.obj.pk for hit in hits] == [item.pk, other.pk]
