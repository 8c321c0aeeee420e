"""Property-based tests: generated input posted to every form never gives a 500 and
never leaves a partial save behind.

For each form the test reads the real form page, finds its fields (inputs,
selects, textareas, formset management fields) and posts generated values:
text with Danish letters and control characters, numbers of every size and
sign, dates real and impossible, valid and invalid choices. The answer must be
a form error (200/400/409) or success (302); if it is not a success, no row of
the form's models may have changed.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import AgendaItem, Case, MemberInquiry, RecommendationPoint
from committees.models import FollowUpGroup, FollowUpGroupMeeting, Meeting
from helhedsplaner.models import CoFinancing, Estate, IndicatorValue, Plan

pytestmark = pytest.mark.django_db

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class FormFields(HTMLParser):
    """Field names of the first POST form with fields, with the choices of selects."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.fixed: dict[str, str] = {}
        self._select = None
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            # Only the first POST form with fields (not the footer's language switcher).
            post = (a.get("method") or "").lower() == "post"
            self._in_post_form = post and not self.fields
        if not self._in_post_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if name == "csrfmiddlewaretoken" or kind in ("submit", "file", "button"):
                return
            if kind == "hidden" or name.endswith(
                ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
            ):
                self.fixed[name] = a.get("value", "")
                return
            self.fields.setdefault(name, [])
            if kind in ("checkbox", "radio"):
                self.fields[name].append(a.get("value", "on"))
        elif tag in ("textarea",) and name:
            self.fields.setdefault(name, [])
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            self.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_post_form = False


def form_fields(client, url):
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.fields, parser.fixed


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120)
numbers = st.one_of(
    st.integers(-(10**15), 10**15).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1.250.000", "14,5", "-0", "1e309", "0", "75%", " "]),
)
HOSTILE = ["0001-01-01", "9999-12-31", "01-01-0001", "31.12.9999", "1", "9999", "a\x00b", "\x00"]
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2009-02-30", "28. maj 2009", "31/12/2020", "0000-00-00", "2009-13-01"]),
    st.sampled_from(HOSTILE),
)


def value_for(choices):
    pool = [texts, numbers, dates, st.just("")]
    if choices:
        pool.insert(0, st.sampled_from(choices))
        pool.insert(0, st.sampled_from(choices))  # valid choices twice as likely
    return st.one_of(*pool)


def snapshot(models):
    return {model.__name__: model.objects.count() for model in models}


def explicit_cases(fields):
    """Every free field set to one hostile value (NUL, year 1, year 9999), choices valid."""
    for value in HOSTILE:
        yield {
            name: next((c for c in choices if c), value) if choices else value
            for name, choices in fields.items()
        }
    for name in fields:  # and each field alone, the others valid-looking
        yield {other: (c[-1] if c else "2020-01-01") for other, c in fields.items()} | {
            name: "a\x00b"
        }


def post_and_check(client, url, models, data):
    before = snapshot(models)
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400, 409), (response.status_code, data)
    if response.status_code != 302:
        assert snapshot(models) == before, "a refused form changed the database"
    return response


def fuzz_form(client, url, models):
    fields, fixed = form_fields(client, url)
    assert fields, f"no fields found on {url}"
    for data in explicit_cases(fields):
        response = post_and_check(client, url, models, {**fixed, **data})
        assert response.status_code != 302 or not any("\x00" in str(v) for v in data.values()), (
            f"{url} accepted a NUL byte: {data}"
        )
    strategy = st.fixed_dictionaries({name: value_for(choices) for name, choices in fields.items()})

    @FUZZ
    @given(data=strategy)
    def run(data):
        post_and_check(client, url, models, {**fixed, **data})

    run()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_plan_form(client, demo):
    login(client, "sagsbehandler")
    fuzz_form(client, reverse("helhedsplaner:plan_create"), [Plan, Estate])


def test_plan_edit_form(client, demo):
    login(client, "sagsbehandler-tmf")  # the lead administration's caseworker
    plan = Plan.objects.get(name="Helhedsplan Tingbjerg 2019")
    fuzz_form(client, reverse("helhedsplaner:plan_edit", args=[plan.pk]), [Plan, Estate])


def test_indicator_form(client, demo):
    login(client, "sagsbehandler")
    fuzz_form(client, reverse("helhedsplaner:indicator_register"), [IndicatorValue])


def test_commitment_form(client, demo):
    login(client, "sagsbehandler")
    fuzz_form(client, reverse("cofinancing:commitment_create"), [CoFinancing])


def test_meeting_form(client, demo):
    login(client, "sekretaer")
    fuzz_form(client, reverse("meetings:meeting_create"), [Meeting])


def test_agenda_item_form(client, demo):
    login(client, "sekretaer")
    fuzz_form(client, reverse("cases:item_create"), [AgendaItem, Case, RecommendationPoint])


def test_member_inquiry_form(client, demo):
    login(client, "sekretaer")
    meeting = Meeting.objects.filter(
        committee__short_name="BIU", status=Meeting.Status.PUBLISHED
    ).first()
    fuzz_form(client, reverse("meetings:inquiry_create", args=[meeting.pk]), [MemberInquiry, Case])


def test_follow_up_meeting_form(client, demo):
    login(client, "sekretaer")
    group = FollowUpGroup.objects.first()
    fuzz_form(client, reverse("followup:meeting_create", args=[group.pk]), [FollowUpGroupMeeting])


@FUZZ
@given(query=texts, year=st.one_of(numbers, st.just("")))
def test_search_never_fails(client, politician, query, year):
    client.force_login(politician)
    response = client.get(reverse("search"), {"q": query, "aar": year})
    # A NUL byte in the query string is refused by core.middleware.RefuseNulBytesMiddleware.
    assert response.status_code == (400 if "\x00" in query + year else 200)


@FUZZ
@given(username=texts, password=texts)
def test_login_form_never_fails(client, db, username, password):
    from axes.models import AccessAttempt
    from django.core.cache import cache

    cache.clear()
    AccessAttempt.objects.all().delete()  # every example starts below the lockout
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert re.search(r"role=\"alert\"", response.content.decode())
