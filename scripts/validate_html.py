"""Check the product's pages with the W3C Nu HTML checker (vnu.jar), as each demo role.

    npm install --prefix /tmp/vnu vnu-jar            # once; needs Java 11 or newer
    .venv/bin/python scripts/validate_html.py        # demo in a temporary SQLite database
    .venv/bin/python scripts/validate_html.py --url http://127.0.0.1:8000   # a running server

Signs in as sagsbehandler, sekretaer, politiker and admin, walks one page per route reachable
by links from the dashboard (core.pagewalk: same-origin GET; no sign-out, PDFs, downloads or
calendar feeds), writes each page to --out and runs ``java -jar vnu.jar --errors-only
--format json`` on them. Prints the errors per page and a total; exits 1 when there are any.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["sagsbehandler", "sekretaer", "politiker", "admin"]
PASSWORD = "helhedsplan-demo"
DEFAULT_JAR = "/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar"  # noqa: S108 (the npm --prefix)


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Response:
    def __init__(self, status, headers, content):
        self.status_code, self._headers, self.content = status, headers, content

    def __getitem__(self, name):
        return self._headers.get(name, "")

    def get(self, name, default=""):
        return self._headers.get(name, default)


class ServerClient:
    """The little of Django's test client that the walk needs, over HTTP to a server."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def _open(self, request):
        try:
            with self.opener.open(request) as response:
                return _Response(response.status, response.headers, response.read())
        except HTTPError as error:
            return _Response(error.code, error.headers, error.read())

    def get(self, path):
        return self._open(Request(self.base + path))  # noqa: S310 (--url: http or https)

    def post(self, path, data):
        page = self.get(path).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(
            Request(self.base + path, data=body, headers={"Referer": self.base + path})  # noqa: S310
        )


def _local_clients():
    """Django's test client over the demo, loaded into a temporary SQLite database."""
    tmp = tempfile.mkdtemp(prefix="validate-html-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    print("Loading the demo into", tmp, file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0, stdout=sys.stderr)
    return lambda: Client(HTTP_HOST="127.0.0.1")


def _sign_in(client, role):
    response = client.post("/log-ind/", {"username": role, "password": PASSWORD})
    if response.status_code != 302:
        sys.exit(f"Signing in as {role} failed (HTTP {response.status_code})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server instead of a temporary demo database")
    parser.add_argument("--jar", default=os.environ.get("VNU_JAR", DEFAULT_JAR))
    parser.add_argument("--out", default=str(ROOT / "build" / "html"))
    parser.add_argument("--role", action="append", choices=ROLES, help="default: all four")
    args = parser.parse_args()
    if not Path(args.jar).exists():
        sys.exit(f"{args.jar} is missing: npm install --prefix /tmp/vnu vnu-jar")

    if args.url:
        new_client = lambda: ServerClient(args.url)  # noqa: E731
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()  # core.pagewalk resolves paths to route names
    else:
        new_client = _local_clients()
    from core.pagewalk import walk

    out = Path(args.out)
    pages = {}  # file -> (role, path)
    for role in args.role or ROLES:
        client = new_client()
        _sign_in(client, role)
        folder = out / role
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.html"):
            old.unlink()
        for route, path, html in walk(client):
            target = folder / (re.sub(r"[^A-Za-z0-9_.-]+", "_", route) + ".html")
            target.write_text(html, encoding="utf-8")
            pages[str(target.resolve())] = (role, path)
    if not pages:
        sys.exit("No pages were found")

    command = ["java", "-jar", args.jar, "--errors-only", "--format", "json", *pages]
    checked = subprocess.run(  # noqa: S603, S607 (Java on the PATH, on our own files)
        command,
        capture_output=True,
        text=True,
    )
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    per_page = {file: [] for file in pages}
    for message in messages:
        file = message.get("url", "").removeprefix("file:")
        per_page.setdefault(file, []).append(message)

    per_role = {}
    for file, errors in per_page.items():
        role, path = pages.get(file, ("?", file))
        per_role.setdefault(role, [0, 0])
        per_role[role][0] += 1
        per_role[role][1] += len(errors)
        for error in errors:
            print(f"{role} {path}:{error.get('lastLine', '?')}: {error.get('message')}")
            if error.get("extract"):
                print("    " + error["extract"].replace("\n", " ").strip())
    total = 0
    for role, (count, errors) in per_role.items():
        print(f"{role}: {count} pages, {errors} errors")
        total += errors
    print(f"Total: {len(pages)} pages, {total} errors")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
