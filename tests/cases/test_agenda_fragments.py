"""The agenda and the case page keep each agenda item's block as a fragment (core.fragments)
under the item's scope, through HTTP on the real database.

A write to one item makes the page a miss but reads and renders only that item's block
again; every other block comes from the cache. Each thing a block shows (points,
attachments, decision and votes, corrections, the case, the meeting, a linked plan's
name, the committee's name) shows anew on the next GET, closed items stay masked for
readers who may not read them (a block is never shared between readers of different
rights), and with the page cache off the page is the same. Transactional tests: inside a
test transaction nothing is cached.
"""

import re
from datetime import date

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from cases import selectors, services
from cases.models import Correction, DecisionVote, MemberInquiry
from committees.models import Meeting
from core import roles
from core.versioning import version_bump
from tests import factories
from tests.cachedpage import get_page as _get

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED = "Lukket punkt"


@pytest.fixture
def read(monkeypatch):
    """The ids of the items each request read in full (for its fragments), in order."""
    calls = []
    original = selectors.agenda_items_for_page

    def spy(user, ids, **kwargs):
        calls.append(sorted(ids))
        return original(user, ids, **kwargs)

    monkeypatch.setattr(selectors, "agenda_items_for_page", spy)
    return calls


@pytest.fixture
def agenda():
    """A held BIU meeting with three items (the second closed, with a decision on the
    first), a politician who is a member of BIU and one who is not."""
    committee = factories.committee("BIU", name="Beskæftigelsesudvalget")
    meeting = factories.meeting(committee, status=Meeting.Status.HELD)
    first = factories.item(meeting, title="Første punkt", summary="Resumé et")
    second = factories.item(meeting, title="Hemmeligt punkt", is_closed=True)
    third = factories.item(meeting, title="Tredje punkt")
    factories.decision(first, text="Udvalget godkendte.")
    member = factories.user(roles.POLITICIAN, "medlem")
    factories.member(member, committee)
    outsider = factories.user(roles.POLITICIAN, "udenfor")
    clients = {}
    for name, user in (("member", member), ("outsider", outsider)):
        clients[name] = Client()
        clients[name].force_login(user)
    return {
        "committee": committee,
        "meeting": meeting,
        "items": [first, second, third],
        "url": reverse("meetings:meeting_detail", args=[meeting.pk]),
        **clients,
    }


def _block(content: str, item) -> str:
    """The item's block (its <article>) on the page."""
    match = re.search(rf'<article[^>]* id="punkt-{item.pk}".*?</article>', content, re.S)
    assert match, f"no block for item {item.pk}"
    return match.group(0)


def _retitle(item, title: str) -> None:
    """The benchmark's write: the title, in a transaction as a service saves it."""
    with transaction.atomic():
        item.refresh_from_db()
        item.title = title
        version_bump(item)
        item.save(update_fields=["title", "version", "updated_at"])


def _resummarise(item, summary: str) -> None:
    """A write of the item's body (its summary), as the item form makes it."""
    with transaction.atomic():
        item.refresh_from_db()
        item.summary = summary
        version_bump(item)
        item.save()


def test_a_write_to_one_item_renders_only_that_items_block(agenda, read):
    first, second, third = agenda["items"]
    assert _get(agenda["member"], agenda["url"])[0] == "miss"
    assert read == [sorted([first.pk, second.pk, third.pk])]
    assert _get(agenda["member"], agenda["url"])[0] == "hit"

    _resummarise(third, "Et nyt resumé")
    status, content = _get(agenda["member"], agenda["url"])

    assert status == "miss"
    assert read[1:] == [[third.pk]]  # the other blocks came from the cache
    assert "Et nyt resumé" in _block(content, third)
    assert "Første punkt" in _block(content, first)
    assert "Udvalget godkendte." in _block(content, first)
    assert _get(agenda["member"], agenda["url"])[0] == "hit"


def test_a_new_title_prints_the_block_from_the_row_and_the_kept_body(agenda, read):
    # A block is its heading (from the item's row) around its body (item-body:N): a write
    # of the title alone reads no item in full, and the page is what it is without cache.
    first, second, third = agenda["items"]
    case_url = reverse("cases:case_detail", args=[third.case.number])
    _get(agenda["member"], agenda["url"])
    _get(agenda["member"], case_url)
    # (the case page's block of the item was printed around the body the agenda kept)
    assert read == [sorted([first.pk, second.pk, third.pk])]

    _retitle(third, "Tredje punkt, rettet")
    status, content = _get(agenda["member"], agenda["url"])
    case_status, case_content = _get(agenda["member"], case_url)

    assert status == case_status == "miss"
    assert len(read) == 1  # nothing read in full
    assert "Tredje punkt, rettet" in _block(content, third)
    assert "Tredje punkt, rettet" in _block(case_content, third)
    assert content.count("Tredje punkt, rettet") == 2  # the order table and the block
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _strip_tokens(_get(agenda["member"], agenda["url"])[1]) == _strip_tokens(content)
        assert _strip_tokens(_get(agenda["member"], case_url)[1]) == _strip_tokens(case_content)


def test_moving_an_item_renders_its_body_again_with_the_new_meeting(agenda, read):
    # The meeting is one of the body's fields (its decision is headed by the meeting's
    # committee and date): a move reads the item again.
    first = agenda["items"][0]
    case_url = reverse("cases:case_detail", args=[first.case.number])
    _get(agenda["member"], case_url)
    later = factories.meeting(
        agenda["committee"], day=date(2009, 11, 2), status=Meeting.Status.HELD
    )
    with transaction.atomic():
        first.refresh_from_db()
        first.meeting = later
        version_bump(first)
        first.save()
    content = _get(agenda["member"], case_url)[1]
    assert read[1:] == [[first.pk]]
    assert "2. november 2009" in _block(content, first)


def test_the_case_page_renders_only_the_items_a_write_reached(agenda, read):
    first = agenda["items"][0]
    later_meeting = factories.meeting(agenda["committee"], day=date(2009, 9, 1))
    later = factories.item(later_meeting, case_obj=first.case, title="Sagen igen")
    other_case_item = agenda["items"][2]
    url = reverse("cases:case_detail", args=[first.case.number])
    other_url = reverse("cases:case_detail", args=[other_case_item.case.number])
    _get(agenda["member"], url)
    _get(agenda["member"], other_url)
    assert read == [sorted([first.pk, later.pk]), [other_case_item.pk]]

    with transaction.atomic():
        first.decision.text = "Udvalget godkendte med en ændring."
        first.decision.save()
    status, content = _get(agenda["member"], url)

    assert status == "miss"
    assert read[2:] == [[first.pk]]
    assert "Udvalget godkendte med en ændring." in _block(content, first)
    assert "Sagen igen" in _block(content, later)
    assert _get(agenda["member"], other_url)[0] == "hit"  # another case's page


def test_closed_items_are_masked_for_readers_who_may_not_read_them(agenda, read):
    second = agenda["items"][1]
    for reader, masked in (("member", False), ("outsider", True), ("member", False)):
        for _ in range(2):  # rendered, then from the cache
            content = _get(agenda[reader], agenda["url"])[1]
            block = _block(content, second)
            assert ("Hemmeligt punkt" in content) is not masked, reader
            assert ("Hemmeligt punkt" in block) is not masked, reader
            assert CLOSED in block, reader  # the badge, or the title in its place
    # Each kind of reader had the blocks rendered once, the member's kept for the second.
    assert len(read) == 2

    case_url = reverse("cases:case_detail", args=[second.case.number])
    assert "Hemmeligt punkt" in _get(agenda["member"], case_url)[1]
    assert "Hemmeligt punkt" not in _get(agenda["outsider"], case_url)[1]


def test_closing_an_item_masks_its_cached_block(agenda):
    third = agenda["items"][2]
    _get(agenda["outsider"], agenda["url"])
    with transaction.atomic():
        third.refresh_from_db()
        third.is_closed = True
        version_bump(third)
        third.save()
    content = _get(agenda["outsider"], agenda["url"])[1]
    assert "Tredje punkt" not in content
    assert CLOSED in _block(content, third)


def _add_point(item):
    item.recommendation_points.create(position=2, text="at udvalget bevilger pengene.")
    return "at udvalget bevilger pengene."


def _add_attachment(item):
    factories.attachment(item, title="Notat om økonomien")
    return "Notat om økonomien"


def _add_vote(item):
    DecisionVote.objects.create(decision=item.decision, party="Venstrepartiet", votes_for=3)
    return "Venstrepartiet"


def _correct(item):
    Correction.objects.create(
        item=item, field="summary", old_value="Resumé et", new_value="Resumé to", reason="Tastefejl"
    )
    return "Tastefejl"


def _rename_case(item):
    case = item.case
    case.number = "2009-99999"
    case.save()
    return "2009-99999"


def _move_meeting(item):
    meeting = item.meeting
    meeting.starts_at = meeting.starts_at.replace(day=29)
    meeting.save()
    return "29. maj 2009"


def _rename_committee(item):
    committee = item.meeting.committee
    committee.name = "Udvalget for Beskæftigelse"
    committee.save()
    return "Udvalget for Beskæftigelse"


def _link_plan(item):
    factories.plan("Helhedsplan Nordvest").agenda_items.add(item)
    return "Helhedsplan Nordvest"


def _rename_linked_plan(item):
    plan = factories.plan("Helhedsplan Syd")
    item.plans.add(plan)
    plan.name = "Helhedsplan Sydhavnen"
    plan.save()
    return "Helhedsplan Sydhavnen"


def _rename_administration(item):
    administration = item.recommending_administration
    administration.name = "Socialforvaltningen"
    administration.save()
    return "Socialforvaltningen"


WRITES = [
    _add_point,
    _add_attachment,
    _add_vote,
    _correct,
    _rename_case,
    _move_meeting,
    _rename_committee,
    _link_plan,
    _rename_linked_plan,
    _rename_administration,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__.strip("_"))
@pytest.mark.parametrize("page", ["agenda", "case"])
def test_everything_a_block_shows_shows_anew_after_a_write(agenda, write, page):
    first = agenda["items"][0]
    url = agenda["url"] if page == "agenda" else None
    url = url or reverse("cases:case_detail", args=[first.case.number])
    _get(agenda["member"], url)
    assert _get(agenda["member"], url)[0] == "hit"

    with transaction.atomic():  # as a service writes: only the scopes it reached are raised
        shown = write(first)
    if page == "case" and write is _rename_case:
        url = reverse("cases:case_detail", args=[shown])
    content = _get(agenda["member"], url)[1]

    assert shown in _block(content, first)


def _strip_tokens(content: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content)


@pytest.mark.parametrize("reader", ["member", "outsider"])
def test_the_pages_are_the_same_with_the_page_cache_off(agenda, reader):
    first = agenda["items"][0]
    urls = [agenda["url"], reverse("cases:case_detail", args=[first.case.number])]
    _get(agenda[reader], urls[0])
    _retitle(agenda["items"][2], "Tredje punkt, rettet")
    cached = [_strip_tokens(_get(agenda[reader], url)[1]) for url in urls]
    with override_settings(PAGE_CACHE_ENABLED=False):
        fresh = [_strip_tokens(_get(agenda[reader], url)[1]) for url in urls]
    assert cached == fresh


def test_a_secretary_sees_the_actions_and_the_politician_does_not(agenda):
    secretary = Client()
    secretary.force_login(factories.user(roles.SECRETARY, "sekr"))
    record = reverse("cases:decision_record", args=[agenda["items"][2].pk])
    for _ in range(2):
        assert record in _get(secretary, agenda["url"])[1]
        assert record not in _get(agenda["member"], agenda["url"])[1]


def test_pending_changes_of_a_published_agenda_show_with_the_new_block(agenda, read):
    meeting = agenda["meeting"]
    meeting.status = Meeting.Status.DRAFT
    meeting.save()
    services.meeting_publish(meeting=meeting, user=factories.user(roles.SECRETARY, "sekr"))
    reader = agenda["member"]
    assert "Tredje punkt" in _get(reader, agenda["url"])[1]

    _retitle(agenda["items"][2], "Tredje punkt, rettet")
    content = _get(reader, agenda["url"])[1]

    assert "Punkt 3 ændret: titel" in content
    assert "Tredje punkt, rettet" in _block(content, agenda["items"][2])


def test_the_inquiries_of_a_meeting_show_the_case_and_the_items_answering_it(agenda):
    meeting = agenda["meeting"]
    case = factories.case(title="Forespørgsel om ledighed")
    MemberInquiry.objects.create(
        meeting=meeting, member=factories.person("Anna Andersen"), text="Hvorfor?", case=case
    )
    _get(agenda["member"], agenda["url"])

    with transaction.atomic():
        case.title = "Forespørgsel om ledigheden i Nordvest"
        case.save()
    assert "Forespørgsel om ledigheden i Nordvest" in _get(agenda["member"], agenda["url"])[1]

    with transaction.atomic():
        later = factories.meeting(agenda["committee"], day=date(2009, 9, 1))
        answer = factories.item(later, case_obj=case, title="Svar på forespørgslen")
    content = _get(agenda["member"], agenda["url"])[1]
    assert reverse("cases:item_detail", args=[answer.pk]) in content

    with transaction.atomic():
        later.starts_at = later.starts_at.replace(day=2)
        later.save()
    assert "2. september 2009" in _get(agenda["member"], agenda["url"])[1]


def test_the_case_page_shows_the_meeting_its_inquiry_arose_at(agenda):
    meeting = agenda["meeting"]
    case = factories.case(title="Forespørgsel om ledighed")
    MemberInquiry.objects.create(
        meeting=meeting, member=factories.person("Anna Andersen"), text="Hvorfor?", case=case
    )
    url = reverse("cases:case_detail", args=[case.number])
    assert "28. maj 2009" in _get(agenda["member"], url)[1]

    with transaction.atomic():
        meeting.starts_at = meeting.starts_at.replace(day=27)
        meeting.save()
    assert "27. maj 2009" in _get(agenda["member"], url)[1]


def test_the_actions_follow_the_meetings_status(agenda):
    secretary = Client()
    secretary.force_login(factories.user(roles.SECRETARY, "sekr"))
    record = reverse("cases:decision_record", args=[agenda["items"][2].pk])
    approve = reverse("meetings:meeting_minutes_approve", args=[agenda["meeting"].pk])
    content = _get(secretary, agenda["url"])[1]
    assert record in content and approve in content

    with transaction.atomic():
        meeting = Meeting.objects.get(pk=agenda["meeting"].pk)
        meeting.status = Meeting.Status.PUBLISHED
        meeting.save()
    content = _get(secretary, agenda["url"])[1]
    assert record not in content and approve not in content
    assert reverse("meetings:meeting_mark_held", args=[meeting.pk]) in content


@pytest.mark.parametrize("reader", ["member", "outsider"])
def test_blocks_read_afresh_show_every_point_attachment_and_vote_in_order(agenda, reader, read):
    """The blocks read afresh (the points, attachments and votes of all the items read in
    one query) show each item's own children, in their order, closed attachments left out
    for readers who may not read them, as with the page cache off."""
    first, _second, third = agenda["items"]
    for item, texts in ((first, ("at B.", "at A.")), (third, ("at C.",))):
        item.recommendation_points.all().delete()
        for position, text in reversed(list(enumerate(texts, start=1))):
            item.recommendation_points.create(position=position, text=text)
    factories.attachment(first, title="Bilag et")
    factories.attachment(first, title="Fortroligt bilag", is_closed=True)
    factories.attachment(third, title="Bilag tre")
    for party in ("Ø-partiet", "A-partiet"):
        DecisionVote.objects.create(decision=first.decision, party=party, votes_for=2)
    factories.decision(third, text="Udsat.")
    DecisionVote.objects.create(decision=third.decision, party="C-partiet", votes_against=4)
    urls = [agenda["url"], reverse("cases:case_detail", args=[first.case.number])]
    _get(agenda[reader], urls[0])
    _resummarise(first, "Første resumé, rettet")
    _resummarise(third, "Tredje resumé, rettet")

    cached = [_strip_tokens(_get(agenda[reader], url)[1]) for url in urls]

    assert sorted(read[1]) == sorted([first.pk, third.pk])  # both read in one go
    for content in cached:  # the agenda, then the case page of the first item alone
        block = _block(content, first)
        assert block.index("at B.") < block.index("at A.")
        assert block.index("Bilag et") < block.index("A-partiet") < block.index("Ø-partiet")
        assert "Bilag tre" not in block and "C-partiet" not in block
        assert ("Fortroligt bilag" in block) == (reader == "member")
    block = _block(cached[0], third)
    assert "at C." in block and "Bilag tre" in block and "C-partiet" in block
    assert "at A." not in block and "Bilag et" not in block and "A-partiet" not in block
    with override_settings(PAGE_CACHE_ENABLED=False):
        fresh = [_strip_tokens(_get(agenda[reader], url)[1]) for url in urls]
    assert cached == fresh


def _as_read(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


@pytest.mark.parametrize("on_the_agenda", [True, False])
def test_items_read_for_blocks_are_as_the_orm_reads_them(agenda, on_the_agenda):
    """The items read for the blocks (one query written out) hold the same values, of the
    same types, as the ORM's ``select_related`` reads, relations included, and none
    missing: a decision, a decided-by committee and a meeting, or none."""
    first, _second, third = agenda["items"]
    first.decided_by = agenda["committee"]
    first.save()
    draft = factories.item(None, title="Kladde")
    factories.plan("Helhedsplan Vest").agenda_items.add(first)
    Correction.objects.create(
        item=third, field="summary", old_value="a", new_value="b", reason="Tastefejl"
    )
    ids = [first.pk, third.pk] if on_the_agenda else [first.pk, third.pk, draft.pk]
    meeting = agenda["meeting"] if on_the_agenda else None
    read = selectors.agenda_items_for_page(
        factories.user(roles.ADMINISTRATOR, "adm"), ids, meeting=meeting
    )

    expected = selectors.AgendaItem.objects.select_related(*selectors.ITEM_PAGE_RELATED).in_bulk(
        ids
    )
    assert sorted(read) == sorted(ids)
    for pk, item in read.items():
        orm = expected[pk]
        assert _as_read(item) == _as_read(orm)
        if on_the_agenda:
            assert item.meeting is meeting  # the caller's, as read for the page
        for name in ("case", "recommending_administration", "decided_by", "meeting")[
            : 3 if on_the_agenda else 4
        ]:
            got, want = getattr(item, name), getattr(orm, name)
            assert (got is None) == (want is None), name
            if want is not None:
                assert _as_read(got) == _as_read(want), name
                assert {type(value) for value in _as_read(got).values()} == {
                    type(value) for value in _as_read(want).values()
                }, name
        if orm.meeting is not None:
            assert _as_read(item.meeting.committee) == _as_read(orm.meeting.committee)
        assert selectors._has_decision(item) == selectors._has_decision(orm)
        if selectors._has_decision(orm):
            assert _as_read(item.decision) == _as_read(orm.decision)
            assert item.decision.item is item
        assert item.has_plans == (pk == first.pk)
        assert item.has_corrections == (pk == third.pk)
        assert [_as_read(plan) for plan in item.plans.all()] == [
            _as_read(plan) for plan in orm.plans.all()
        ]


def _order_row(content: str, item) -> str:
    """The item's row in the agenda's order table."""
    match = re.search(
        rf'<tr[^>]*>\s*<td class="num">[^<]*</td>\s*<th scope="row">'
        rf'<a href="#punkt-{item.pk}".*?</tr>',
        content,
        re.S,
    )
    assert match, f"no order row for item {item.pk}"
    return match.group(0)


@pytest.mark.parametrize("reader", ["member", "outsider"])
def test_the_order_tables_rows_show_anew_after_a_write_and_stay_masked(agenda, reader):
    """Each item's cells in the order table are a fragment under its scope: a new title
    or decision shows on the next GET, a closed item's title never to an outsider, and the
    table is the same with the page cache off."""
    first, second, third = agenda["items"]
    _get(agenda[reader], agenda["url"])
    assert _get(agenda[reader], agenda["url"])[0] == "hit"

    _retitle(third, "Tredje punkt, rettet")
    with transaction.atomic():
        decision = first.decision
        decision.outcome = decision.Outcome.POSTPONED
        decision.save()
    content = _get(agenda[reader], agenda["url"])[1]

    assert "Tredje punkt, rettet" in _order_row(content, third)
    assert "Udsat" in _order_row(content, first) or "Postponed" in _order_row(content, first)
    closed_row = _order_row(content, second)
    assert ("Hemmeligt punkt" in closed_row) == (reader == "member")
    assert "closed-row" in closed_row
    with override_settings(PAGE_CACHE_ENABLED=False):
        fresh = _get(agenda[reader], agenda["url"])[1]
    assert _strip_tokens(content) == _strip_tokens(fresh)


def test_the_case_heading_is_kept_apart_from_its_items(agenda, monkeypatch):
    # The case's heading (case-facts:<number>) is read again when the case changes, not
    # when one of its items does; a case that is gone is a 404 with the cache on.
    reads = []
    original = selectors.case_get

    def spy(**kwargs):
        reads.append(kwargs["number"])
        return original(**kwargs)

    monkeypatch.setattr(selectors, "case_get", spy)
    first = agenda["items"][0]
    url = reverse("cases:case_detail", args=[first.case.number])
    _get(agenda["member"], url)
    _resummarise(first, "Et andet resumé")
    status, content = _get(agenda["member"], url)
    assert status == "miss" and "Et andet resumé" in content and len(reads) == 1

    with transaction.atomic():
        case = first.case
        case.description = "Sagen handler om ledighed i området."
        case.save()
    status, content = _get(agenda["member"], url)
    assert status == "miss" and "Sagen handler om ledighed i området." in content
    assert len(reads) == 2
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert _strip_tokens(_get(agenda["member"], url)[1]) == _strip_tokens(content)

    assert (
        agenda["member"].get(reverse("cases:case_detail", args=["2009-00000"])).status_code == 404
    )
