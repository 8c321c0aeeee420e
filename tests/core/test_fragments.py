"""Fragments of a shared page are kept under their own scopes' versions (core.fragments).

A test page shows two agenda items, each as a fragment keyed by its ``item:N`` scope,
inside a page keyed by ``all``. A write to one item makes the page a miss but renders
only that item's fragment again; the other comes from the cache, and the page shows the
new title at once. Transactional tests: inside a test transaction nothing is cached.
"""

import pytest
from django.test import Client, override_settings

from core import pagecache, roles
from tests import factories
from tests.cachedpage import get_page
from tests.core import urls_fragments

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.core.urls_fragments"),
]


@pytest.fixture
def page():
    meeting = factories.meeting(factories.committee("BIU"))
    first = factories.item(meeting, title="Første punkt")
    second = factories.item(meeting, title="Andet punkt")
    reader = Client()
    reader.force_login(factories.user(roles.POLITICIAN, "laeser"))
    urls_fragments.rendered.clear()
    return {
        "first": first,
        "second": second,
        "reader": reader,
        "url": f"/test/fragmenter/?items={first.pk},{second.pk}",
    }


def _get(page) -> tuple[str | None, str]:
    return get_page(page["reader"], page["url"])


def test_a_write_renders_only_the_fragment_it_changed(page):
    assert _get(page)[0] == "miss"
    assert _get(page)[0] == "hit"
    assert urls_fragments.rendered == [page["first"].pk, page["second"].pk]

    page["second"].title = "Andet punkt, rettet"
    page["second"].save()
    status, content = _get(page)

    assert status == "miss"  # the page's own scope (all) was raised
    assert "Andet punkt, rettet" in content and "Første punkt" in content
    # Only the changed item was read and rendered again.
    assert urls_fragments.rendered == [page["first"].pk, page["second"].pk, page["second"].pk]


def test_fragments_are_not_shared_between_kinds_of_reader(page):
    _get(page)
    secretary = Client()
    secretary.force_login(factories.user(roles.SECRETARY, "sekr"))
    response = secretary.get(page["url"])
    assert response[pagecache.STATUS_HEADER] == "miss"
    assert urls_fragments.rendered == [page["first"].pk, page["second"].pk] * 2


def test_a_change_of_access_renders_every_fragment(page):
    _get(page)
    pagecache.bump()
    _get(page)
    assert urls_fragments.rendered == [page["first"].pk, page["second"].pk] * 2


@override_settings(PAGE_CACHE_ENABLED=False)
def test_without_the_page_cache_every_fragment_is_rendered(page):
    assert _get(page) == (None, "<ul><li>Første punkt</li><li>Andet punkt</li></ul>")
    _get(page)
    assert urls_fragments.rendered == [page["first"].pk, page["second"].pk] * 2
