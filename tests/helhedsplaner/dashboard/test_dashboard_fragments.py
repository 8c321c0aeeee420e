"""The front page's sections are fragments kept under the scopes of what they show
(helhedsplaner.dashboard.views): a write renders afresh exactly the sections it changed,
every part it changed shows the new value on the next read, closed items stay closed to
readers outside the committee, and with the page cache off the page is the same.

Transactional tests: inside a test transaction nothing is cached.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import AgendaItem
from committees.models import Meeting
from core import pagecache, roles
from helhedsplaner.dashboard import figures, views
from helhedsplaner.models import CoFinancing, Plan
from tests import factories
from tests.cachedpage import get_page

pytestmark = pytest.mark.django_db(transaction=True)

HOME = reverse("home")
M = Decimal(1_000_000)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
FIGURES = {"figures", "tables"}
AGENDA = {"queues", "upcoming", "decisions"}


@pytest.fixture
def world():
    """A running plan short of co-financing, named on a coming item (open) and
    a closed one, with a granted commitment whose deciding item is on a held meeting."""
    committee = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    plan = factories.plan(
        "Helhedsplan Nordlys", status="implementation", budget=8 * M, lbf_grant=Decimal(0)
    )
    coming = factories.meeting(committee, day=timezone.localdate() + timedelta(days=14))
    open_item = factories.item(coming, title="Status for Nordlys")
    closed_item = factories.item(coming, title="Grundkøb i Nordlys", is_closed=True)
    plan.agenda_items.add(open_item, closed_item)
    granting = factories.deciding_item(committee, title="Bevilling til Nordlys")
    commitment = factories.commitment(
        plan, amount=Decimal(100_000), status="granted", granted_by_item=granting, note="Første"
    )
    figures.refresh([plan.pk])
    reader = Client()
    reader.force_login(factories.user(roles.POLITICIAN, "laeser"))
    return {
        "plan": plan,
        "committee": committee,
        "coming": coming,
        "open": open_item,
        "closed": closed_item,
        "commitment": commitment,
        "reader": reader,
    }


@pytest.fixture
def rendered(monkeypatch):
    """The sections rendered (not served from the cache), request by request."""
    calls: list[set] = []
    original = views._render_sections

    def spy(user, parts):
        calls.append(set(parts))
        return original(user, parts)

    monkeypatch.setattr(views, "_render_sections", spy)
    return calls


def _get(client: Client) -> tuple[str | None, str]:
    return get_page(client, HOME)


def _section(page: str, name: str) -> str:
    return page.split(f'id="{name}"')[1].split("</section>")[0]


def test_a_commitments_note_renders_the_page_but_no_section_afresh(world, rendered):
    assert _get(world["reader"])[0] == "miss"
    assert _get(world["reader"])[0] == "hit"
    assert rendered == [set(views.SECTIONS)]

    commitment = CoFinancing.objects.get(pk=world["commitment"].pk)
    commitment.note = "Rettet note"
    commitment.save()
    status, page = _get(world["reader"])

    assert status == "miss"  # the page's own scope (all) was raised
    assert rendered == [set(views.SECTIONS)]  # no section rendered again: all from the cache
    assert "Helhedsplan Nordlys" in _section(page, "attention-missing")


def test_a_change_of_money_renders_the_figures_afresh_and_not_the_agenda(world, rendered):
    _get(world["reader"])
    before = _get(world["reader"])[1]
    assert "mangler 1.900.000 kr." in before  # 25 % of 8 mio. less 0,1
    assert "100.000 kr." in _section(before, "totals")

    commitment = CoFinancing.objects.get(pk=world["commitment"].pk)
    commitment.amount = Decimal(200_000)
    commitment.save()
    _status, page = _get(world["reader"])

    assert rendered[-1] == FIGURES
    assert "mangler 1.800.000 kr." in page
    assert "200.000 kr." in _section(page, "totals")  # co-financing granted


def test_a_budget_outside_the_lists_renders_the_totals_and_not_the_lists(world, monkeypatch):
    # The lists of plans needing attention are kept by what they show: a budget that
    # changes the totals and no list renders the totals again and not the lists; one
    # that changes a list (what the plan is missing) renders them.
    lists = []
    original = views.render_to_string

    def spy(template, context=None, *args, **kwargs):
        if template.endswith("/attention.html"):
            lists.append(context["attention"]["missing_cofinancing_count"])
        return original(template, context, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", spy)
    other = factories.plan("Helhedsplan Syd", status="idea", budget=8 * M, lbf_grant=4 * M)
    factories.housing_contribution(other, amount=2 * M)
    figures.refresh([other.pk])
    _get(world["reader"])
    assert lists == [1]

    # The idea is on no list (its 25 % is met: 2 of 8, then of 7 mio.): only the totals change.
    Plan.objects.get(pk=other.pk).save()  # (a save that changes nothing renders nothing)
    other = Plan.objects.get(pk=other.pk)
    other.budget = 7 * M
    other.save()
    status, page = _get(world["reader"])
    assert status == "miss" and "<dd>15 mio. kr.</dd>" in _section(page, "totals")
    assert lists == [1]

    plan = Plan.objects.get(pk=world["plan"].pk)
    plan.budget = 9 * M
    plan.save()
    page = _get(world["reader"])[1]
    assert lists == [1, 1] and "mangler 2.150.000 kr." in page  # 25 % of 9 mio. less 0,1
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert TOKEN.sub("", _get(world["reader"])[1]) == TOKEN.sub("", page)


def test_an_items_new_title_renders_the_agenda_sections_afresh(world, rendered):
    _get(world["reader"])
    item = AgendaItem.objects.get(pk=world["open"].pk)
    item.title = "Status for Nordlys, rettet"
    item.save()
    _status, page = _get(world["reader"])

    assert rendered[-1] == AGENDA
    assert "Status for Nordlys, rettet" in _section(page, "upcoming")


def test_an_item_linked_to_a_plan_joins_the_upcoming_list(world, rendered):
    item = factories.item(world["coming"], title="Boligsocial indsats i Nordlys")
    assert "Boligsocial indsats" not in _get(world["reader"])[1]
    Plan.objects.get(pk=world["plan"].pk).agenda_items.add(item)  # from the plan's side
    _status, page = _get(world["reader"])

    assert rendered[-1] >= AGENDA
    assert "Boligsocial indsats i Nordlys" in _section(page, "upcoming")


def test_a_plans_new_name_shows_in_every_section_that_names_it(world, rendered):
    _get(world["reader"])
    plan = Plan.objects.get(pk=world["plan"].pk)
    plan.name = "Helhedsplan Sydlys"
    plan.save()
    _status, page = _get(world["reader"])

    # Named in the attention lists (figures) and on its items (agenda).
    assert rendered[-1] == FIGURES | AGENDA
    assert "Nordlys" not in _section(page, "attention-missing")
    assert "Helhedsplan Sydlys" in _section(page, "attention-missing")
    assert "Helhedsplan Sydlys" in _section(page, "upcoming")


def test_a_plan_off_the_agenda_renames_without_the_agenda_sections(world, rendered):
    other = factories.plan("Helhedsplan Uden Punkter", status="implementation")
    figures.refresh([other.pk])
    _get(world["reader"])
    other.name = "Helhedsplan Omdøbt"
    other.save()
    _status, page = _get(world["reader"])

    assert rendered[-1] == FIGURES
    assert "Helhedsplan Omdøbt" in _section(page, "attention-missing")


def test_a_meeting_made_a_draft_leaves_the_readers_upcoming_list(world, rendered):
    assert "Status for Nordlys" in _section(_get(world["reader"])[1], "upcoming")
    meeting = Meeting.objects.get(pk=world["coming"].pk)
    meeting.status = Meeting.Status.DRAFT
    meeting.save()
    _status, page = _get(world["reader"])

    assert rendered[-1] >= AGENDA
    assert "Status for Nordlys" not in _section(page, "upcoming")


def test_closed_items_stay_closed_to_readers_outside_the_committee(world):
    member = Client()
    member_user = factories.user(roles.POLITICIAN, "medlem")
    factories.member(member_user, world["committee"])
    member.force_login(member_user)
    for _ in range(2):  # rendered, then served from the cache
        outsider_page = _get(world["reader"])[1]
        member_page = _get(member)[1]
        assert "Grundkøb i Nordlys" not in outsider_page
        assert "Lukket punkt" in _section(outsider_page, "upcoming")
        assert "Grundkøb i Nordlys" in _section(member_page, "upcoming")
    # After a write that renders the section afresh, for both kinds of reader.
    item = AgendaItem.objects.get(pk=world["closed"].pk)
    item.title = "Grundkøb i Nordlys, ny pris"
    item.save()
    assert "Grundkøb i Nordlys" not in _get(world["reader"])[1]
    assert "Grundkøb i Nordlys, ny pris" in _get(member)[1]


def test_a_secretarys_queue_counts_an_item_marked_ready(world):
    secretary = Client()
    secretary.force_login(factories.user(roles.SECRETARY, "sekretaer"))
    assert "Punkter klar til møde (0)" in _get(secretary)[1]
    factories.item(status=AgendaItem.Status.READY)
    assert "Punkter klar til møde (1)" in _get(secretary)[1]


def test_a_user_without_a_role_gets_the_note_from_the_cache_too(world, rendered):
    nobody = Client()
    nobody.force_login(factories.user(None, "udenrolle"))
    for expected in ("miss", "hit"):
        status, page = _get(nobody)
        assert status == expected
        assert "Du har endnu ikke en rolle i systemet" in page
        assert "Helhedsplan Nordlys" not in page
    reader_page = _get(world["reader"])[1]
    assert "Du har endnu ikke en rolle" not in reader_page
    assert "Helhedsplan Nordlys" in reader_page


def test_the_page_is_the_same_with_the_page_cache_off(world):
    cached = [_get(world["reader"]) for _ in range(2)]
    assert [status for status, _page in cached] == ["miss", "hit"]
    with override_settings(PAGE_CACHE_ENABLED=False):
        status, uncached = _get(world["reader"])
    assert status is None
    for _status, page in cached:
        assert TOKEN.sub("", page) == TOKEN.sub("", uncached)


def test_a_refresh_that_changes_no_figure_leaves_their_scope_alone(world):
    before = pagecache.versions([figures.SCOPE])[figures.SCOPE]
    figures.refresh([world["plan"].pk])
    assert pagecache.versions([figures.SCOPE])[figures.SCOPE] == before
    factories.housing_contribution(world["plan"], amount=Decimal(10))
    assert pagecache.versions([figures.SCOPE])[figures.SCOPE] == before + 1


# -- the agenda scope (core.pagecache._with_implied) ------------------------------------------


def test_agenda_is_raised_by_what_agendas_show_and_not_by_a_granted_commitment(world):
    def scopes(instance):
        return pagecache.scopes_of(type(instance), [instance])

    commitment = scopes(world["commitment"])
    assert pagecache.item_scope(world["commitment"].granted_by_item_id) in commitment
    assert pagecache.AGENDA not in commitment
    assert pagecache.AGENDA in scopes(world["open"])
    assert pagecache.AGENDA in scopes(world["coming"])
    assert pagecache.AGENDA in scopes(world["open"].case)
    assert pagecache.AGENDA in scopes(factories.decision(world["open"]))
    assert pagecache.AGENDA in scopes(world["plan"])  # named on its items
    assert pagecache.AGENDA not in scopes(factories.plan("Helhedsplan Uden Punkter"))
    assert pagecache.AGENDA in scopes(factories.meeting(world["committee"]))  # no items yet


def test_a_budget_of_a_plan_only_on_the_stale_list_leaves_the_lists(world, monkeypatch):
    # Each list is named by what it shows of its plans: the stale list shows the day of
    # the latest activity, not the amount over budget, so a budget of a plan that is on
    # the stale list only renders the totals again and not the lists.
    renders = []
    original = views.render_to_string

    def spy(template, context=None, *args, **kwargs):
        if template.endswith("/attention.html"):
            renders.append(template)
        return original(template, context, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", spy)
    quiet = factories.plan("Helhedsplan Stille", status="implementation", budget=8 * M)
    quiet.lbf_grant = 4 * M
    quiet.save()
    factories.housing_contribution(quiet, amount=2 * M)  # its 25 % (2 of 8 mio.) is met
    factories.status_change(quiet, "implementation", day=timezone.localdate() - timedelta(days=900))
    figures.refresh([quiet.pk])

    def stale_list(page):
        return page.split('id="attention-stale"')[1].split('id="attention-budget"')[0]

    page = _get(world["reader"])[1]
    assert "Helhedsplan Stille" in stale_list(page)
    before = len(renders)

    quiet = Plan.objects.get(pk=quiet.pk)
    quiet.budget = 7 * M  # still met (1,75 of 2 mio.), not over budget (6 of 7 mio.)
    quiet.save()
    status, page = _get(world["reader"])
    assert status == "miss" and "Helhedsplan Stille" in stale_list(page)
    assert len(renders) == before
