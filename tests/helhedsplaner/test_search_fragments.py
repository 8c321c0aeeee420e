"""Search hits are fragments kept under the scope of the row each shows (the views of
helhedsplaner.search): a write renders afresh only the hits it changed and shows at
once, a closed item is never found by a reader outside its committee, the page is the
same with the page cache off, and the findable rows are those of the cases app's rule.

Transactional tests: inside a test transaction nothing is cached.
"""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from cases.models import AgendaItem, Attachment, Case, Decision
from cases.selectors import agenda_item_visibility, closed_readable_by
from committees.models import Meeting
from core import roles
from helhedsplaner.models import Plan
from helhedsplaner.search import selectors, views
from tests import factories
from tests.cachedpage import get_page

pytestmark = pytest.mark.django_db(transaction=True)

URL = reverse("search")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def world():
    biu = factories.committee("BIU", name="Beskæftigelses- og Integrationsudvalget")
    tmu = factories.committee("TMU", name="Teknik- og Miljøudvalget")
    meeting = factories.meeting(biu)
    case = factories.case(title="Tryghed i Vollsmose")
    first = factories.item(meeting, case_obj=case, title="Vollsmose status")
    second = factories.item(meeting, title="Vollsmose økonomi")
    decision = factories.decision(second, text="Vollsmose godkendt.")
    closed = factories.item(
        factories.meeting(tmu, day=factories.date(2010, 3, 1)),
        title="Vollsmose grundkøb",
        is_closed=True,
    )
    draft = factories.item(
        factories.meeting(tmu, day=factories.date(2011, 3, 1), status=Meeting.Status.DRAFT),
        title="Vollsmose kladde",
    )
    plan = factories.plan(name="Helhedsplan Vollsmose")
    reader = Client()
    reader.force_login(factories.user(roles.POLITICIAN, "laeser"))
    return {
        "tmu": tmu,
        "case": case,
        "first": first,
        "second": second,
        "decision": decision,
        "closed": closed,
        "draft": draft,
        "plan": plan,
        "reader": reader,
    }


@pytest.fixture
def read(monkeypatch):
    """The hits read and built (not served from the cache): (kind, ids) per call."""
    calls: list[tuple[str, list]] = []
    original = selectors.read_hits

    def spy(kind, pks, query):
        calls.append((kind, sorted(pks)))
        return original(kind, pks, query)

    monkeypatch.setattr(views.search_service, "read_hits", spy)
    return calls


def _get(client: Client, query: str = "Vollsmose") -> tuple[str | None, str]:
    return get_page(client, URL, {"q": query})


def _group(page: str, kind: str) -> str:
    return page.split(f'id="group-{kind}"')[1].split("</section>")[0]


def test_an_items_new_title_renders_that_hit_alone_and_shows_at_once(world, read):
    assert _get(world["reader"])[0] == "miss"
    assert _get(world["reader"])[0] == "hit"
    first_reads = list(read)
    assert {kind for kind, _ids in first_reads} == {"cases", "items", "decisions", "plans"}

    item = AgendaItem.objects.get(pk=world["first"].pk)
    item.title = "Vollsmose status, rettet"
    item.save()
    status, page = _get(world["reader"])

    assert status == "miss"
    # The item and its case's hit (the case page shows its items) are read again.
    assert read[len(first_reads) :] == [("cases", [world["case"].pk]), ("items", [item.pk])]
    assert "Vollsmose status, rettet" in _group(page, "items")
    assert "Vollsmose økonomi" in _group(page, "items")  # from the cache


def test_a_decision_a_case_and_a_plan_render_their_own_hits_afresh(world, read):
    _get(world["reader"])
    decision = Decision.objects.get(pk=world["decision"].pk)
    decision.text = "Vollsmose godkendt med ændringer."
    decision.save()
    page = _get(world["reader"])[1]
    assert read[-2:] == [("items", [world["second"].pk]), ("decisions", [decision.pk])]
    assert "godkendt med ændringer" in _group(page, "decisions")

    case = Case.objects.get(pk=world["case"].pk)
    case.title = "Tryghed og trivsel i Vollsmose"
    case.save()
    page = _get(world["reader"])[1]
    assert ("cases", [case.pk]) in read[-2:]
    assert "Tryghed og trivsel i Vollsmose" in _group(page, "cases")

    plan = Plan.objects.get(pk=world["plan"].pk)
    plan.name = "Helhedsplan Vollsmose Nord"
    plan.save()
    page = _get(world["reader"])[1]
    assert read[-1] == ("plans", [plan.pk])
    assert "Helhedsplan Vollsmose Nord" in _group(page, "plans")


def test_a_hit_kept_for_one_query_is_not_shown_for_another(world):
    _get(world["reader"], "Vollsmose")
    page = _get(world["reader"], "status")[1]
    assert "<mark>status</mark>" in _group(page, "items").lower()
    assert "<mark>vollsmose</mark>" not in _group(page, "items").lower()


def test_closed_and_draft_items_are_found_only_by_their_readers(world):
    member = Client()
    member_user = factories.user(roles.POLITICIAN, "medlem")
    factories.member(member_user, world["tmu"])
    member.force_login(member_user)
    for _ in range(2):  # rendered, then served from the cache
        member_page = _get(member)[1]
        outsider_page = _get(world["reader"])[1]
        assert "Vollsmose grundkøb" in _group(member_page, "items")
        assert "Vollsmose grundkøb" not in outsider_page
        assert "Vollsmose kladde" not in member_page + outsider_page
    item = AgendaItem.objects.get(pk=world["closed"].pk)
    item.title = "Vollsmose grundkøb, ny pris"
    item.save()
    assert "grundkøb" not in _get(world["reader"])[1]
    assert "Vollsmose grundkøb, ny pris" in _get(member)[1]


def test_the_page_is_the_same_with_the_page_cache_off(world):
    cached = [_get(world["reader"]) for _ in range(2)]
    assert [status for status, _page in cached] == ["miss", "hit"]
    with override_settings(PAGE_CACHE_ENABLED=False):
        status, uncached = _get(world["reader"])
    assert status is None
    for _status, page in cached:
        assert TOKEN.sub("", page) == TOKEN.sub("", uncached)


def _rule_of_cases(user, queryset, *, prefix: str, closed: tuple[str, ...]):
    """What cases.selectors lets ``user`` find: the rule ``selectors._findable`` restates."""
    condition = agenda_item_visibility(user, prefix=prefix)
    queryset = queryset if condition is None else queryset.filter(condition)
    for flag in closed:
        queryset = closed_readable_by(
            user, queryset, closed_field=flag, committee_field=f"{prefix}meeting__committee_id"
        )
    return queryset


def test_the_findable_rows_are_those_of_the_cases_rule_for_every_kind_of_reader(world):
    factories.attachment(world["first"], title="Fortroligt bilag", is_closed=True)
    factories.attachment(world["closed"], title="Bilag til lukket punkt")
    factories.attachment(world["draft"], title="Bilag til kladde")
    factories.decision(world["closed"], text="Lukket beslutning.")
    factories.decision(world["draft"], text="Beslutning i kladde.")
    own = factories.administration("BIF")
    ready = factories.item(
        factories.meeting(world["tmu"], day=factories.date(2012, 1, 1), status="draft"),
        title="Kladde fra egen forvaltning",
        recommending_administration=own,
    )
    factories.decision(ready)
    member = factories.user(roles.POLITICIAN, "medlem")
    factories.member(member, world["tmu"])
    caseworker = factories.user(roles.CASEWORKER, "sagsbehandler", scoped=True)
    factories.staff(caseworker, own)
    secretary = factories.secretary_of(
        factories.user(roles.SECRETARY, "sekr", scoped=True), world["tmu"]
    )
    readers = [
        factories.user(roles.POLITICIAN, "politiker"),
        member,
        caseworker,
        secretary,
        factories.user(roles.ADMINISTRATOR, "admin"),
    ]
    kinds = [
        (AgendaItem.objects.filter(meeting__isnull=False), "", ("is_closed",)),
        (Decision.objects.filter(item__meeting__isnull=False), "item__", ("item__is_closed",)),
        (
            Attachment.objects.filter(item__meeting__isnull=False),
            "item__",
            ("is_closed", "item__is_closed"),
        ),
    ]
    differ = set()
    for user in readers:
        for queryset, prefix, closed in kinds:
            found = set(
                selectors._findable(user, queryset, prefix=prefix, closed=closed).values_list(
                    "pk", flat=True
                )
            )
            expected = set(
                _rule_of_cases(user, queryset, prefix=prefix, closed=closed).values_list(
                    "pk", flat=True
                )
            )
            assert found == expected, (user.username, queryset.model.__name__)
            differ.add(frozenset(expected))
    assert len(differ) > 3  # the readers do see different rows
