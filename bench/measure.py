"""One database's measurements, run by ``bench/run.py`` in a process of its own.

    DATABASE_URL=postgres://…/helhedsplaner_perf python bench/measure.py --timing --out x.json

Picks comparable pages (the same kind of plan, meeting, case and committee at every
scale), counts the queries of every main page, and with ``--timing`` times the main
pages beside their bare views, measures the history overhead of a save and makes a
session cookie for the load test. Writes JSON.
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from demo.loadgen import main_pages, sample_objects  # noqa: E402
from helhedsplaner.models import Estate  # noqa: E402

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
}


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


def _cold() -> None:
    """Forget every rendered page: the next request renders (core.pagecache)."""
    caches["pages"].clear()


def count_queries(client: Client, urls: dict) -> dict:
    """Queries of a page rendered afresh, and of the same page served again."""
    counts = {}
    for key, (url, _bare) in urls.items():
        client.get(url)  # warm caches of the process (translations, templates)
        _cold()
        with CaptureQueriesContext(connection) as rendered:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
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


def time_pages(client: Client, urls: dict, repeat: int) -> dict:
    """Product page, bare view and the product page rendered afresh (its rendered pages
    forgotten first), alternately, ``repeat`` times each; ms.

    The product page as most requests get it is served from the page cache: the same
    kind of reader read it before and nothing has been written since. The fresh
    rendering is what the first reader after a write waits for.
    """
    timings = {}
    for key in TIMED:
        url, bare = urls[key]
        for _ in range(5):
            client.get(url)
            client.get(bare)
        product_ms, bare_ms, fresh_ms = [], [], []
        for _ in range(repeat):
            for target, into, forget in (
                (url, product_ms, False),
                (bare, bare_ms, False),
                (url, fresh_ms, True),
            ):
                if forget:
                    _cold()
                start = time.perf_counter()
                response = client.get(target)
                into.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (target, response.status_code)
        median, bare_median = statistics.median(product_ms), statistics.median(bare_ms)
        fresh_median = statistics.median(fresh_ms)
        timings[key] = {
            "label": TIMED[key],
            "url": url,
            "median_ms": round(median, 1),
            "p95_ms": round(percentile(product_ms, 0.95), 1),
            "bare_median_ms": round(bare_median, 1),
            "bare_p95_ms": round(percentile(bare_ms, 0.95), 1),
            "ratio": round(median / bare_median, 2),
            "fresh_median_ms": round(fresh_median, 1),
            "fresh_p95_ms": round(percentile(fresh_ms, 0.95), 1),
            "fresh_ratio": round(fresh_median / bare_median, 2),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timing", action="store_true", help="time pages and history saves")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    objects = sample_objects()
    urls = pages(objects)
    client = client_for(BENCH_USER)
    result = {"objects": objects, "user": BENCH_USER, "queries": count_queries(client, urls)}
    result["database"] = database_size()
    if args.timing:
        result["timings"] = time_pages(client, urls, args.repeat)
        result["history"] = history_overhead(args.saves)
        result["session_cookie"] = client.cookies[django.conf.settings.SESSION_COOKIE_NAME].value
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
