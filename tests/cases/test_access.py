"""Every new page, for every role: who may open it (GET) and who may use it (POST).

The wrong role gets 403 from the server, whatever the page shows or hides."""

from datetime import date

import pytest
from django.urls import reverse

from committees.models import Membership
from core import roles
from tests import factories

pytestmark = pytest.mark.django_db

SECRETARY, ADMIN = roles.SECRETARY, roles.ADMINISTRATOR
CASEWORKER, POLITICIAN = roles.CASEWORKER, roles.POLITICIAN
EVERYBODY = {SECRETARY, ADMIN, CASEWORKER, POLITICIAN}
STAFF = {SECRETARY, ADMIN}

# (url name, which object, roles allowed to GET, roles allowed to POST; None = not a form)
# A secretary never sees a caseworker's draft, so for them it does not exist (404).
NOT_FOUND = {("cases:item_mark_ready", SECRETARY)}
MATRIX = [
    ("committees:committee_list", None, EVERYBODY, None),
    ("committees:committee_detail", "committee", EVERYBODY, None),
    ("meetings:meeting_list", None, EVERYBODY, None),
    ("meetings:meeting_detail", "meeting", EVERYBODY, None),
    ("meetings:meeting_create", None, STAFF, STAFF),
    ("meetings:meeting_plan", None, STAFF, STAFF),
    ("meetings:meeting_history", "meeting", STAFF, None),
    ("meetings:meeting_edit", "meeting", STAFF, STAFF),
    ("meetings:meeting_publish", "meeting", set(), STAFF),
    ("meetings:meeting_mark_held", "meeting", set(), STAFF),
    ("meetings:meeting_minutes_approve", "meeting", set(), STAFF),
    ("meetings:meeting_group_closed_last", "meeting", set(), STAFF),
    ("meetings:meeting_absences", "meeting", STAFF, STAFF),
    ("meetings:inquiry_create", "meeting", STAFF, STAFF),
    ("cases:item_create", None, STAFF | {CASEWORKER}, STAFF | {CASEWORKER}),
    ("cases:ready_items", None, STAFF, None),
    ("cases:my_items", None, {CASEWORKER}, None),
    ("cases:item_detail", "item", EVERYBODY, None),
    ("cases:item_edit", "item", STAFF, STAFF),
    ("cases:item_mark_ready", "draft", set(), {CASEWORKER, ADMIN}),
    ("cases:item_schedule", "ready", STAFF, STAFF),
    ("cases:item_return", "ready", STAFF, STAFF),
    ("cases:item_unschedule", "item", set(), STAFF),
    ("cases:item_move", "item", set(), STAFF),
    ("cases:attachment_create", "item", STAFF, STAFF),
    ("cases:decision_record", "held_item", STAFF, STAFF),
    ("cases:item_correct", "item", STAFF, STAFF),
    ("cases:decision_correct", "decided", STAFF, STAFF),
    ("cases:decision_history", "decided", STAFF, None),
    ("cases:item_send_on", "decided", STAFF, STAFF),
    ("agenda_item_plans", "item", STAFF, STAFF),
    ("cases:case_history", "case", EVERYBODY, None),
    # committees, people and memberships (issue 17 B)
    ("committees:committee_history", "committee", EVERYBODY, None),
    ("committees:committee_create", None, {ADMIN}, {ADMIN}),
    ("committees:committee_edit", "committee", STAFF, STAFF),
    ("committees:committee_end", "committee", {ADMIN}, {ADMIN}),
    ("committees:membership_create", "committee", STAFF, STAFF),
    ("committees:membership_edit", "membership", STAFF, STAFF),
    ("committees:membership_end", "membership", STAFF, STAFF),
    ("committees:person_list", None, EVERYBODY, None),
    ("committees:person_history", "person", EVERYBODY, None),
    ("committees:person_create", None, {ADMIN}, {ADMIN}),
    ("committees:person_edit", "person", {ADMIN}, {ADMIN}),
    # administrations (issue 17): read by every role, maintained by administrators; the
    # objects' administration is referred to, so its removal page says why it stays
    ("committees:administration_list", None, EVERYBODY, None),
    ("committees:administration_history", "administration", EVERYBODY, None),
    ("committees:administration_create", None, {ADMIN}, {ADMIN}),
    ("committees:administration_edit", "administration", {ADMIN}, {ADMIN}),
    ("committees:administration_remove", "administration", {ADMIN}, {ADMIN}),
]


@pytest.fixture
def objects(db):
    admin = factories.administration("BIF")
    committee = factories.committee("BIU", slug="biu")
    meeting = factories.meeting(committee)
    item = factories.item(meeting, recommending_administration=admin)
    decided = factories.item(meeting, recommending_administration=admin)
    factories.decision(decided)
    held = factories.meeting(committee, status="held", hour=9)
    seat = Membership.objects.create(
        person=factories.person("Medlem", party="Venstre (V)"),
        committee=committee,
        start_date=date(2006, 1, 1),
    )
    return {
        "membership": seat.pk,
        "person": seat.person_id,
        "held_item": factories.item(held, recommending_administration=admin).pk,
        "committee": committee.slug,
        "committee_obj": committee,
        "meeting": meeting.pk,
        "item": item.pk,
        "decided": decided.pk,
        "draft": factories.item(None, recommending_administration=admin).pk,
        "ready": factories.item(None, status="ready", recommending_administration=admin).pk,
        "case": item.case.number,
        "admin": admin,
        "administration": admin.pk,
    }


@pytest.fixture
def as_role(client, objects):
    def login(role):
        user = factories.user(role, factories.ROLE_USERNAMES[role])
        if role == CASEWORKER:
            factories.staff(user, objects["admin"])
        if role == SECRETARY:  # the secretary of the objects' committee
            factories.secretary_of(user, objects["committee_obj"])
        client.force_login(user)
        return client

    return login


def url_for(name, target, objects):
    return reverse(name, args=[objects[target]] if target else [])


@pytest.mark.parametrize("role", sorted(EVERYBODY))
@pytest.mark.parametrize(("name", "target", "get_roles", "post_roles"), MATRIX)
def test_role_access(as_role, objects, role, name, target, get_roles, post_roles):
    client = as_role(role)
    url = url_for(name, target, objects)
    response = client.get(url)
    if get_roles:
        expected = 200 if role in get_roles else 403
        assert response.status_code == expected, f"GET {name} as {role}"
    else:
        assert response.status_code == 405, f"GET {name} should be POST-only"
    if post_roles is not None:
        response = client.post(url, {})
        if (name, role) in NOT_FOUND:
            assert response.status_code == 404
        elif role in post_roles:
            # allowed: done (302), asked again (200) or the empty form refused (400)
            assert response.status_code in (200, 302, 400), f"POST {name} as {role}"
        else:
            assert response.status_code == 403, f"POST {name} as {role}: {response.status_code}"


def test_every_new_route_is_in_the_matrix():
    from tests.urlwalk import all_routes

    covered = {name for name, *_ in MATRIX}
    mine = {
        name
        for name, _ in all_routes()
        if name.startswith(("committees:", "meetings:"))
        or name == "agenda_item_plans"
        or (
            name.startswith("cases:")
            and name not in {"cases:case_list", "cases:case_detail", "cases:attachment_download"}
        )
    }
    assert mine == covered
