"""The page cache keeps what a write did not change (core.pagecache's scopes), through HTTP.

A write raises the versions of the pages that show what it wrote, and only those: plan B's
status page and another committee's agenda stay cached after a write to plan A. Each test
warms the pages, makes one real write (a save, a link, a delete, an import) and asks for
them again: ``X-Page-Cache`` says whether a page came from the cache. Transactional tests:
inside a test transaction the cache is bypassed on purpose.
"""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cases.models import AgendaItem
from committees.models import Meeting
from core import pagecache, roles
from helhedsplaner.indicators.services import indicator_values_import
from tests import factories
from tests.cachedpage import get_page as _status

pytestmark = pytest.mark.django_db(transaction=True)


def _warm(client: Client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert _status(client, url)[0] == "hit", url


def _plan_status_url(plan) -> str:
    return reverse("planstatus:plan_status", args=[plan.pk])


@pytest.fixture
def world():
    """Two plans in two areas, two committees with a published meeting each, an item on
    each meeting concerning one plan each, and a politician reading."""
    area_a, area_b = factories.area("Område A"), factories.area("Område B")
    plan_a = factories.plan("Helhedsplan Alfa", area=area_a)
    plan_b = factories.plan("Helhedsplan Beta", area=area_b)
    commitment_a = factories.commitment(plan_a, amount=Decimal(100000))
    meeting_x = factories.meeting(factories.committee("BIU"))
    meeting_y = factories.meeting(factories.committee("TMU"))
    item_x = factories.item(meeting_x, title="Punkt om Alfa")
    item_y = factories.item(meeting_y, title="Punkt om Beta")
    plan_a.agenda_items.add(item_x)
    plan_b.agenda_items.add(item_y)
    indicator = factories.indicator("ledighed", "Ledighed")
    reader = Client()
    reader.force_login(factories.user(roles.POLITICIAN, "laeser"))
    return {
        "plan_a": plan_a,
        "plan_b": plan_b,
        "area_a": area_a,
        "commitment_a": commitment_a,
        "meeting_x": meeting_x,
        "meeting_y": meeting_y,
        "item_x": item_x,
        "item_y": item_y,
        "indicator": indicator,
        "reader": reader,
        "a": _plan_status_url(plan_a),
        "b": _plan_status_url(plan_b),
        "agenda_x": reverse("meetings:meeting_detail", args=[meeting_x.pk]),
        "agenda_y": reverse("meetings:meeting_detail", args=[meeting_y.pk]),
        "case_x": reverse("cases:case_detail", args=[item_x.case.number]),
        "plans": reverse("helhedsplaner:plan_list"),
        "home": reverse("home"),
    }


def test_a_write_to_one_plan_leaves_another_plans_page_cached_and_refreshes_its_own(world):
    reader = world["reader"]
    _warm(reader, world["a"], world["b"], world["agenda_y"], world["plans"])
    commitment = world["commitment_a"]
    commitment.amount = Decimal(123456)
    commitment.save()

    status, page = _status(reader, world["a"])
    assert status == "miss" and "123.456" in page
    assert _status(reader, world["b"])[0] == "hit"
    assert _status(reader, world["agenda_y"])[0] == "hit"
    # The plan list and the front page show every plan: rendered afresh.
    assert _status(reader, world["plans"])[0] == "miss"
    assert _status(reader, world["home"])[0] == "miss"
    # And cached again from then on.
    assert _status(reader, world["a"])[0] == "hit"


def test_a_renamed_plan_shows_on_its_pages_and_on_the_agenda_that_names_it(world):
    reader = world["reader"]
    _warm(reader, world["a"], world["b"], world["agenda_x"], world["agenda_y"], world["case_x"])
    plan = world["plan_a"]
    plan.name = "Helhedsplan Alfa Nord"
    plan.save()

    for url in (world["a"], world["agenda_x"], world["case_x"]):
        status, page = _status(reader, url)
        assert status == "miss" and "Alfa Nord" in page, url
    assert _status(reader, world["b"])[0] == "hit"
    assert _status(reader, world["agenda_y"])[0] == "hit"


def test_a_plans_budget_leaves_the_agenda_that_names_it_cached(world):
    """The agenda and the case page show a plan's name only: its budget reaches its own
    pages (and the lists of all plans), not theirs."""
    reader = world["reader"]
    _warm(reader, world["a"], world["agenda_x"], world["case_x"])
    plan = world["plan_a"]
    plan.budget = Decimal(12345678)
    plan.save()

    status, page = _status(reader, world["a"])
    assert status == "miss" and "12,3 mio. kr." in page
    assert _status(reader, world["agenda_x"])[0] == "hit"
    assert _status(reader, world["case_x"])[0] == "hit"

    plan.name = "Helhedsplan Alfa Syd"
    plan.save(update_fields=["name"])
    status, page = _status(reader, world["agenda_x"])
    assert status == "miss" and "Alfa Syd" in page


def test_a_plan_saved_through_its_edit_form_leaves_the_agenda_that_names_it_cached(world):
    """The form's service claims the plan's version with an UPDATE (``changed(fields=)``)
    before it saves: neither reaches the agenda unless the name changes."""
    from helhedsplaner.plans.services import plan_update

    reader = world["reader"]
    _warm(reader, world["a"], world["agenda_x"])
    plan = world["plan_a"]
    plan.refresh_from_db()
    plan_update(
        plan=plan,
        user=None,
        expected_version=plan.version,
        fields={"budget": Decimal(12345678)},
        m2m={},
        estates=[],
    )

    assert _status(reader, world["a"])[0] == "miss"
    assert _status(reader, world["agenda_x"])[0] == "hit"


def test_an_edited_item_refreshes_its_agenda_case_and_plan_but_not_another_committee(world):
    reader = world["reader"]
    _warm(reader, world["a"], world["b"], world["agenda_x"], world["agenda_y"], world["case_x"])
    item = world["item_x"]
    item.title = "Punkt om Alfa, revideret"
    item.save()

    for url in (world["agenda_x"], world["case_x"], world["a"]):
        status, page = _status(reader, url)
        assert status == "miss" and "revideret" in page, url
    assert _status(reader, world["agenda_y"])[0] == "hit"
    assert _status(reader, world["b"])[0] == "hit"


def test_linking_and_unlinking_an_item_refreshes_both_sides(world):
    reader = world["reader"]
    plan_b, item_x = world["plan_b"], world["item_x"]
    _warm(reader, world["b"], world["agenda_x"], world["agenda_y"])
    plan_b.agenda_items.add(item_x)  # many-to-many add, from the plan's side
    status, page = _status(reader, world["b"])
    assert status == "miss" and "Punkt om Alfa" in page
    assert _status(reader, world["agenda_x"])[0] == "miss"
    assert _status(reader, world["agenda_y"])[0] == "hit"

    _warm(reader, world["b"], world["agenda_x"])
    item_x.plans.remove(plan_b)  # and a remove from the item's side
    status, page = _status(reader, world["b"])
    assert status == "miss" and "Punkt om Alfa" not in page
    assert _status(reader, world["agenda_x"])[0] == "miss"

    _warm(reader, world["a"], world["agenda_x"])
    world["plan_a"].agenda_items.clear()  # a clear: the links are found before they go
    status, page = _status(reader, world["a"])
    assert status == "miss" and "Punkt om Alfa" not in page
    assert _status(reader, world["agenda_x"])[0] == "miss"


def test_an_item_moved_to_another_meeting_leaves_the_old_agenda_and_joins_the_new(world):
    reader = world["reader"]
    _warm(reader, world["agenda_x"], world["agenda_y"])
    item = AgendaItem.objects.get(pk=world["item_x"].pk)
    item.meeting = world["meeting_y"]
    item.number = 2
    item.save()
    status, page = _status(reader, world["agenda_x"])
    assert status == "miss" and "Punkt om Alfa" not in page
    status, page = _status(reader, world["agenda_y"])
    assert status == "miss" and "Punkt om Alfa" in page


def test_a_deleted_commitment_leaves_its_plans_page(world):
    reader = world["reader"]
    _warm(reader, world["a"], world["b"])
    assert "100.000" in _status(reader, world["a"])[1]
    world["commitment_a"].delete()
    status, page = _status(reader, world["a"])
    assert status == "miss" and "100.000" not in page
    assert _status(reader, world["b"])[0] == "hit"


def test_publishing_a_meeting_opens_its_items_on_the_plan_pages(world):
    reader = world["reader"]
    draft = factories.meeting(
        world["meeting_x"].committee, day=date(2009, 6, 25), status=Meeting.Status.DRAFT
    )
    hidden = factories.item(draft, title="Punkt på kladden")
    world["plan_a"].agenda_items.add(hidden)
    _warm(reader, world["a"], world["b"])
    assert "Punkt på kladden" not in _status(reader, world["a"])[1]
    draft.status = Meeting.Status.PUBLISHED
    draft.save()
    status, page = _status(reader, world["a"])
    assert status == "miss" and "Punkt på kladden" in page
    assert _status(reader, world["b"])[0] == "hit"


def test_an_indicator_import_refreshes_the_plans_in_its_area_only(world):
    reader = world["reader"]
    _warm(reader, world["a"], world["b"])
    user = factories.user(roles.CASEWORKER, "importoer")
    _warm(reader, world["a"], world["b"])  # (a new user is an access change)
    # bulk_create past the signals: the import says what it changed.
    result = indicator_values_import(
        text="område;indikator;år;værdi\nOmråde A;ledighed;2024;7,5\n", user=user
    )
    assert result.created == 1
    assert _status(reader, world["a"])[0] == "miss"
    assert _status(reader, world["b"])[0] == "hit"


def test_a_write_nobody_accounts_for_renders_everything_afresh(world):
    reader = world["reader"]
    _warm(reader, world["a"], world["b"])
    # QuerySet.update() in a transaction without pagecache.changed(): the safety net.
    with transaction.atomic():
        type(world["plan_b"]).objects.filter(pk=world["plan_b"].pk).update(name="Beta Skjult")
    status, page = _status(reader, world["b"])
    assert status == "miss" and "Beta Skjult" in page
    assert _status(reader, world["a"])[0] == "miss"


def test_a_rolled_back_write_raises_nothing(world):
    reader = world["reader"]
    _warm(reader, world["a"])
    with pytest.raises(RuntimeError), transaction.atomic():
        plan = world["plan_a"]
        plan.name = "Rullet tilbage"
        plan.save()
        raise RuntimeError
    status, page = _status(reader, world["a"])
    assert status == "hit" and "Rullet tilbage" not in page


def test_readers_of_a_page_being_rendered_wait_for_that_rendering(world, monkeypatch):
    """No stampede: while one reader renders a page, another gets that rendering."""
    reader = world["reader"]
    url = world["a"]
    _status(reader, url)  # rendered and cached
    pages = caches["pages"]
    # Make the next write, then pretend another process has started rendering its page.
    world["commitment_a"].save()
    rendered = []
    real_add = pages.add

    def busy_add(key, value, timeout=None, version=None):
        if key.endswith(":rendering"):
            # Somebody else holds the rendering (their marker is there); it finishes 0.2 s
            # later: their page is stored and their marker taken away.
            real_add(key, value, timeout)
            page_key = key.removesuffix(":rendering")

            def finish():
                pages.set(page_key, ("text/html; charset=utf-8", b"<p>theirs</p>"))
                pages.delete(key)

            threading.Timer(0.2, finish).start()
            return False
        return real_add(key, value, timeout, version)

    monkeypatch.setattr(pages, "add", busy_add)
    response = reader.get(url)
    rendered.append(response[pagecache.STATUS_HEADER])
    assert rendered == ["hit"] and response.content == b"<p>theirs</p>"


def test_every_model_a_page_can_show_says_which_pages_show_it():
    """A model added later without a scope function would be caught only by the safety net
    (everything rendered afresh on each write): every data model is registered."""
    unshown = {
        "casenumbersequence",
        "calendarfeed",
        "planfigures",
        "planfiguressummary",
        "renderedfile",  # the meetings' PDFs: served by their own views (cases.rendering)
        "importmapping",  # how an import reads its source: shown only on the (never cached)
        # preview of an upload
        "indicatorimport",  # an upload's own page, never cached; the values it saves are
    }
    missing = [
        model._meta.label
        for app in ("cases", "committees", "helhedsplaner")
        for model in apps.get_app_config(app).get_models()
        if not model._meta.model_name.startswith("historical")
        and model._meta.model_name not in unshown
        and model not in pagecache.registered_models()
    ]
    assert missing == []
