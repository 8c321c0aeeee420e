"""Shared read pages: rendered once per kind of reader, served again until data changes.

Politicians and staff read the same status pages, agendas and cases over and over;
rendering them is most of a request's cost. A view decorated with :func:`shared_page`
is rendered once for every *kind of reader* and kept until anything it could show
has changed. Correctness rests on two numbers, never on timeouts:

The generation
    One row in ``config_cachegeneration``, bumped after every committed write to a
    domain table (``cases_*``, ``committees_*``, ``helhedsplaner_*``, ``auth_*``,
    ``config_*``, ``core_*``). Writes are seen by an execute wrapper on every database
    connection (:func:`watch_writes`), so ``QuerySet.update()``, bulk inserts and
    raw SQL count too, not just ``save()``. The bump runs after the commit
    (``on_commit``), so no reader can cache uncommitted data under the new number;
    the writer's own next request already sees it. Every process reads the number
    from the database, so the rendered pages may live in a per-process cache
    (``CACHES["pages"]``) and still never be served stale.

The reader key
    A hash of everything that decides what a user may see on these pages: roles,
    permissions, the committees whose closed items they may read, their
    administration (drafts) and the superuser flag. Two users with equal keys see
    byte-identical pages except for their name in the header and the CSRF token:
    those are rendered as placeholders and filled in on every response. Because
    permissions are part of the key, a page is only ever served to a reader whose
    permission checks would have passed exactly as for the reader it was rendered
    for; a change of role, permission or membership bumps the generation.

When the bump fails
    The write is committed already, so the request must not fail for it: the error
    is logged and the user gets their answer (``bump_after_commit``). But the
    generation did not move, so cached pages would show the old data. This process
    therefore empties its own page cache and marks the bump as owed: until a bump
    succeeds it neither reads nor stores cached pages, and it retries the bump at the
    start of each of its following requests (``retry_failed_bump``, called by
    ``core.middleware.CommitTrackingMiddleware``) and before any shared page. Other
    processes key their pages by the generation in the database, which they cannot
    know is owed: until this process's next request bumps it (or any process's next
    write does), they may serve pages rendered before the write. That window is as
    short as the time to this process's next request; a database that cannot take the
    one-row update is usually failing the other process's generation read as well,
    which then renders afresh. ``CONN_HEALTH_CHECKS`` replaces a dead connection
    before the retry uses it.

Nothing is cached inside a transaction (``connection.in_atomic_block``): it may
hold uncommitted writes. Views run in autocommit (``ATOMIC_REQUESTS`` is off), so
that costs production nothing; tests that exercise the cache use transactional
tests. Pages with a pending message, non-200 answers and answers that set
cookies are never stored.
"""

import hashlib
import logging
import re
import threading
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import escape

CSRF_PLACEHOLDER = "hp-page-cache-csrf-token-placeholder"
NAME_PLACEHOLDER = "hp-page-cache-user-name-placeholder"
TABLE = "config_cachegeneration"
# Says whether a shared page came from the cache ("hit") or was rendered ("miss"): the
# benchmark counts cache hits from it; it tells nothing about the page's content.
STATUS_HEADER = "X-Page-Cache"
TRACKED_PREFIXES = ("cases_", "committees_", "helhedsplaner_", "auth_", "config_", "core_")
# Every form of write Django sends: SQLite's INSERT OR IGNORE (many-to-many add,
# bulk_create(ignore_conflicts=True)) and REPLACE included.
WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM"
    r'|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)',
    re.IGNORECASE,
)
BUMP_SQL = (
    f"INSERT INTO {TABLE} (id, value) VALUES (1, 1) "  # noqa: S608 (fixed table name)
    f"ON CONFLICT (id) DO UPDATE SET value = {TABLE}.value + 1"
)
READ_SQL = f"SELECT value FROM {TABLE} WHERE id = 1"  # noqa: S608
# Signing in stamps auth_user.last_login, which no page shows: not worth a new generation.
LAST_LOGIN_ONLY = re.compile(
    r'^\s*UPDATE\s+"?auth_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE', re.I
)


logger = logging.getLogger(__name__)


def _pages():
    return caches["pages"]


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


# -- the generation ---------------------------------------------------------------------------


def generation() -> int:
    """The current generation (0 before the first write)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(READ_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


def bump() -> None:
    """Start a new generation. Called after commits; bulk loaders may call it directly.

    Data migrations write before this table exists: then there is nothing to bump.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        if connection.in_atomic_block:
            with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cursor:
                cursor.execute(BUMP_SQL)
        else:
            with connection.cursor() as cursor:
                cursor.execute(BUMP_SQL)
    except DatabaseError:
        if TABLE in connection.introspection.table_names():
            raise


# Bumps that failed after their commit, and how many of them a later successful bump
# covers (one that started after them). A bump is owed while failed > covered.
_bump_lock = threading.Lock()
_bumps_failed = 0
_bumps_covered = 0


def bump_owed() -> bool:
    return _bumps_failed > _bumps_covered


def bump_after_commit() -> None:
    """Bump after a commit without ever failing the request that committed."""
    global _bumps_failed, _bumps_covered
    with _bump_lock:
        failed_before = _bumps_failed
    try:
        bump()
    except DatabaseError:
        with _bump_lock:
            _bumps_failed += 1
        _pages().clear()
        logger.exception(
            "The page cache generation could not be bumped after a commit; "
            "this process bypasses its page cache until a bump succeeds."
        )
    else:
        with _bump_lock:
            _bumps_covered = max(_bumps_covered, failed_before)


def retry_failed_bump() -> bool:
    """Pay an owed bump if there is one; True when (afterwards) no bump is owed."""
    if not bump_owed():
        return True
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False  # the bump must not join a transaction that may roll back
    bump_after_commit()
    return not bump_owed()


def _untracked_tables() -> frozenset[str]:
    """The generation's own table and database cache tables (cache writes are not data)."""
    tables = {TABLE}
    for options in settings.CACHES.values():
        if options.get("BACKEND", "").endswith("DatabaseCache"):
            tables.add(options["LOCATION"].lower())
    return frozenset(tables)


def is_tracked(sql: str) -> bool:
    """Whether ``sql`` writes to a table the page cache watches."""
    match = WRITE.match(sql)
    if not match:
        return False
    table = match.group(1).lower()
    return (
        table.startswith(TRACKED_PREFIXES)
        and table not in _untracked_tables()
        and not LAST_LOGIN_ONLY.match(sql)
    )


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: after a write to a tracked table, bump once the data is committed."""
    result = execute(sql, params, many, context)
    connection = context["connection"]
    if connection.alias == DEFAULT_DB_ALIAS and isinstance(sql, str) and is_tracked(sql):
        if not connection.in_atomic_block:
            bump_after_commit()  # autocommit: the statement is committed already
        elif not any(entry[1] is bump_after_commit for entry in connection.run_on_commit):
            transaction.on_commit(bump_after_commit, using=connection.alias)
    return result


def install(sender=None, connection=None, **_kwargs) -> None:
    """``connection_created`` receiver: watch every new connection for writes."""
    if connection is not None and watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


# -- the reader --------------------------------------------------------------------------------


# Functions ``user -> tuple`` that add to the reader key what a higher app knows about the
# user's reach (the committees app adds the user's committees and administration). They
# register from their app's ``ready()``, so this module imports no app above it.
_reader_parts = []


def reader_part(function):
    """Register ``function(user) -> tuple`` as part of every reader key (idempotent)."""
    if function not in _reader_parts:
        _reader_parts.append(function)
    return function


def reader_key(user, generation_now: int) -> str:
    """What decides what ``user`` may see on a shared page, as a short hash (memoised per
    generation and day, since memberships start and end on dates)."""
    from core.roles import user_roles

    memo_key = f"reader:{user.pk}:{generation_now}:{timezone.localdate().isoformat()}"
    key = _pages().get(memo_key)
    if key is None:
        parts = (
            user.is_active,
            user.is_superuser,
            sorted(user_roles(user)),
            sorted(user.get_all_permissions()),
            *(part for function in _reader_parts for part in function(user)),
        )
        key = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
        _pages().set(memo_key, key)
    return key


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


# -- the decorator -----------------------------------------------------------------------------


def _may_use_cache(request) -> bool:
    return (
        enabled()
        and request.method == "GET"
        and request.user.is_authenticated
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        and not len(messages.get_messages(request))
        and retry_failed_bump()
    )


def _personalise(request, content: bytes) -> bytes:
    text = content.decode()
    if CSRF_PLACEHOLDER in text:
        text = text.replace(CSRF_PLACEHOLDER, get_token(request))
    return text.replace(NAME_PLACEHOLDER, escape(display_name(request.user))).encode()


def shared_page(view=None, *, vary=None):
    """Serve ``view``'s page from the page cache to readers of the same kind (see above).

    Use it only on read views whose page depends on nothing but the URL, the data,
    the language, the day and the reader key; put it outermost, above the permission
    decorators (the reader key includes the permissions they check). A page that also
    depends on the time of day passes ``vary``: a function of the request whose value
    changes whenever the page would (``@shared_page(vary=...)``).
    """
    if view is None:
        return lambda view: shared_page(view, vary=vary)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        generation_now = generation()
        path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = ":".join(
            (
                "page",
                str(generation_now),
                timezone.localdate().isoformat(),
                translation.get_language() or settings.LANGUAGE_CODE,
                reader_key(request.user, generation_now),
                path_hash,
                str(vary(request)) if vary else "",
            )
        )
        stored = _pages().get(key)
        if stored is not None:
            content_type, content = stored
            response = HttpResponse(_personalise(request, content), content_type=content_type)
            response[STATUS_HEADER] = "hit"
            return response
        request.render_shared_page = True
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.render_shared_page = False
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        if response.status_code == 200 and not response.cookies:
            _pages().set(key, (response["Content-Type"], response.content))
        response.content = _personalise(request, response.content)
        response[STATUS_HEADER] = "miss"
        return response

    wrapper.shared_page = True
    return wrapper
