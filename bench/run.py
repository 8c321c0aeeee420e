"""The benchmark (``make bench``): not a test; prints a table and writes JSON.

On PostgreSQL, with two databases of load data (scale 0.1 and scale 1, created and
filled by ``generate_load_data`` on top of ``load_demo`` when missing, which takes a
few minutes), it measures:

(a) queries per request of every main page at both scales (must be equal);
(b) median and p95 server time of the main pages beside bare one-query views;
(c) requests per second of the plan page and the agenda under gunicorn with wrk;
(d) the agenda PDF times and ratios (``bench/pdf_bench.py``);
(e) the cost of history: a save with and without its history row.

Environment (defaults in brackets):
  BENCH_DATABASE_SERVER  [postgres://postgres@127.0.0.1:5432]
  BENCH_DB               [helhedsplaner_bench]        scale 1
  BENCH_DB_SMALL         [helhedsplaner_bench_small]  scale 0.1
  BENCH_PORT             [8077]   gunicorn listens on 127.0.0.1 only
  BENCH_WORKERS          [4]      gunicorn worker processes
  BENCH_CONNECTIONS      [8]      concurrent clients of the load test
  BENCH_SECONDS          [20]     length of each load test

    .venv/bin/python bench/run.py [--update-docs] [--skip-pdf] [--repeat 100]
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "performance.md"
PY = sys.executable
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASES = {
    "large": (os.environ.get("BENCH_DB", "helhedsplaner_bench"), 1.0),
    "small": (os.environ.get("BENCH_DB_SMALL", "helhedsplaner_bench_small"), 0.1),
}
PORT = int(os.environ.get("BENCH_PORT", "8077"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
MARKER_START = "<!-- bench:start -->"
MARKER_END = "<!-- bench:end -->"
BUDGET = {"ratio": 1.5, "p95_ms": 150, "plan_rps": 150}


def say(line: str) -> None:
    print(line, flush=True)


def env_for(database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
    }


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


def measure(database: str, *, timing: bool, repeat: int) -> dict:
    out = RESULTS / f"measure-{database}.json"
    command = [PY, str(ROOT / "bench" / "measure.py"), "--out", str(out), "--repeat", str(repeat)]
    if timing:
        command.append("--timing")
    subprocess.run(command, env=env_for(database), check=True, cwd=ROOT)
    return json.loads(out.read_text())


# -- the load test ---------------------------------------------------------------------------


def load_test(
    database: str, cookie: str, urls: dict[str, str], extra_env: dict | None = None
) -> dict:
    gunicorn = Path(PY).parent / "gunicorn"
    if not gunicorn.exists():
        raise SystemExit("gunicorn is missing: pip install -e '.[bench]' (make bench does this)")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        env={**env_for(database), **(extra_env or {})},
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/log-ind/")
        results = {}
        for key, path in urls.items():
            url = f"http://127.0.0.1:{PORT}{path}"
            _check_logged_in(url, cookie)
            _run_load(url, cookie, 3)  # warm every worker
            results[key] = {"url": path, **_run_load(url, cookie, SECONDS)}
            say(
                f"  {key:<16} {results[key]['requests_per_second']:7.1f} req/s  "
                f"({results[key]['tool']}, {CONNECTIONS} connections, {SECONDS} s)"
            )
        return {"workers": WORKERS, "connections": CONNECTIONS, "seconds": SECONDS, **results}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - 127.0.0.1 only
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {url}")


def _check_logged_in(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        if "/log-ind/" in response.geturl():
            raise SystemExit("the load test's session cookie was not accepted")


def _run_load(url: str, cookie: str, seconds: int) -> dict:
    wrk = shutil.which("wrk")
    if wrk:
        output = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--latency",
                "-H",
                f"Cookie: sessionid={cookie}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        p50 = re.search(r"50%\s+([\d.]+)(ms|s|us)", output)
        p99 = re.search(r"99%\s+([\d.]+)(ms|s|us)", output)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        return {
            "tool": "wrk",
            "requests_per_second": rps,
            "latency_p50_ms": _ms(p50),
            "latency_p99_ms": _ms(p99),
            "non_2xx": int(errors.group(1)) if errors else 0,
        }
    return _python_load(url, cookie, seconds)


def _ms(match) -> float | None:
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"ms": 1, "s": 1000, "us": 0.001}[unit], 1)


def _python_load(url: str, cookie: str, seconds: int) -> dict:
    """Fallback when wrk is not installed: threads with keep-alive connections."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.perf_counter() + seconds
    counts = [0] * CONNECTIONS
    errors = [0] * CONNECTIONS

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.perf_counter() < deadline:
            conn.request("GET", parts.path, headers={"Cookie": f"sessionid={cookie}"})
            response = conn.getresponse()
            response.read()
            counts[index] += 1
            errors[index] += response.status != 200

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {
        "tool": "python threads",
        "requests_per_second": round(sum(counts) / elapsed, 1),
        "non_2xx": sum(errors),
    }


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


def table(result: dict) -> str:
    lines = []
    add = lines.append
    large, small = result["large"], result["small"]
    add("(a) Queries per request (logged in as the politician): rendered afresh, served again")
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
    add(
        "(b) Server time at scale 1, ms (in-process, median and p95 of "
        f"{result['repeat']} requests, alternating with the bare view)"
    )
    add(f"{'page':<40}{'median':>8}{'p95':>8}{'bare':>8}{'ratio':>7}  ≤1.5×  p95≤150")
    for row in large["timings"].values():
        ratio_ok = "met" if row["ratio"] <= BUDGET["ratio"] else "MISSED"
        p95_ok = "met" if row["p95_ms"] <= BUDGET["p95_ms"] else "MISSED"
        add(
            f"{row['label']:<40}{row['median_ms']:>8.1f}{row['p95_ms']:>8.1f}"
            f"{row['bare_median_ms']:>8.1f}{row['ratio']:>7.2f}  {ratio_ok:<6} {p95_ok}"
        )
    add("")
    add("    The same pages rendered afresh (the first reader of a kind after a write):")
    add(f"{'page':<40}{'median':>8}{'p95':>8}{'bare':>8}{'ratio':>7}  p95≤150")
    for row in large["timings"].values():
        p95_ok = "met" if row["fresh_p95_ms"] <= BUDGET["p95_ms"] else "MISSED"
        add(
            f"{row['label']:<40}{row['fresh_median_ms']:>8.1f}{row['fresh_p95_ms']:>8.1f}"
            f"{row['bare_median_ms']:>8.1f}{row['fresh_ratio']:>7.2f}  {p95_ok}"
        )
    add("")
    load = result["load"]
    add(
        f"(c) Requests per second under gunicorn ({load['workers']} sync workers, "
        f"{load['connections']} connections, {load['seconds']} s, scale 1)"
    )
    for key in ("plan_status", "meeting_detail"):
        row = load[key]
        latency = (
            f", latency p50 {row['latency_p50_ms']} ms, p99 {row['latency_p99_ms']} ms"
            if row.get("latency_p50_ms") is not None
            else ""
        )
        add(f"{row['url']:<26}{row['requests_per_second']:>8.1f} req/s{latency} ({row['tool']})")
    plan_rps = load["plan_status"]["requests_per_second"]
    add(
        f"plan status page target ≥ {BUDGET['plan_rps']} req/s: "
        f"{'met' if plan_rps >= BUDGET['plan_rps'] else 'MISSED'}"
    )
    uncached = result.get("load_uncached", {}).get("plan_status")
    if uncached:
        add(
            f"the same with the page cache off (every request rendered): "
            f"{uncached['requests_per_second']:.1f} req/s"
        )
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
    history = large["history"]
    add(f"(e) History overhead ({history['saves']} saves of an estate each)")
    add(
        f"with history {history['with_history_ms_per_save']:.3f} ms/save, without "
        f"{history['without_history_ms_per_save']:.3f} ms/save, ratio {history['ratio']:.2f}"
    )
    add("")
    db = large["database"]
    add(f"Data at scale 1: database {db['size']}, {db['history_rows']:,} history rows")
    return "\n".join(lines)


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
    result = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "repeat": args.repeat,
    }
    small_db, large_db = DATABASES["small"][0], DATABASES["large"][0]
    say(f"(a) counting queries at scale 0.1 ({small_db}) …")
    result["small"] = measure(small_db, timing=False, repeat=args.repeat)
    say(f"(a, b, e) counting queries and timing at scale 1 ({large_db}) …")
    result["large"] = measure(large_db, timing=True, repeat=args.repeat)
    say("(c) load test under gunicorn …")
    cookie = result["large"].pop("session_cookie")
    result["load"] = load_test(
        large_db,
        cookie,
        {
            "plan_status": result["large"]["queries"]["plan_status"]["url"],
            "meeting_detail": result["large"]["queries"]["meeting_detail"]["url"],
        },
    )
    say("(c) the plan status page again, with the page cache turned off …")
    result["load_uncached"] = load_test(
        large_db,
        cookie,
        {"plan_status": result["large"]["queries"]["plan_status"]["url"]},
        extra_env={"DJANGO_PAGE_CACHE": "0"},
    )
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
