"""Walk the product's pages the way a user can reach them: from the dashboard, following
links (same-origin GET), one URL per route. Used by ``scripts/validate_html.py`` (the W3C
Nu checker over every page) and by ``tests/core/test_html_validity.py`` (the same walk,
checked in Python).

Skipped: signing out, PDFs, downloads (attachments, CSV/XLSX exports), calendar feeds,
static and media files, and the Django admin (not the product's own pages)."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

SKIP_PREFIXES = ("/log-ud/", "/pdf/", "/static/", "/media/", "/admin/")
SKIP_SUFFIXES = (".pdf", ".ics", ".csv", ".xlsx", ".xls", ".zip")
SKIP_ROUTES = {"cases:attachment_download"}
SAME_ORIGIN_HOSTS = {"", "127.0.0.1", "localhost", "testserver"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str, base_path: str) -> list[str]:
    """The same-origin paths (with their query, without the fragment) that ``html`` links to."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(href)
        if parts.scheme and parts.scheme not in ("http", "https"):
            continue
        if (parts.hostname or "") not in SAME_ORIGIN_HOSTS:
            continue
        path = parts.path
        if not path:  # "?page=2": the same page, another query
            path = base_path
        elif not path.startswith("/"):
            path = base_path.rsplit("/", 1)[0] + "/" + path
        found.append(path + (f"?{parts.query}" if parts.query else ""))
    return found


def route_of(path: str) -> str | None:
    """The route's name ("cases:case_detail"), or None for a page to skip."""
    bare = path.split("?", 1)[0]
    if bare.startswith(SKIP_PREFIXES) or bare.lower().endswith(SKIP_SUFFIXES):
        return None
    try:
        match = resolve(bare)
    except Resolver404:
        return None
    name = match.view_name or match.route
    if name in SKIP_ROUTES:
        return None
    return name


def walk(client, start: str = "/", limit: int = 1000):
    """Yield ``(route, path, html)`` for one page per route reachable from ``start``.
    ``client`` is a signed-in Django test client (``HTTP_HOST`` set as the settings allow)."""
    seen_routes: set[str] = set()
    tries: dict[str, int] = {}
    visited: set[str] = set()
    queue = deque([start])
    while queue and len(seen_routes) < limit:
        path = queue.popleft()
        route = route_of(path)
        if route is None or route in seen_routes or path in visited:
            continue
        if tries.get(route, 0) >= 3:  # three of its links led elsewhere: not this user's
            continue
        visited.add(path)
        tries[route] = tries.get(route, 0) + 1
        response = client.get(path)
        if response.status_code != 200:
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        if "attachment" in response.get("Content-Disposition", ""):
            continue
        seen_routes.add(route)
        html = response.content.decode("utf-8")
        yield route, path, html
        for link in links(html, path.split("?", 1)[0]):
            if route_of(link) not in seen_routes:
                queue.append(link)
