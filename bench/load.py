"""The load tests of ``bench/run.py``: gunicorn, readers (wrk or Python threads) and a writer.

- :class:`Server` runs gunicorn on 127.0.0.1 with the benchmark's settings.
- :func:`read` loads URLs with a session cookie, each URL its own client (wrk, or
  threads when wrk is missing), all at once, and counts the page cache's answers
  from the ``X-Page-Cache`` header (``hit``/``miss``) and every answer other than 200.
- :class:`Writer` saves plans through HTTP as caseworkers do: it signs in with the
  login form, fetches a plan's edit form and posts it back with its CSRF token, a
  given number of times per second, each time a random plan among many that the
  caseworker's administration leads. A save is counted as made only when the post
  answers 302 to the plan's page.

Only the standard library; the benchmark's Python runs it, Django is not imported.
"""

import http.client
import http.cookiejar
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
LUA = HERE / "page_cache.lua"
HOST = "127.0.0.1"


# -- gunicorn --------------------------------------------------------------------------------


class Server:
    """gunicorn with ``workers`` sync workers on 127.0.0.1:``port``, for a ``with`` block."""

    def __init__(self, *, python: str, env: dict, cwd: Path, port: int, workers: int):
        self.gunicorn = Path(python).parent / "gunicorn"
        if not self.gunicorn.exists():
            raise SystemExit(
                "gunicorn is missing: pip install -e '.[bench]' (make bench does this)"
            )
        self.env, self.cwd, self.port, self.workers = env, cwd, port, workers
        self.base = f"http://{HOST}:{port}"
        self.process = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            [
                str(self.gunicorn),
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{self.base}/log-ind/", timeout=2)  # noqa: S310
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer on {self.base}")

    def __exit__(self, *_exc) -> None:
        """The master stops its workers (SIGTERM: graceful); the group is killed if not."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def check_signed_in(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        if "/log-ind/" in response.geturl():
            raise SystemExit("the load test's session cookie was not accepted")


# -- readers ---------------------------------------------------------------------------------


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "python threads"


def read(urls: dict[str, str], cookie: str, seconds: float, connections: int) -> dict:
    """Load every URL at once for ``seconds``, ``connections`` clients each; per URL:
    requests/s, latency, non-200 answers and the page cache's hits and misses."""
    if shutil.which("wrk"):
        return _wrk(urls, cookie, seconds, connections)
    return _threads(urls, cookie, seconds, connections)


def _wrk(urls: dict[str, str], cookie: str, seconds: float, connections: int) -> dict:
    runs = {
        key: subprocess.Popen(
            [
                shutil.which("wrk"),
                f"-t{min(2, connections)}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "--timeout",  # wrk leaves slower answers out of its latencies: keep them all
                "30s",
                "-s",
                str(LUA),
                "-H",
                f"Cookie: sessionid={cookie}",
                url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key, url in urls.items()
    }
    results = {}
    for key, process in runs.items():
        output, errors = process.communicate()
        if process.returncode:
            raise SystemExit(f"wrk failed on {urls[key]}: {errors.strip()}")
        counts = re.search(r"page-cache hit=(\d+) miss=(\d+) none=(\d+) not200=(\d+)", output)
        hit, miss, none, not200 = (int(n) for n in counts.groups())
        socket = re.search(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
        )
        results[key] = {
            "tool": "wrk",
            "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "latency_p50_ms": _ms(re.search(r"50%\s+([\d.]+)(ms|s|us)", output)),
            "latency_p99_ms": _ms(re.search(r"99%\s+([\d.]+)(ms|s|us)", output)),
            **_cache_counts(hit, miss, none, not200),
            "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
        }
    return results


def _ms(match) -> float | None:
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"ms": 1, "s": 1000, "us": 0.001}[unit], 1)


def _cache_counts(hit: int, miss: int, none: int, not200: int) -> dict:
    return {
        "requests": hit + miss + none,
        "cache_hits": hit,
        "cache_misses": miss,
        "hit_rate": round(hit / (hit + miss), 3) if hit + miss else None,
        "non_200": not200,
    }


def _threads(urls: dict[str, str], cookie: str, seconds: float, connections: int) -> dict:
    """The fallback without wrk: keep-alive connections in threads, ``connections`` per URL."""
    deadline = time.perf_counter() + seconds
    tallies = {key: [] for key in urls}

    def client(key: str, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        tally = {"hit": 0, "miss": 0, "none": 0, "not200": 0, "latencies": []}
        tallies[key].append(tally)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            conn.request("GET", target, headers={"Cookie": f"sessionid={cookie}"})
            response = conn.getresponse()
            response.read()
            tally["latencies"].append((time.perf_counter() - start) * 1000)
            tally["not200"] += response.status != 200
            status = response.getheader("X-Page-Cache")
            tally[status if status in ("hit", "miss") else "none"] += 1
        conn.close()

    threads = [
        threading.Thread(target=client, args=(key, url))
        for key, url in urls.items()
        for _ in range(connections)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    results = {}
    for key, parts in tallies.items():
        total = {name: sum(part[name] for part in parts) for name in ("hit", "miss", "none")}
        latencies = sorted(ms for part in parts for ms in part["latencies"])
        counts = _cache_counts(
            total["hit"], total["miss"], total["none"], sum(part["not200"] for part in parts)
        )
        results[key] = {
            "tool": "python threads",
            "requests_per_second": round(counts["requests"] / elapsed, 1),
            "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "latency_p99_ms": (
                round(latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1)
                if latencies
                else None
            ),
            **counts,
            "socket_errors": 0,
        }
    return results


# -- the writer ------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: each as its attributes and its successful controls, as a
    browser would submit them with the default submit button (named buttons left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": [], "selects": []})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
            self.forms[-1]["selects"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._select["options"] if selected]
            if not chosen and not self._select["multiple"] and self._select["options"]:
                chosen = [self._select["options"][0][0]]  # what a browser sends
            self.forms[-1]["fields"].extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # The HTML parser drops a newline right after <textarea>; so does a browser.
            self.forms[-1]["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None


def _form(html: str, *, form_id: str | None = None, having: str | None = None) -> dict:
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if form_id and form["attrs"].get("id") == form_id:
            return form
        if having and any(name == having for name, _ in form["fields"]):
            return form
    raise RuntimeError(f"no form {form_id or having!r} on the page")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we want to see, not follow


class Caseworker:
    """One signed-in caseworker: its own session and CSRF cookies."""

    def __init__(self, base: str, username: str, password: str):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )
        form = _form(self.get("/log-ind/")[1], having="username")
        fields = dict(form["fields"]) | {"username": username, "password": password}
        status, _body, location = self.post("/log-ind/", list(fields.items()))
        if status != 302 or "/log-ind/" in location:
            raise SystemExit(f"the writer could not sign in as {username} (answer {status})")

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            return error.code, error.read().decode(errors="replace"), error.headers["Location"]

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base + path, data=data))  # noqa: S310


def _budget(text: str) -> Decimal:
    """The Danish amount of the plan form ('12.000.000' or '12.000.000,50')."""
    try:
        return Decimal(text.strip().replace(".", "").replace(",", "."))
    except InvalidOperation as error:
        raise RuntimeError(f"unexpected budget in the plan form: {text!r}") from error


def plan_save(caseworker: Caseworker, plan: int) -> tuple[int, str]:
    """Fetch plan ``plan``'s edit form and post it with the budget moved by 1 kr.

    Up when the budget is even, down when odd, so two saves put it back. Returns the
    answer's status and where it redirects (302 to the plan's page when saved).
    """
    path = f"/planer/{plan}/rediger/"
    status, html, _location = caseworker.get(path)
    if status != 200:
        return status, ""
    fields = _form(html, form_id="plan-form")["fields"]
    changed = []
    for name, value in fields:
        if name == "budget":
            budget = _budget(value)
            value = str(budget + (1 if int(budget) % 2 == 0 else -1))
        changed.append((name, value))
    status, _body, location = caseworker.post(path, changed)
    return status, location


class Writer:
    """Saves plans through HTTP at ``rate`` per second, from :meth:`start` to :meth:`stop`.

    Writes start on a fixed schedule (one every 1/rate s) in a pool of up to ``threads``
    at once, as independent caseworkers would: a slow answer does not delay the next
    write. Each picks a caseworker at random and one of the plans it may edit
    (``plans[username]``), never one being saved at that moment.
    """

    def __init__(self, base: str, plans: dict[str, list[int]], password: str, threads: int = 32):
        self.caseworkers = [
            (Caseworker(base, username, password), pks) for username, pks in plans.items() if pks
        ]
        if not self.caseworkers:
            raise SystemExit("the writer has no plan to edit (BENCH_WRITERS)")
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="writer")
        self.random = random.Random(15)
        self.busy: set[int] = set()
        self.lock = threading.Lock()

    def start(self, rate: float) -> None:
        self.rate = rate
        self.outcomes: list[tuple[int, float, bool]] = []
        self.stopping = threading.Event()
        self.began = time.perf_counter()
        self.scheduler = threading.Thread(target=self._schedule, daemon=True)
        self.scheduler.start()

    def _schedule(self) -> None:
        if self.rate <= 0:
            return
        futures, n = [], 0
        while not self.stopping.is_set():
            # Mid-interval: a window of T seconds holds T × rate writes, not one more.
            due = self.began + (n + 0.5) / self.rate
            if self.stopping.wait(max(0.0, due - time.perf_counter())):
                break
            futures.append(self.pool.submit(self._write_one))
            n += 1
        for future in futures:
            future.cancel()  # due within the window but not started: not made
        for future in futures:
            if not future.cancelled():
                future.result()

    def _write_one(self) -> None:
        caseworker, pks = self.random.choice(self.caseworkers)
        with self.lock:
            free = [pk for pk in pks if pk not in self.busy] or pks
            plan = self.random.choice(free)
            self.busy.add(plan)
        start = time.perf_counter()
        try:
            status, location = plan_save(caseworker, plan)
        except (OSError, RuntimeError, http.client.HTTPException):
            status, location = 0, ""
        finally:
            with self.lock:
                self.busy.discard(plan)
        saved = status == 302 and location.rstrip("/").endswith(f"/planer/{plan}")
        self.outcomes.append((status, (time.perf_counter() - start) * 1000, saved))

    def stop(self) -> dict:
        """Stop scheduling, wait for the writes under way, and say how they went."""
        self.stopping.set()
        elapsed = time.perf_counter() - self.began
        self.scheduler.join()
        saved = [ms for _status, ms, ok in self.outcomes if ok]
        failed = {}
        for status, _ms, ok in self.outcomes:
            if not ok:
                failed[str(status)] = failed.get(str(status), 0) + 1
        return {
            "rate_asked": self.rate,
            "writes": len(self.outcomes),
            "saved": len(saved),
            "failed": failed,
            "writes_per_second": round(len(saved) / elapsed, 2),
            "write_median_ms": round(statistics.median(saved), 1) if saved else None,
            "caseworkers": [caseworker.username for caseworker, _pks in self.caseworkers],
        }

    def close(self) -> None:
        self.pool.shutdown(wait=True)
