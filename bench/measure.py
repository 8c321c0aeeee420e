"""One database's measurements, run by ``bench/run.py`` in a process of its own.

    DATABASE_URL=postgres://…/helhedsplaner_perf python bench/measure.py --timing --out x.json

Picks comparable pages (the same kind of plan, meeting, case and committee at every
scale), counts the queries of every main page, and with ``--timing`` times the main
pages beside their bare views (``--pages`` limits which), measures the history overhead
of a save and makes a session cookie for the load test. Writes JSON.

"Rendered afresh" always follows a real write that the page shows (:class:`Writes`),
never an emptied cache: the page cache, the dashboard's figures and the reader key are
all out of date after it, as they are for the first reader after somebody saves.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

import random  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cases.models import AgendaItem  # noqa: E402
from committees.rules import administrations_writable  # noqa: E402
from core.versioning import version_bump  # noqa: E402
from demo.loadgen import main_pages, sample_objects  # noqa: E402
from helhedsplaner.cofinancing.services import commitment_update  # noqa: E402
from helhedsplaner.models import CoFinancing, Estate, Plan  # noqa: E402
from helhedsplaner.plans.services import plan_update  # noqa: E402

BENCH_USER = os.environ.get("BENCH_USER", "politiker")
SEARCH_QUERY = os.environ.get("BENCH_SEARCH", "Vollsmose beskæftigelse")
# (key, label, timed against a bare view)
TIMED = {
    "plan_list": "Plan list /planer/",
    "plan_status": "Plan status page /planer/<pk>/status/",
    "meeting_detail": "Meeting agenda /moeder/<pk>/",
    "case_detail": "Case page /sager/<number>/",
    "home": "Dashboard /",
    "search": "Search /soeg/?q=…",
    # The same pages after a write of money they show (the one above is a note).
    "plan_status_money": "Plan status page, after a budget",
    "home_money": "Dashboard /, after a budget",
}
# Timed keys that measure another key's page after another write.
SAME_PAGE = {"plan_status_money": "plan_status", "home_money": "home"}


BARE = {
    "home": "/_bench/forside/",
    "plan_list": "/_bench/planer/",
    "plan_detail": "/_bench/planer/{plan}/",
    "plan_status": "/_bench/planer/{plan}/",
    "meeting_detail": "/_bench/moeder/{meeting}/",
    "case_detail": "/_bench/sager/{case}/",
    "search": "/_bench/soeg/?q={search}",
}


def pages(objects: dict) -> dict[str, tuple[str, str | None]]:
    """Every main page: key -> (product URL, bare URL or None)."""
    product = main_pages(objects, SEARCH_QUERY)
    return {
        key: (url, BARE[key].format(search=SEARCH_QUERY, **objects) if key in BARE else None)
        for key, url in product.items()
    }


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


# -- the writes before "rendered afresh" ------------------------------------------------------

MARK = " (rettet)"
# Which write each page shows (Writes.<name>); pages not listed show the plan.
WRITE_FOR = {
    "home": "commitment",
    "plan_status": "commitment",
    "plan_cofinancing": "commitment",
    "commitment_list": "commitment",
    "overview_administrations": "commitment",
    "overview_plans": "commitment",
    "overview_years": "commitment",
    "overview_pools": "commitment",
    "pool_detail": "commitment",
    "meeting_list": "meeting_item",
    "meeting_detail": "meeting_item",
    "item_detail": "meeting_item",
    "committee_list": "meeting_item",
    "committee_detail": "meeting_item",
    "case_list": "case_item",
    "case_detail": "case_item",
    "case_history": "case_item",
    "search": "search_item",
    "plan_status_money": "plan",
    "home_money": "plan",
}


class Writes:
    """Real writes that the measured pages show, as a user's save makes them.

    Each goes through the service a form uses (``plan_update``, ``commitment_update``)
    or, for agenda items of meetings already held (no form edits those), through
    ``version_bump`` and ``save()``: signals fire, history rows are written and the page
    cache's write watcher bumps the generation after the commit. Every write toggles one
    value between its original and a changed one (a plan's budget by 1 kr., a
    commitment's note, an item's title), so the data stay as they were;
    :meth:`restore` puts back what is still changed (the budget only goes up, see :meth:`plan`).
    """

    def __init__(self, objects: dict, search: str):
        self.plan_pk = objects["plan"]
        self.commitment_pk = (
            CoFinancing.objects.filter(plan_id=self.plan_pk)
            .exclude(status=CoFinancing.Status.WITHDRAWN)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        # The item is on the meeting measured, and not closed (objects["item"]).
        self.meeting_item_pk = objects["item"]
        self.case_item_pk = (
            AgendaItem.objects.filter(case__number=objects["case"])
            .order_by("meeting__starts_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        with connection.cursor() as cursor:  # the best-ranked open item the search shows
            cursor.execute(
                "SELECT t.id FROM cases_agendaitem t, websearch_to_tsquery('danish', %s) q "
                "WHERE t.search_da @@ q AND NOT t.is_closed AND t.meeting_id IS NOT NULL "
                "ORDER BY ts_rank(t.search_da, q) DESC, t.id LIMIT 1",
                [search],
            )
            row = cursor.fetchone()
        self.search_item_pk = row[0] if row else self.meeting_item_pk
        self.changed: dict[str, bool] = {}
        self.budget_raised = 0
        self.count = 0

    def for_page(self, key: str) -> None:
        getattr(self, WRITE_FOR.get(key, "plan"))()

    def _toggle(self, name: str) -> bool:
        """True when this write changes the value, False when it puts it back."""
        change = not self.changed.get(name, False)
        self.changed[name] = change
        self.count += 1
        return change

    def plan(self, step: int = 1) -> None:
        """The plan's budget up by 1 kr. each time, never back to a value it had during
        the run: a fragment named by what it shows (the money) is then never found cached
        from an earlier write. :meth:`restore` takes it back down in one write."""
        plan = Plan.objects.get(pk=self.plan_pk)
        self.count += 1
        self.budget_raised += step
        plan_update(
            plan=plan,
            user=None,
            expected_version=plan.version,
            fields={"budget": plan.budget + step},
            m2m={},
            estates=[],
        )

    def commitment(self) -> None:
        commitment = CoFinancing.objects.get(pk=self.commitment_pk)
        note = commitment.note.removesuffix(MARK)
        commitment_update(
            commitment=commitment,
            expected_version=commitment.version,
            note=note + MARK if self._toggle("commitment") else note,
        )

    def _item(self, name: str, pk: int) -> None:
        with transaction.atomic():
            item = AgendaItem.objects.select_for_update().get(pk=pk)
            title = item.title.removesuffix(MARK)
            item.title = title + MARK if self._toggle(name) else title
            version_bump(item)
            item.save(update_fields=["title", "version", "updated_at"])

    def meeting_item(self) -> None:
        self._item("meeting_item", self.meeting_item_pk)

    def case_item(self) -> None:
        self._item("case_item", self.case_item_pk)

    def search_item(self) -> None:
        self._item("search_item", self.search_item_pk)

    def restore(self) -> None:
        for name, changed in list(self.changed.items()):
            if changed:
                getattr(self, name)()
        if self.budget_raised:
            self.plan(-self.budget_raised)


def count_queries(client: Client, urls: dict, writes: Writes) -> dict:
    """Queries of a page rendered afresh (after a write it shows), and served again."""
    counts = {}
    for key, (url, _bare) in urls.items():
        client.get(url)  # warm caches of the process (translations, templates)
        writes.for_page(key)
        with CaptureQueriesContext(connection) as rendered:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if response.get("X-Page-Cache") == "hit":
            raise SystemExit(f"{url} came from the page cache right after a write")
        with CaptureQueriesContext(connection) as served_again:
            client.get(url)
        counts[key] = {
            "url": url,
            "queries": len(rendered),
            "queries_served_again": len(served_again),
        }
    return counts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def time_pages(client: Client, urls: dict, repeat: int, writes: Writes, keys) -> dict:
    """Product page served again, bare view, a write the page shows and the product page
    rendered afresh, in turn, ``repeat`` times each; ms (the write is not timed).

    The product page as most requests get it is served from the page cache: the same
    kind of reader read it before and nothing has been written since. The fresh
    rendering is what the first reader after a write waits for.
    """
    timings = {}
    for key in keys:
        url, bare = urls[SAME_PAGE.get(key, key)]
        for _ in range(5):
            client.get(url)
            client.get(bare)
        product_ms, bare_ms, fresh_ms, write_ms = [], [], [], []
        for _ in range(repeat):
            for target, into, after_write in (
                (url, product_ms, False),
                (bare, bare_ms, False),
                (url, fresh_ms, True),
            ):
                if after_write:
                    start = time.perf_counter()
                    writes.for_page(key)
                    write_ms.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                response = client.get(target)
                into.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (target, response.status_code)
                cache_status = response.get("X-Page-Cache")
                if after_write and cache_status == "hit":
                    raise SystemExit(f"{url} came from the page cache right after a write")
        median, bare_median = statistics.median(product_ms), statistics.median(bare_ms)
        fresh_median = statistics.median(fresh_ms)
        timings[key] = {
            "label": TIMED[key],
            "of": SAME_PAGE.get(key),
            "url": url,
            "median_ms": round(median, 1),
            "p95_ms": round(percentile(product_ms, 0.95), 1),
            "bare_median_ms": round(bare_median, 1),
            "bare_p95_ms": round(percentile(bare_ms, 0.95), 1),
            "ratio": round(median / bare_median, 2),
            "fresh_median_ms": round(fresh_median, 1),
            "fresh_p95_ms": round(percentile(fresh_ms, 0.95), 1),
            "fresh_ratio": round(fresh_median / bare_median, 2),
            "write": WRITE_FOR.get(key, "plan"),
            "write_median_ms": round(statistics.median(write_ms), 1),
        }
        print(
            f"  {TIMED[key]:<40} median {median:7.1f} ms  p95 {timings[key]['p95_ms']:7.1f} ms"
            f"  bare {bare_median:6.1f} ms  ratio {timings[key]['ratio']:.2f}"
            f"  rendered afresh {fresh_median:6.1f} ms",
            flush=True,
        )
    return timings


def history_overhead(saves: int) -> dict:
    """``saves`` saves of one estate with history and as many without; rolled back."""
    estate = Estate.objects.filter(plan__area__code__startswith="LG1-").order_by("pk").first()
    results = {}
    with transaction.atomic():
        for label, skip in (("warm-up", False), ("with_history", False), ("without", True)):
            if skip:
                estate.skip_history_when_saving = True
            start = time.perf_counter()
            for n in range(saves if label != "warm-up" else 50):
                estate.tenancies = 100 + n % 50
                estate.save(update_fields=["tenancies", "updated_at"])
            results[label] = time.perf_counter() - start
            if skip:
                del estate.skip_history_when_saving
        transaction.set_rollback(True)
    with_ms = results["with_history"] * 1000 / saves
    without_ms = results["without"] * 1000 / saves
    return {
        "saves": saves,
        "with_history_ms_per_save": round(with_ms, 3),
        "without_history_ms_per_save": round(without_ms, 3),
        "ratio": round(with_ms / without_ms, 2),
    }


def database_size() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname IN "
            "('cases_agendaitem', 'cases_historicalagendaitem', 'committees_meeting', "
            "'helhedsplaner_plan', 'helhedsplaner_cofinancing', 'cases_attachment')"
        )
        rows = dict(cursor.fetchall())
    history = 0
    from django.apps import apps

    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            history += model.objects.count()
    return {"size": size, "history_rows": history, "approximate_rows": rows}


def cache_backends() -> dict:
    """Which cache backs "default" and "pages" here (the gunicorn runs use the same)."""
    return {
        name: {
            "backend": options["BACKEND"].rsplit(".", 1)[-1],
            **({"location": options["LOCATION"]} if "LOCATION" in options else {}),
        }
        for name, options in settings.CACHES.items()
    }


def writable_plans() -> dict[str, list[int]]:
    """For each caseworker of the load test's writer, plans it may edit (a random 200)."""
    plans = {}
    names = [name for name in os.environ.get("BENCH_WRITERS", "").split(",") if name]
    for username in names:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"BENCH_WRITERS: no user {username!r} (load_demo makes them)")
        candidates = list(
            Plan.objects.filter(lead_administration__in=administrations_writable(user))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = random.Random(username).sample(candidates, min(200, len(candidates)))
        checked = Plan.objects.in_bulk(chosen)
        plans[username] = [
            pk for pk in chosen if user.has_perm("helhedsplaner.edit_plan", checked[pk])
        ]
    return plans


def _download(client: Client, url: str) -> tuple[float, int, int]:
    """(ms, status, bytes) of one download, its whole body read."""
    start = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return (time.perf_counter() - start) * 1000, response.status_code, len(body)


def pdf_downloads(client: Client, objects: dict, repeat: int, writes: Writes) -> dict:
    """The measured meeting's agenda PDF and package (the reader's edition): the time a
    worker spends rendering each, and the download of the stored file (``repeat`` times,
    in turn with the bare download of the same file); then a change to an item on it and
    the first download after it (the page that says the PDF is being made), and the job
    that makes it again."""
    from django.test import override_settings
    from django.urls import reverse

    from cases import rendering
    from cases.models import Attachment, RenderedFile
    from committees.models import Meeting

    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    meeting = Meeting.objects.select_related("committee").get(pk=objects["meeting"])
    result = {
        "items": meeting.agenda_items.count(),
        "attachments": Attachment.objects.filter(item__meeting=meeting).count(),
        "documents": {},
    }
    for kind, route in (
        (RenderedFile.Kind.AGENDA, "pdf:meeting_agenda"),
        (RenderedFile.Kind.PACKAGE, "pdf:meeting_package"),
    ):
        url = reverse(route, args=[meeting.pk])
        with override_settings(TASKS=immediate):  # stored, the job run here
            _ms, status, _size = _download(client, url)
        assert status == 200, (url, status)
        row = (
            RenderedFile.objects.filter(meeting=meeting, kind=kind, status="ready")
            .order_by("-finished_at")
            .first()
        )
        document = rendering.Document.of_row(row)
        render_s = []
        for _ in range(3):
            start = time.perf_counter()
            document.render(document.parts(), lambda done, total: None)
            render_s.append(time.perf_counter() - start)
        bare = f"/_bench/pdf/{row.pk}/"
        for _ in range(5):
            _download(client, url)
            _download(client, bare)
        product_ms, bare_ms, size = [], [], 0
        for _ in range(repeat):
            ms, status, size = _download(client, url)
            assert status == 200, (url, status)
            product_ms.append(ms)
            bare_ms.append(_download(client, bare)[0])
        writes.meeting_item()  # the item's title: the stored file no longer shows it
        changed_ms, status, _size = _download(client, url)
        assert status == 202, (url, status)  # the page that says it is being made
        row.refresh_from_db()
        start = time.perf_counter()
        rendering.render_file.call(row.pk, row.rendering)
        job_s = time.perf_counter() - start
        assert _download(client, url)[1] == 200
        median, bare_median = statistics.median(product_ms), statistics.median(bare_ms)
        result["documents"][kind] = {
            "url": url,
            "bytes": size,
            "render_s": round(statistics.median(render_s), 3),
            "download_median_ms": round(median, 1),
            "download_p95_ms": round(percentile(product_ms, 0.95), 1),
            "bare_median_ms": round(bare_median, 1),
            "bare_p95_ms": round(percentile(bare_ms, 0.95), 1),
            "ratio": round(median / bare_median, 2),
            "after_change_ms": round(changed_ms, 1),
            "job_after_change_s": round(job_s, 3),
        }
        print(
            f"  {kind:<8} rendered {result['documents'][kind]['render_s']:.3f} s; download "
            f"median {median:.1f} ms p95 {result['documents'][kind]['download_p95_ms']:.1f} ms "
            f"(bare {bare_median:.1f} ms); after a change {changed_ms:.1f} ms (202), "
            f"job {job_s:.3f} s",
            flush=True,
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timing", action="store_true", help="time pages and history saves")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument(
        "--pages", default=",".join(TIMED), help="the pages to time, comma-separated keys"
    )
    parser.add_argument("--no-history", action="store_true", help="skip the history overhead")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    objects = sample_objects()
    urls = pages(objects)
    client = client_for(BENCH_USER)
    writes = Writes(objects, SEARCH_QUERY)
    result = {"objects": objects, "user": BENCH_USER, "caches": cache_backends()}
    try:
        result["queries"] = count_queries(client, urls, writes)
        result["database"] = database_size()
        if args.timing:
            keys = [key for key in args.pages.split(",") if key]
            unknown = set(keys) - set(TIMED)
            if unknown:
                raise SystemExit(f"--pages: no timed page {sorted(unknown)}")
            result["timings"] = time_pages(client, urls, args.repeat, writes, keys)
            if "meeting_detail" in keys:
                result["pdf_downloads"] = pdf_downloads(client, objects, args.repeat, writes)
            if not args.no_history:
                result["history"] = history_overhead(args.saves)
            result["session_cookie"] = client.cookies[settings.SESSION_COOKIE_NAME].value
            result["writable_plans"] = writable_plans()
    finally:
        writes.restore()
    result["writes"] = writes.count
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
