"""The benchmark (``make bench``): not a test; prints a table and writes JSON.

On PostgreSQL, with two databases of load data (scale 0.1 and scale 1, created and
filled by ``generate_load_data`` on top of ``load_demo`` when missing, which takes a
few minutes), it measures:

(a) queries per request of every main page at both scales (must be equal), rendered
    afresh (after a write the page shows) and served again;
(b) median and p95 server time of the main pages, served again and rendered afresh
    after a real write, beside bare one-query views; the dashboard at both scales;
(c) requests per second under gunicorn with wrk, all workers sharing one cache: the
    Django hello-world floor, the bare status view, the status page and the agenda
    alone, then the status page, the agenda and the dashboard read at once while
    caseworkers save plans through HTTP at 0, 1 and 5 writes per second (page-cache
    hit rate per URL from the X-Page-Cache header); the status page with the page
    cache off;
(d) the agenda PDF times and ratios (``bench/pdf_bench.py``);
(e) the cost of history: a save with and without its history row;
(f) the meeting's agenda PDF and package: the worker's rendering time, and the download
    of the stored file (median, p95) beside the bare download of the same file, then the
    first download after a change and the job that makes it again;

and checks the "Done when" of issue 15, point 5, and the download target of issue 16 at
the end of the table.

Environment (defaults in brackets):
  BENCH_DATABASE_SERVER    [postgres://postgres@127.0.0.1:5432]
  BENCH_DB                 [helhedsplaner_bench]        scale 1
  BENCH_DB_SMALL           [helhedsplaner_bench_small]  scale 0.1
  BENCH_CACHE_URL          [redis://127.0.0.1:6379/9]   passed as DJANGO_CACHE_URL; that
                           Redis database (only it) is flushed at the start; empty:
                           per-process caches
  BENCH_PORT               [8077]   gunicorn listens on 127.0.0.1 only
  BENCH_WORKERS            [4]      gunicorn worker processes
  BENCH_CONNECTIONS        [8]      concurrent clients of a page loaded alone
  BENCH_SECONDS            [10]     length of each such load test
  BENCH_MIXED_CONNECTIONS  [3]      clients per page in the mixed runs
  BENCH_MIXED_SECONDS      [12]     length of each mixed run
  BENCH_WRITE_RATES        [0,1,5]  writes per second of the mixed runs
  BENCH_WRITERS            [sagsbehandler,sagsbehandler-tmf]  the caseworkers who save
  BENCH_WRITER_PASSWORD    [helhedsplan-demo]

    .venv/bin/python bench/run.py [--update-docs] [--skip-pdf] [--repeat 100]
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import load

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "performance.md"
PY = sys.executable
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASES = {
    "large": (os.environ.get("BENCH_DB", "helhedsplaner_bench"), 1.0),
    "small": (os.environ.get("BENCH_DB_SMALL", "helhedsplaner_bench_small"), 0.1),
}
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9").strip()
PORT = int(os.environ.get("BENCH_PORT", "8077"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
MIXED_CONNECTIONS = int(os.environ.get("BENCH_MIXED_CONNECTIONS", "3"))
MIXED_SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "12"))
WRITE_RATES = [float(r) for r in os.environ.get("BENCH_WRITE_RATES", "0,1,5").split(",") if r]
WRITERS = os.environ.get("BENCH_WRITERS", "sagsbehandler,sagsbehandler-tmf")
WRITER_PASSWORD = os.environ.get("BENCH_WRITER_PASSWORD", "helhedsplan-demo")
WARM_SECONDS = 3
MARKER_START = "<!-- bench:start -->"
MARKER_END = "<!-- bench:end -->"
BUDGET = {"ratio": 1.5, "p95_ms": 150, "plan_rps": 150}
# Issue 15, point 5: "Done when".
DONE_WHEN = {
    "fresh_ratio": 2.0,  # every page rendered afresh ≤ 2 × its bare view
    "dashboard_fresh_ms": 50,  # the dashboard rendered afresh at scale 1
    "dashboard_spread": 0.2,  # … and within 20 % between scale 0.1 and scale 1
    "writes": 5,  # at this many writes per second, the status page serves
    "status_share": 0.5,  # at least this share of its throughput without writes
}


def say(line: str) -> None:
    print(line, flush=True)


def env_for(database: str, cache_url: str | None = None) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "BENCH_WRITERS": WRITERS,
        # Rendered PDFs (the download timing) are written here, not into the checkout.
        "DJANGO_MEDIA_ROOT": str(RESULTS / "media"),
    }
    env.pop("DJANGO_CACHE_URL", None)
    if cache_url:
        env["DJANGO_CACHE_URL"] = cache_url
    return env


# -- the databases ---------------------------------------------------------------------------


def ensure_database(name: str, scale: float) -> None:
    """Create and fill the database when missing; always bring its schema up to date."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            say(f"creating database {name} …")
            conn.execute(f'CREATE DATABASE "{name}"')
    env = env_for(name)
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    with psycopg.connect(f"{SERVER}/{name}") as conn:
        ready = conn.execute(
            "SELECT count(*) FROM helhedsplaner_cofinancingpool "
            "WHERE name LIKE 'Pulje til områdebaserede indsatser%%' AND budget > 0"
        ).fetchone()[0]
        started = conn.execute(
            "SELECT count(*) FROM committees_committee WHERE slug LIKE 'lg%%'"
        ).fetchone()[0]
    if ready:
        # The front page's stored figures: made by a newer migration than the data, or
        # out of date after writes by other means.
        subprocess.run(
            [*manage, "refresh_plan_figures"],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        say(f"database {name} (scale {scale:g}) is ready")
        return
    if started:
        raise SystemExit(
            f"{name} holds an interrupted load-data run. Drop it (dropdb {name}) and run again."
        )
    say(f"filling {name} at scale {scale:g} (demo data, then load data; this takes a while) …")
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    subprocess.run(
        [*manage, "generate_load_data", "--scale", str(scale), "--append"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    say(f"generated in {time.perf_counter() - start:.0f} s")


def measure(
    database: str,
    *,
    timing: bool,
    repeat: int,
    cache_url: str | None,
    pages: str | None = None,
    history: bool = True,
) -> dict:
    out = RESULTS / f"measure-{database}.json"
    command = [PY, str(ROOT / "bench" / "measure.py"), "--out", str(out), "--repeat", str(repeat)]
    if timing:
        command.append("--timing")
    if pages:
        command += ["--pages", pages]
    if not history:
        command.append("--no-history")
    subprocess.run(command, env=env_for(database, cache_url), check=True, cwd=ROOT)
    return json.loads(out.read_text())


# -- the shared cache ------------------------------------------------------------------------


def shared_cache() -> dict:
    """Make BENCH_CACHE_URL's Redis database empty (that database only) for this run.

    Its URL is passed as ``DJANGO_CACHE_URL`` to gunicorn and to the in-process timing, so
    all of them keep "default" (the dashboard's figures) and "pages" in one Redis. When
    it is unset or Redis does not answer, every process keeps its own (locmem) caches;
    the table says which.
    """
    if not CACHE_URL:
        return {"url": None, "described": "per-process locmem (BENCH_CACHE_URL is empty)"}
    try:
        import redis

        client = redis.Redis.from_url(CACHE_URL, socket_connect_timeout=3)
        client.ping()
        client.flushdb()
    except ImportError:
        reason = "the redis package is missing: pip install -e '.[bench]'"
    except Exception as error:  # any failure means: no Redis for this run
        reason = f"Redis at {CACHE_URL} did not answer ({error.__class__.__name__})"
    else:
        say(f"shared cache: {CACHE_URL}, emptied")
        return {"url": CACHE_URL, "described": f"Redis {CACHE_URL} (RedisCache), one for all"}
    say(f"WARNING: {reason}; every process keeps its own caches")
    return {"url": None, "described": f"per-process locmem ({reason})"}


def cache_entries(database: str) -> int | None:
    """How many entries the run left in Redis under ``database``'s key prefix."""
    if not CACHE_URL:
        return None
    try:
        import redis

        client = redis.Redis.from_url(CACHE_URL, socket_connect_timeout=3)
        return sum(1 for _ in client.scan_iter(match=f"{database}:*", count=1000))
    except Exception:
        return None


# -- the load tests ----------------------------------------------------------------------------

LABELS = {
    "hello": "Hello world (the floor)",
    "bare_status": "Bare status view",
    "plan_status": "Plan status page",
    "meeting_detail": "Meeting agenda",
    "home": "Dashboard",
}
MIXED = ("plan_status", "meeting_detail", "home")


def load_tests(database: str, measured: dict, cache_url: str | None) -> dict:
    """Everything under gunicorn, in one server (page cache on), then the status page in a
    second one with the page cache off."""
    cookie = measured["session_cookie"]
    queries = measured["queries"]
    paths = {
        "hello": "/_bench/hello/",
        "bare_status": f"/_bench/planer/{measured['objects']['plan']}/",
        "plan_status": queries["plan_status"]["url"],
        "meeting_detail": queries["meeting_detail"]["url"],
        "home": queries["home"]["url"],
    }
    server_env = env_for(database, cache_url)
    result = {
        "workers": WORKERS,
        "tool": load.tool(),
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "mixed_connections": MIXED_CONNECTIONS,
        "mixed_seconds": MIXED_SECONDS,
        "paths": paths,
    }
    with load.Server(python=PY, env=server_env, cwd=ROOT, port=PORT, workers=WORKERS) as server:
        urls = {key: server.base + path for key, path in paths.items()}
        for url in urls.values():
            load.check_signed_in(url, cookie)
        load.read(urls, cookie, WARM_SECONDS, 2)  # every worker renders every page once
        result["alone"] = {}
        for key in ("hello", "bare_status", "plan_status", "meeting_detail"):
            row = load.read({key: urls[key]}, cookie, SECONDS, CONNECTIONS)[key]
            result["alone"][key] = row
            say(f"  {LABELS[key]:<24} {row['requests_per_second']:7.1f} req/s{_hits(row)}")
        writer = load.Writer(server.base, measured["writable_plans"], WRITER_PASSWORD)
        result["mixed"] = []
        try:
            for rate in WRITE_RATES:
                writer.start(rate)
                reads = load.read(
                    {key: urls[key] for key in MIXED}, cookie, MIXED_SECONDS, MIXED_CONNECTIONS
                )
                writes = writer.stop()
                result["mixed"].append({"rate": rate, "writes": writes, "reads": reads})
                say(
                    f"  {rate:g} writes/s asked, {writes['saved']} of {writes['writes']} saved: "
                    + ", ".join(
                        f"{LABELS[key].lower()} {reads[key]['requests_per_second']:.1f} req/s"
                        f"{_hits(reads[key])}"
                        for key in MIXED
                    )
                )
        finally:
            writer.close()
    result["cache_entries"] = cache_entries(database)
    say("  the status page with the page cache off …")
    with load.Server(
        python=PY,
        env={**server_env, "DJANGO_PAGE_CACHE": "0"},
        cwd=ROOT,
        port=PORT,
        workers=WORKERS,
    ) as server:
        url = server.base + paths["plan_status"]
        load.read({"plan_status": url}, cookie, WARM_SECONDS, 2)
        result["uncached"] = load.read({"plan_status": url}, cookie, SECONDS, CONNECTIONS)
    rps = result["uncached"]["plan_status"]["requests_per_second"]
    say(f"  {'page cache off':<24} {rps:7.1f} req/s")
    return result


def _hits(row: dict) -> str:
    if row.get("hit_rate") is None:
        return ""
    return f" ({row['hit_rate']:.1%} from the page cache)"


# -- PDF and the machine ---------------------------------------------------------------------


def pdf_figures() -> dict:
    out = RESULTS / "pdf.json"
    subprocess.run(
        [PY, str(ROOT / "bench" / "pdf_bench.py"), "--json", str(out)], check=True, cwd=ROOT
    )
    return json.loads(out.read_text())


def machine(database: str) -> dict:
    def run(*command):
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else ""
    import psycopg

    with psycopg.connect(f"{SERVER}/{database}") as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    memory = run("free", "-h").splitlines()
    return {
        "nproc": run("nproc"),
        "cpu": cpu,
        "memory": memory[1].split()[1] if len(memory) > 1 else "",
        "free_h": "\n".join(memory),
        "postgresql": postgres,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


# -- the report ------------------------------------------------------------------------------


def _met(ok: bool | None) -> str:
    return "not measured" if ok is None else "met" if ok else "MISSED"


def table(result: dict) -> str:
    lines = []
    add = lines.append
    large, small = result["large"], result["small"]
    add(
        "(a) Queries per request (logged in as the politician): rendered afresh (after a "
        "write the page shows), served again"
    )
    add(f"{'page':<26}{'scale 0.1':>10}{'scale 1':>10}{'again 0.1':>10}{'again 1':>10}  equal")
    for key, row in large["queries"].items():
        before = small["queries"][key]
        equal = (
            "yes"
            if (before["queries"], before["queries_served_again"])
            == (row["queries"], row["queries_served_again"])
            else "NO"
        )
        add(
            f"{key:<26}{before['queries']:>10}{row['queries']:>10}"
            f"{before['queries_served_again']:>10}{row['queries_served_again']:>10}  {equal}"
        )
    add("")
    add(f"Cache: {result['cache']}.")
    add("")
    add(
        "(b) Server time at scale 1, ms (in-process, median and p95 of "
        f"{result['repeat']} requests, in turn with the bare view)"
    )
    add(f"{'page':<40}{'median':>8}{'p95':>8}{'bare':>8}{'ratio':>7}  ≤1.5×  p95≤150")
    for row in large["timings"].values():
        if row.get("of"):
            continue  # the same page served again as the row it is measured beside
        ratio_ok = "met" if row["ratio"] <= BUDGET["ratio"] else "MISSED"
        p95_ok = "met" if row["p95_ms"] <= BUDGET["p95_ms"] else "MISSED"
        add(
            f"{row['label']:<40}{row['median_ms']:>8.1f}{row['p95_ms']:>8.1f}"
            f"{row['bare_median_ms']:>8.1f}{row['ratio']:>7.2f}  {ratio_ok:<6} {p95_ok}"
        )
    add("")
    add(
        "    The same pages rendered afresh, each right after a real write it shows "
        "(the first reader after a save):"
    )
    add(f"{'page':<40}{'median':>8}{'p95':>8}{'bare':>8}{'ratio':>7}  p95≤150  write")
    for row in large["timings"].values():
        p95_ok = "met" if row["fresh_p95_ms"] <= BUDGET["p95_ms"] else "MISSED"
        add(
            f"{row['label']:<40}{row['fresh_median_ms']:>8.1f}{row['fresh_p95_ms']:>8.1f}"
            f"{row['bare_median_ms']:>8.1f}{row['fresh_ratio']:>7.2f}  {p95_ok:<8} "
            f"{WRITE_NAMES.get(row['write'], row['write'])}"
        )
    for key, label in (("home", "Dashboard / at scale 0.1"), ("home_money", "… after a budget")):
        home_small = small.get("timings", {}).get(key)
        if home_small:
            add(
                f"{label:<40}{home_small['fresh_median_ms']:>8.1f}"
                f"{home_small['fresh_p95_ms']:>8.1f}{home_small['bare_median_ms']:>8.1f}"
                f"{home_small['fresh_ratio']:>7.2f}"
            )
    add("")
    load_result = result["load"]
    alone, paths = load_result["alone"], load_result["paths"]
    add(
        f"(c) Requests per second under gunicorn ({load_result['workers']} sync workers, "
        f"{load_result['tool']}, scale 1; cache: {result['cache']})"
    )
    add(f"    each page alone, {load_result['connections']} connections, {SECONDS} s:")
    add(f"{'page':<48}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}  from the page cache")
    for key, row in alone.items():
        add(
            f"{LABELS[key] + ' ' + paths[key]:<48}{row['requests_per_second']:>8.1f}"
            f"{_num(row.get('latency_p50_ms')):>8}{_num(row.get('latency_p99_ms')):>8}  "
            f"{_rate(row)}"
        )
    uncached = load_result["uncached"]["plan_status"]
    add(
        f"{'Plan status page, page cache off':<48}{uncached['requests_per_second']:>8.1f}"
        f"{_num(uncached.get('latency_p50_ms')):>8}{_num(uncached.get('latency_p99_ms')):>8}"
    )
    plan_rps = alone["plan_status"]["requests_per_second"]
    target = BUDGET["plan_rps"]
    add(f"plan status page target ≥ {target} req/s: {_met(plan_rps >= target)}")
    add("")
    add(
        f"    the status page, the agenda and the dashboard read at once "
        f"({load_result['mixed_connections']} connections each, {load_result['mixed_seconds']} s) "
        "while caseworkers save random plans through HTTP (edit form, CSRF token, 302 = saved):"
    )
    add(
        f"{'writes/s':>8}{'made/s':>8}{'saved':>9}{'write ms':>9}   {'page':<18}"
        f"{'req/s':>8}{'p99 ms':>8}{'from the page cache':>21}"
    )
    problems = []
    for run in load_result["mixed"]:
        writes = run["writes"]
        head = (
            f"{run['rate']:>8g}{writes['writes_per_second']:>8.2f}"
            f"{writes['saved']:>4}/{writes['writes']:<4}{_num(writes['write_median_ms']):>9}"
        )
        if writes["failed"]:
            problems.append(f"at {run['rate']:g} writes/s, writes not saved: {writes['failed']}")
        for key in MIXED:
            row = run["reads"][key]
            add(
                f"{head:<34}   {LABELS[key]:<18}{row['requests_per_second']:>8.1f}"
                f"{_num(row.get('latency_p99_ms')):>8}{_rate(row):>21}"
            )
            head = ""
            if row["non_200"] or row.get("socket_errors"):
                problems.append(
                    f"at {run['rate']:g} writes/s, {LABELS[key]}: {row['non_200']} answers "
                    f"other than 200, {row.get('socket_errors', 0)} socket errors"
                )
    for problem in problems:
        add(f"    NOTE {problem}")
    entries = load_result.get("cache_entries")
    if entries is not None:
        add(f"    {entries} cache entries in Redis for this database after the runs")
    add("")
    pdf = result.get("pdf")
    if pdf:
        add("(d) Agenda PDF (median of 5 rounds, 20, 40 and bare in turn)")
        add(
            f"20-item agenda {pdf['agenda_20_items_s']:.3f} s, 40-item agenda "
            f"{pdf['agenda_40_items_s']:.3f} s ({pdf['agenda_40_pages']} pages), bare WeasyPrint "
            f"{pdf['bare_weasyprint_40_items_s']:.3f} s"
        )
        add(
            f"ratio 40/20 {pdf['ratio_40_to_20']:.2f} (target ≤ 2.2), product/bare "
            f"{pdf['ratio_to_bare']:.2f} (target ≤ 1.3)"
        )
        add("")
    downloads = large.get("pdf_downloads")
    if downloads:
        add(
            f"(f) Stored PDFs of the meeting at scale 1 ({downloads['items']} items, "
            f"{downloads['attachments']} attachment rows), the reader's edition: the worker's "
            "rendering, the download (median/p95 ms), the bare download of the same file"
        )
        add(
            f"{'document':<10}{'rendered':>10}{'median':>9}{'p95':>9}{'bare':>8}{'ratio':>7}"
            f"{'after a change':>16}{'job':>9}"
        )
        for kind, row in downloads["documents"].items():
            add(
                f"{kind:<10}{row['render_s']:>8.3f} s{row['download_median_ms']:>9.1f}"
                f"{row['download_p95_ms']:>9.1f}{row['bare_median_ms']:>8.1f}{row['ratio']:>7.2f}"
                f"{row['after_change_ms']:>11.1f} ms{row['job_after_change_s']:>7.3f} s"
            )
        add(
            "    after a change: the first download answers at once with the page that says "
            "the PDF is being made (202); the job makes it again in the background"
        )
        add("")
    history = large["history"]
    add(f"(e) History overhead ({history['saves']} saves of an estate each)")
    add(
        f"with history {history['with_history_ms_per_save']:.3f} ms/save, without "
        f"{history['without_history_ms_per_save']:.3f} ms/save, ratio {history['ratio']:.2f}"
    )
    add("")
    db = large["database"]
    add(f"Data at scale 1: database {db['size']}, {db['history_rows']:,} history rows")
    add("")
    lines.extend(done_when(result))
    return "\n".join(lines)


WRITE_NAMES = {
    "plan": "the plan's budget",
    "commitment": "a commitment's note",
    "meeting_item": "an item's title",
    "case_item": "an item's title",
    "search_item": "a hit's title",
}


def _num(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def _rate(row: dict) -> str:
    if row.get("hit_rate") is None:
        return "–"
    return f"{row['hit_rate']:.1%} ({row['cache_misses']} rendered)"


PDF_DOWNLOAD_P95_MS = 100


def done_when(result: dict) -> list[str]:
    """Issue 15, point 5: one line per check, with its figures and met or MISSED."""
    lines = ["Done when (issue 15, point 5)"]
    add = lines.append
    timings = result["large"]["timings"]
    add(f"  every page rendered afresh ≤ {DONE_WHEN['fresh_ratio']:g} × its bare view:")
    for row in timings.values():
        ok = row["fresh_ratio"] <= DONE_WHEN["fresh_ratio"]
        add(
            f"    {row['label']:<40}{row['fresh_median_ms']:>7.1f} ms / {row['bare_median_ms']:.1f}"
            f" ms = {row['fresh_ratio']:.2f} ×  {_met(ok)}"
        )
    for key in ("home", "home_money"):
        large_home = timings.get(key)
        small_home = result["small"].get("timings", {}).get(key)
        after = f" after {WRITE_NAMES[large_home['write']]}" if large_home else ""
        if large_home:
            ms = large_home["fresh_median_ms"]
            add(
                f"  dashboard rendered afresh{after} ≤ {DONE_WHEN['dashboard_fresh_ms']} ms "
                f"at scale 1: {ms:.1f} ms  {_met(ms <= DONE_WHEN['dashboard_fresh_ms'])}"
            )
        if large_home and small_home:
            spread = large_home["fresh_median_ms"] / small_home["fresh_median_ms"] - 1
            add(
                f"  dashboard rendered afresh{after} within "
                f"{DONE_WHEN['dashboard_spread']:.0%} between scales: "
                f"{small_home['fresh_median_ms']:.1f} ms at 0.1, "
                f"{large_home['fresh_median_ms']:.1f} ms at 1 ({spread:+.0%})  "
                f"{_met(abs(spread) <= DONE_WHEN['dashboard_spread'])}"
            )
    mixed = {run["rate"]: run for run in result["load"]["mixed"]}
    calm, busy = mixed.get(0.0), mixed.get(float(DONE_WHEN["writes"]))
    if calm and busy:
        before = calm["reads"]["plan_status"]["requests_per_second"]
        after = busy["reads"]["plan_status"]["requests_per_second"]
        share = after / before if before else 0.0
        made = busy["writes"]["writes_per_second"]
        short = f"; only {made:g} writes/s made" if made < 0.9 * DONE_WHEN["writes"] else ""
        add(
            f"  status page at {DONE_WHEN['writes']} writes/s ≥ {DONE_WHEN['status_share']:.0%} "
            f"of its throughput without writes: {after:.1f} of {before:.1f} req/s ({share:.0%}"
            f"{short})  {_met(share >= DONE_WHEN['status_share'])}"
        )
    else:
        add(f"  status page at {DONE_WHEN['writes']} writes/s: not measured (BENCH_WRITE_RATES)")
    made = sum(run["writes"]["writes"] for run in mixed.values())
    saved = sum(run["writes"]["saved"] for run in mixed.values())
    rates = ", ".join(
        f"{run['writes']['writes_per_second']:g}/s of {rate:g}"
        for rate, run in mixed.items()
        if rate
    )
    add(f"  (the writes: {saved} of {made} saved with a 302, {rates}; cache: {result['cache']})")
    downloads = result["large"].get("pdf_downloads")
    if downloads:
        lines.append("Done when (issue 16): a stored PDF downloaded within 100 ms p95 at scale 1")
        for kind, row in downloads["documents"].items():
            ok = row["download_p95_ms"] <= PDF_DOWNLOAD_P95_MS
            add(
                f"    {kind:<10}p95 {row['download_p95_ms']:.1f} ms (rendering it takes "
                f"{row['render_s']:.3f} s)  {_met(ok)}"
            )
    return lines


def update_docs(text: str, result: dict) -> None:
    content = DOCS.read_text()
    m = result["machine"]
    block = (
        f"{MARKER_START}\nMeasured {result['measured_at']} on {m['nproc']} cores "
        f"({m['cpu']}), {m['memory']} RAM, PostgreSQL {m['postgresql']}, Python {m['python']}."
        f"\n\n```text\n{text}\n```\n{MARKER_END}"
    )
    pattern = re.compile(re.escape(MARKER_START) + ".*?" + re.escape(MARKER_END), re.S)
    DOCS.write_text(pattern.sub(lambda _: block, content))
    say(f"figures written into {DOCS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="requests per timed page")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--update-docs", action="store_true", help="copy the table into docs")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)

    for name, scale in DATABASES.values():
        ensure_database(name, scale)
    cache = shared_cache()
    result = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "repeat": args.repeat,
        "cache": cache["described"],
    }
    small_db, large_db = DATABASES["small"][0], DATABASES["large"][0]
    say(f"(a, b) counting queries and timing the dashboard at scale 0.1 ({small_db}) …")
    result["small"] = measure(
        small_db,
        timing=True,
        repeat=args.repeat,
        cache_url=cache["url"],
        pages="home,home_money",
        history=False,
    )
    result["small"].pop("session_cookie", None)
    say(f"(a, b, e) counting queries and timing at scale 1 ({large_db}) …")
    result["large"] = measure(large_db, timing=True, repeat=args.repeat, cache_url=cache["url"])
    say("(c) load tests under gunicorn …")
    result["load"] = load_tests(large_db, result["large"], cache["url"])
    result["large"].pop("session_cookie")
    result["large"].pop("writable_plans", None)
    result["small"].pop("writable_plans", None)
    if not args.skip_pdf:
        say("(d) agenda PDF …")
        result["pdf"] = pdf_figures()
    result["machine"] = machine(large_db)
    text = table(result)
    say("")
    say(text)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2))
    (RESULTS / "latest.txt").write_text(text + "\n")
    say(f"\nwritten to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    if args.update_docs:
        update_docs(text, result)


if __name__ == "__main__":
    main()
