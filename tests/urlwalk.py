"""Enumerate every route in the URL configuration, with sample arguments filled in."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_VALUES = {
    "int": "1",
    "str": "2009-68440",
    "slug": "biu",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            full_name = f"{namespace}:{name}" if namespace and name else name
            yield full_name, prefix + str(pattern.pattern)


def _sample_path(route: str) -> str:
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "1"), route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + path


def all_routes():
    """(name, sample path) for every route that is not Django's own admin."""
    for name, route in _walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        if "(?P<" in route or "\\" in route:
            continue  # regex routes belong to the admin or static serving
        yield name, _sample_path(route)
