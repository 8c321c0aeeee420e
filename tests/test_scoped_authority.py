"""Every write route refuses a user outside the object's committee or administration, and
nothing is written, even when the user posts the very form an administrator would send.

The routes and the expected refusals come from the permission matrix
(``tests/test_permission_matrix.py``): for the two roles that matter here, a secretary of
another committee and a caseworker of another administration, every write route whose
matrix entry is a refusal (403 or 404) is posted with a realistic payload: the fields of
the form the administrator gets on the same page, with their values filled in. A refusal
must change no row in any table of the product (history tables included, so an update
that leaves the row count alone still shows).
"""

from html.parser import HTMLParser

from django.apps import apps

from committees.models import CalendarFeed
from tests import test_permission_matrix as matrix
from tests.test_permission_matrix import EXPECTED, ROLES, path_for

world = matrix.world  # the matrix's demo world, as a fixture here too

OUTSIDERS = ("secretary_other", "caseworker_other")
REFUSED = {"403", "404"}


class FirstPostForm(HTMLParser):
    """The fields of the first POST form of the page's own (not sign-out or language)."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.done = {}, False, False
        self.select = self.textarea = None
        self.select_first = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            # Not the header's sign-out form or the footer's language form.
            if not any(other in (a.get("action") or "") for other in ("/log-ud/", "/sprog/")):
                self.in_form = True
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.data[name] = a.get("value") or ("1" if kind == "number" else "x")
        elif tag == "select" and name:
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if value and self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.data[self.select] = value
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""
        elif tag == "button" and name:
            self.data.setdefault(name, a.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            if self.select not in self.data and self.select_first is not None:
                self.data[self.select] = self.select_first
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data[self.textarea] = self.data[self.textarea].strip() or "Tekst"
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def payload_from(html: str) -> dict:
    parser = FirstPostForm()
    parser.feed(html)
    return parser.data


def database_state() -> dict:
    """Row counts of every table of the product, and the case-number counters."""
    state = {}
    for app_label in ("cases", "committees", "helhedsplaner", "core"):
        for model in apps.get_app_config(app_label).get_models():
            state[model._meta.label] = model._default_manager.count()
    sequence = apps.get_model("cases", "CaseNumberSequence")
    state["case numbers"] = sorted(sequence.objects.values_list("year", "last_value"))
    return state


def write_routes():
    return [key for key, (_get, post) in EXPECTED.items() if post is not None]


def test_every_write_route_refuses_outsiders_and_writes_nothing(client, world):
    users, objects = world
    admin = users["admin"]
    tried = refused = 0
    wrong = []
    for key in write_routes():
        post_codes = EXPECTED[key][1].split()
        for role in OUTSIDERS:
            if post_codes[ROLES.index(role)] not in REFUSED:
                continue  # this role may use the route (creating in its own committee, say)
            token = CalendarFeed.objects.get_or_create(user=users[role])[0].token
            path = path_for(key, objects, token)
            client.force_login(admin)
            page = client.get(path)
            form_page = page.status_code == 200 and page["Content-Type"].startswith("text/html")
            payload = payload_from(page.content.decode()) if form_page else {}  # not a PDF
            if key == "cases:item_move":
                payload["direction"] = "up"
            client.force_login(users[role])
            before = database_state()
            response = client.post(path, payload)
            tried += 1
            if str(response.status_code) in REFUSED and database_state() == before:
                refused += 1
            else:
                wrong.append(f"{role} POST {key} {path}: {response.status_code}")
    print(f"\nscoped authority: {tried} write route × outsider pairs tried, {refused} refused")
    assert tried >= 40
    assert wrong == []


def test_the_admin_payload_is_a_real_form(client, world):
    """The payloads above are real: posted by the administrator, they are accepted."""
    users, objects = world
    from django.urls import reverse

    from committees.models import Meeting

    client.force_login(users["admin"])
    meeting = Meeting.objects.filter(status=Meeting.Status.DRAFT).first()
    path = reverse("meetings:meeting_edit", args=[meeting.pk])
    payload = payload_from(client.get(path).content.decode())
    assert {"day", "start", "location", "version"} <= set(payload)
    response = client.post(path, {**payload, "location": "Rådhuset, udvalgsværelse 2"})
    assert response.status_code == 302


def _text_of(response) -> str:
    """What a reader gets: the page's HTML, a PDF's text, a feed's lines."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/pdf"):
        import io

        from pypdf import PdfReader

        try:
            pages = PdfReader(io.BytesIO(content)).pages
            return "\n".join(page.extract_text() or "" for page in pages)
        except Exception:  # noqa: BLE001 - an attachment that is not a whole PDF: its bytes
            pass
    return content.decode("utf-8", errors="replace")


def test_no_page_pdf_feed_or_search_shows_a_closed_item_to_another_committees_secretary(
    client, world
):
    """The closed item (TMU) and its closed attachment, through every page of the matrix and
    every page about the closed item's own case, meeting and commitments."""
    from django.urls import reverse

    from cases.models import AgendaItem
    from helhedsplaner.models import CoFinancing

    users, objects = world
    closed = AgendaItem.objects.select_related("case", "meeting").get(pk=objects["item#closed"])
    assert closed.is_closed and closed.meeting.committee.short_name == "TMU"
    markers = [closed.title, "Fortrolig vurdering"]
    markers += [text[:60] for text in (closed.problem, closed.solution) if len(text) > 20]
    if hasattr(closed, "decision"):
        markers.append(closed.decision.text[:60])
    reader = users["secretary_other"]
    token = CalendarFeed.objects.get_or_create(user=reader)[0].token
    paths = {path_for(key, objects, token) for key in EXPECTED}
    paths |= {
        path_for(key, {**objects, "item": closed.pk, "meeting": closed.meeting_id}, token)
        for key in EXPECTED
        if key.startswith(("pdf:", "meetings:meeting_detail", "cases:item_detail"))
    }
    paths |= {
        reverse("cases:case_detail", args=[closed.case.number]),
        reverse("cases:case_history", args=[closed.case.number]),
        reverse("cofinancing:item_commitments", args=[closed.pk]),
        reverse("search") + "?q=" + closed.title.split()[0],
        reverse("calendar_committee", args=[token, "tmu"]),
    }
    for commitment in CoFinancing.objects.filter(granted_by_item=closed):
        paths.add(reverse("cofinancing:commitment_detail", args=[commitment.pk]))
    client.force_login(reader)
    leaks, read = [], 0
    for path in sorted(paths):
        response = client.get(path)
        if response.status_code != 200:
            continue
        read += 1
        text = _text_of(response)
        leaks += [f"{path}: {marker!r}" for marker in markers if marker and marker in text]
    assert read >= 50
    assert leaks == []
