"""Fragments of shared pages, each kept under the versions of its own scopes.

A shared page (:func:`core.pagecache.shared_page`) is rendered afresh whenever one of
its scopes is raised: a new title on one of an agenda's fourteen items makes the whole
agenda a miss. Most of that page has not changed. :func:`cached_fragments` lets a view
keep the parts of its page that stand for one object (an agenda item, a plan's row in
the list, a section fed by one set of rows) under the versions of *that object's*
scopes, so the first reader after a write renders only what the write changed:

    parts = {item.pk: [item_scope(item.pk)] for item in rows}
    html = cached_fragments(request, "agenda-item", parts, render_items)

``render(ids)`` reads and renders the missing parts only and returns ``{id: html}``;
the view reads first what it needs to name the parts (ids, a few columns) and leaves
the expensive reads to ``render``. The same rules as for pages hold, because the key is
built the same way: the versions of the fragment's scopes, ``ref`` and ``access``
(read in one query, *before* ``render`` reads the data, so a fragment can only ever be
stored under versions older than its data, never newer), the reader key, the language,
the day and the page's ``vary`` value. A fragment must depend on nothing else: not on
the URL, the time of day or the user beyond their reader key.

Outside a cacheable rendering (the page cache off, inside a transaction, a page with a
message, a view not wrapped in ``shared_page``) every part is rendered, as if nothing
were cached.
"""

from collections.abc import Callable, Hashable, Iterable

from django.utils.safestring import SafeString, mark_safe

from . import pagecache


def _key(page: dict, name: str, part: Hashable, versions: dict[str, int], scopes) -> str:
    shown = ",".join(f"{scope}={versions[scope]}" for scope in sorted(set(scopes)))
    return ":".join(
        (
            "fragment",
            name,
            page["prefix"],
            f"ref={versions[pagecache.REFERENCE]},access={versions[pagecache.ACCESS]}",
            str(part),
            shown,
        )
    )


def caching(request) -> bool:
    """Whether :func:`cached_fragments` keeps fragments for this request (a cacheable
    rendering of a shared page); when not, it renders every part. A view may read its
    data in one phase then, instead of naming the parts first."""
    return getattr(request, "shared_page_key", None) is not None and getattr(
        request, "render_shared_page", False
    )


def _versions(request, scopes: set[str]) -> dict[str, int]:
    """The versions of ``scopes``, ``ref`` and ``access``: from those this request read
    already (an earlier lookup, or :func:`cached_fragments`' ``ahead``) when they are all
    there, else read now and kept for the next lookup. Versions read earlier are older,
    never newer, than the data read after them, so they are as safe in a key as versions
    read now."""
    wanted = {*scopes, pagecache.REFERENCE, pagecache.ACCESS}
    known = request.__dict__.get("_fragment_versions", {})
    if wanted <= known.keys():
        return known
    current = pagecache.versions(wanted)
    request.__dict__["_fragment_versions"] = current
    return current


def cached_fragments(
    request,
    name: str,
    parts: dict[Hashable, Iterable[str]],
    render: Callable[[list], dict[Hashable, str]],
    *,
    ahead: Iterable[str] = (),
) -> dict[Hashable, SafeString]:
    """``{part: html}`` for every part: from the page cache where its scopes' versions are
    unchanged, from ``render(missing parts)`` otherwise (stored for the next reader).

    ``parts`` maps each part (an id) to the scopes it shows; ``name`` tells fragments of
    different kinds apart (it is part of the key). ``render`` must return HTML that is
    safe to insert as it is (a rendered template). ``ahead`` names scopes whose versions
    to read in the same query, for fragments that ``render`` itself may look up (the
    parts of a part): they then cost no query of their own.
    """
    parts = {part: tuple(scopes) for part, scopes in parts.items()}
    if not parts:
        return {}
    if not caching(request):
        return {part: mark_safe(html) for part, html in render(list(parts)).items()}  # noqa: S308
    shown = {scope for scopes in parts.values() for scope in scopes}
    current = _versions(request, shown | set(ahead))
    page = request.shared_page_key
    keys = {part: _key(page, name, part, current, scopes) for part, scopes in parts.items()}
    store = pagecache.fragment_cache()
    found = store.get_many(list(keys.values()))
    html = {part: found[key] for part, key in keys.items() if key in found}
    missing = [part for part in parts if part not in html]
    if missing:
        rendered = render(missing)
        store.set_many({keys[part]: str(rendered[part]) for part in missing})
        html.update(rendered)
    return {part: mark_safe(html[part]) for part in parts}  # noqa: S308 (rendered templates)
