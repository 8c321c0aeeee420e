"""Shared read pages: rendered once per kind of reader, served again until what they show changes.

Politicians and staff read the same status pages, agendas and cases over and over;
rendering them is most of a request's cost. A view decorated with :func:`shared_page`
is rendered once for every *kind of reader* and kept until one of the objects it
shows has changed. Correctness rests on version numbers in the key, never on
timeouts, and a write needs no invalidation pass: it raises the versions of what it
changed, and the pages keyed by the old numbers are simply never asked for again.

Scopes and their versions
    A *scope* names what a page shows: ``plan:34`` (one plan's pages), ``meeting:19804``
    (one agenda), ``case:2019-0077034``, ``item:17``, ``plans`` (the plan list: any
    plan), ``agenda`` (any change to what agendas show: an agenda item or anything of
    it, a meeting, a plan's name on or link to an item; not a commitment that an item
    granted, whose change raises that item's scopes but alters no agenda list: the
    front page's lists of items keep their fragments under it, see ``AGENDA_MODELS``),
    ``all`` (any data: the front page, search) and ``ref`` (reference data that
    every page may name: committees, administrations, areas …). Each has a version in
    ``core_cachescope`` (no row: version 0). A page's key holds the versions of its
    scopes, read in one query together with ``ref`` and ``access``. A write to plan A
    raises ``plan:A``, ``plans`` and ``all``: plan B's status page and another
    committee's agenda keep their keys and stay cached.

Which write raises which scopes
    Each app says it for its own models (``<app>/cachescopes.py``, registered from its
    ``ready()`` with :func:`register`): a co-financing commitment raises its plan's scope
    and those of the agenda item that granted it, an agenda item its meeting, its case,
    its case's items and its plans, a published meeting every case and plan on it.
    Saves, deletes (before the rows go, so relations are still there to follow, and
    before and after a save, so an item moved to another meeting raises both) and
    many-to-many changes are seen through Django's signals. Code that writes past the
    signals (``QuerySet.update()``, ``bulk_create``) says what it changed with
    :func:`changed`.

``access``: the one global version
    Kept for what changes who may see what: users, groups, permissions, committee
    memberships and people (``ACCESS_TABLES``), seen by an execute wrapper on every
    connection (:func:`watch_writes`), so any form of write to them counts. It is in
    every page key and in the memo of every reader key. The same wrapper is the safety
    net for everything else: a transaction that writes a data table that nobody
    accounted for (raw SQL, ``QuerySet.update()`` without :func:`changed`) raises
    ``access`` as well, so it can never leave a page stale; it only costs the cache.

After the commit
    The versions are raised after the transaction commits (``on_commit``), in one
    statement: a reader can never cache uncommitted data under a new number, and
    concurrent writers never queue on a shared counter row. A reader that renders
    between the commit and the raise stores new data under the old number, which is
    harmless. Functions registered with :func:`after_commit` run first (the dashboard's
    per-plan figures are refreshed there, see ``helhedsplaner.dashboard.figures``).

When raising fails
    The write is committed already, so the request must not fail for it: the error is
    logged and the user gets their answer. This process empties its own page cache and
    keeps the scopes as owed: until they are raised it neither reads nor stores cached
    pages, and it retries at the start of each following request
    (``retry_failed_bump``, called by ``core.middleware.CommitTrackingMiddleware``) and
    before any shared page. Other processes cannot know: until this process's next
    request (or any process's next write to the same scopes) they may serve pages
    rendered before the write. ``CONN_HEALTH_CHECKS`` replaces a dead connection first.

The reader key
    A hash of everything that decides what a user may see on these pages: roles,
    permissions, the committees whose closed items they may read, their administration
    (drafts) and the superuser flag. Two users with equal keys see byte-identical pages
    except for their name in the header and the CSRF token: those are rendered as
    placeholders and filled in on every response.

One render per change, not one per worker
    The pages live in ``CACHES["pages"]``: per process by default, in Redis when
    ``DJANGO_CACHE_URL`` is set, so N workers on M machines render a page once per
    change. When many readers ask for a page whose key just changed, one renders it and
    the others wait for that rendering (up to ``RENDER_WAIT`` seconds, then they render
    themselves) instead of all rendering at once.

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
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import escape

from . import roles

CSRF_PLACEHOLDER = "hp-page-cache-csrf-token-placeholder"
NAME_PLACEHOLDER = "hp-page-cache-user-name-placeholder"
TABLE = "core_cachescope"
# Says whether a shared page came from the cache ("hit") or was rendered ("miss"): the
# benchmark counts cache hits from it; it tells nothing about the page's content.
STATUS_HEADER = "X-Page-Cache"

ACCESS = "access"
REFERENCE = "ref"
ALL = "all"
PLANS = "plans"
AGENDA = "agenda"
# What ``agenda`` stands for: the rows of the cases app (items, cases, points,
# attachments, decisions, votes, corrections, agenda versions, inquiries), meetings and
# their absences, and plans (named on the items that concern them). Not what merely
# names an item: a co-financing commitment raises the scopes of the item that granted
# it (its pages show the commitment), but no agenda list changes with it.
AGENDA_APPS = frozenset({"cases"})
AGENDA_MODELS = frozenset({"committees.meeting", "committees.meetingabsence", "helhedsplaner.plan"})

DATA_PREFIXES = ("cases_", "committees_", "helhedsplaner_")
# What decides who may see what: any write to these raises ``access``.
ACCESS_TABLES = re.compile(r"^(auth_\w+|committees_membership|committees_person)$")
# Tables no page shows: history (shown only on history pages, which are not cached),
# the case-number counters, the calendar feeds' secret tokens, the meetings' PDFs
# rendered in the background (served by their own views, never in a cached page,
# cases.rendering); the indicator imports under way (their page is the uploader's own,
# never cached; the values they save are, and say so: helhedsplaner.indicators.services);
# and the front page's
# stored figures, which are derived data: refreshed after a commit, before the scopes
# of the write they follow from are raised (``after_commit``).
UNSHOWN_TABLES = re.compile(
    r"^(\w+_historical\w+|cases_casenumbersequence|cases_renderedfile|committees_calendarfeed"
    r"|helhedsplaner_indicatorimport|helhedsplaner_planfigures\w*)$"
)
# Every form of write Django sends: SQLite's INSERT OR IGNORE (many-to-many add,
# bulk_create(ignore_conflicts=True)) and REPLACE included.
WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM"
    r'|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)',
    re.IGNORECASE,
)
# Raising versions: one statement for all scopes of a transaction (rows made on first use).
TOUCH_SQL = (
    f"INSERT INTO {TABLE} (scope, version) VALUES {{values}} "  # noqa: S608 (fixed table)
    f"ON CONFLICT (scope) DO UPDATE SET version = {TABLE}.version + 1"
)
READ_SQL = f"SELECT scope, version FROM {TABLE} WHERE scope IN ({{marks}})"  # noqa: S608
# Signing in stamps auth_user.last_login, which no page shows: not worth a new version.
LAST_LOGIN_ONLY = re.compile(
    r'^\s*UPDATE\s+"?auth_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE', re.I
)
RENDER_WAIT = 2.0  # seconds a reader waits for another's rendering of the same page
RENDER_POLL = 0.02

logger = logging.getLogger(__name__)


def _pages():
    return caches["pages"]


def fragment_cache():
    """Where pages and their fragments (``core.fragments``) are kept."""
    return _pages()


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


# -- versions ----------------------------------------------------------------------------------


def versions(scopes: Iterable[str]) -> dict[str, int]:
    """The current version of each scope (0 for a scope never raised), in one query."""
    scopes = sorted(set(scopes))
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(READ_SQL.format(marks=", ".join(["%s"] * len(scopes))), scopes)
        found = dict(cursor.fetchall())
    return {scope: found.get(scope, 0) for scope in scopes}


def generation() -> int:
    """The version of ``access`` (what decides who may see what; 0 before the first raise)."""
    return versions([ACCESS])[ACCESS]


def _raise(scopes: Iterable[str]) -> None:
    """Raise the versions of ``scopes`` by one (in sorted order: no deadlock between two
    writers). Data migrations write before the table exists: then there is nothing to do."""
    scopes = sorted(set(scopes))
    if not scopes:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    sql = TOUCH_SQL.format(values=", ".join(["(%s, 1)"] * len(scopes)))
    try:
        if connection.in_atomic_block:
            with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cursor:
                cursor.execute(sql, scopes)
        else:
            # One statement commits by itself (and may run while the watched statement's
            # cursor is still open, which a COMMIT could not).
            with connection.cursor() as cursor:
                cursor.execute(sql, scopes)
    except DatabaseError:
        if TABLE in connection.introspection.table_names():
            raise


def raise_now(*scopes: str) -> None:
    """Raise ``scopes`` now (committed at once in autocommit), without the after-commit
    hooks: for a counter that derived data keeps in this table (``versions`` reads it)."""
    _raise(scopes)


def bump() -> None:
    """Raise ``access``: every cached page is rendered afresh. For writes made outside
    Django (``invalidate_caches``) and bulk loaders that bypass the signals."""
    _raise([ACCESS])


# -- what a write changed ------------------------------------------------------------------------

# model -> function(list of instances) -> set of scopes their pages show. Registered by
# each app from ready() (this module imports no app above it).
_scopes_of: dict[type, Callable] = {}
# model -> function(instances) -> the scopes a link to or from them (many-to-many) raises.
_link_scopes_of: dict[type, Callable] = {}
# Models whose rows every page may name (committees, administrations, areas …): they raise
# ``ref``, and a link to one of them raises only the scopes of the other side.
_reference: set[type] = set()
# model -> (function(instances) -> scopes of other objects' pages that show these rows,
# the fields those pages show): see register(others=...).
_others_of: dict[type, tuple[Callable, tuple[str, ...]]] = {}
# Functions run after a commit, before the versions are raised: see after_commit().
_after_commit: list[Callable] = []


def register(
    model,
    scopes_of: Callable[[list], set[str]],
    *,
    follow_moves: bool = True,
    linked: Callable[[list], set[str]] | None = None,
    others: Callable[[list], set[str]] | None = None,
    others_show: tuple[str, ...] = (),
) -> None:
    """Say which scopes a change to ``model``'s rows raises; see ``<app>/cachescopes.py``.

    ``scopes_of(instances)`` gets instances of ``model`` (as saved, or as in the database
    before a save or delete) and returns the scopes of every page that shows them.
    With ``follow_moves`` (the default), a save also raises the scopes of the row as it
    was before (an item moved to another meeting changes both agendas); a model whose
    scopes do not depend on its row (reference data) passes False and saves a query.
    ``linked(instances)`` gives the scopes a many-to-many link to or from these rows
    raises, when that is less than a change to the rows themselves (a plan linked to an
    item changes the plan's pages, not the agendas of the plan's other items).
    ``others(instances)`` gives the scopes of *other* objects' pages that show a few of
    these rows' fields, ``others_show`` (a plan's name on the agenda items that concern
    it): a save raises them only when one of those fields changes (with ``follow_moves``;
    without it, always); a new row, a delete and :func:`changed` always raise them.
    """
    _scopes_of[model] = scopes_of
    if linked is not None:
        _link_scopes_of[model] = linked
    if others is not None:
        _others_of[model] = (others, tuple(others_show))
    _register_signals(model, follow_moves=follow_moves)


def register_reference(*models) -> None:
    """Register reference data: a change to these rows raises ``ref`` (every page)."""
    for model in models:
        _scopes_of[model] = lambda _instances: {REFERENCE}
        _reference.add(model)
        _register_signals(model, follow_moves=False)


def _register_signals(model, *, follow_moves: bool) -> None:
    uid = f"pagecache-{model._meta.label_lower}"
    if follow_moves:
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre-save")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post-save")
    pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}-pre-delete")
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}-{through}-m2m")


def after_commit(function: Callable[[set[str], set[str]], None]) -> Callable:
    """Register ``function(scopes, unaccounted)`` to run after each commit that raises
    scopes, before they are raised (idempotent). ``unaccounted`` names the data tables
    the transaction wrote without saying what it changed (see ``changed``): a function
    that keeps figures derived from them must then recompute all of them."""
    if function not in _after_commit:
        _after_commit.append(function)
    return function


def registered_models() -> frozenset:
    return frozenset(_scopes_of)


def scopes_of(model, instances) -> set[str]:
    """The scopes ``instances`` of ``model`` show up in (what a change to them raises),
    other objects' pages that show some of their fields included (``register(others=)``)."""
    return _own_scopes(model, instances) | _others_scopes(model, instances)


def _own_scopes(model, instances) -> set[str]:
    """:func:`scopes_of` without the pages of other objects that show a few fields."""
    instances = [instance for instance in instances if instance is not None]
    if not instances or model not in _scopes_of:
        return set()
    return _with_implied(_scopes_of[model](instances), model)


def _others_scopes(model, instances) -> set[str]:
    """The scopes of other objects' pages that show ``instances`` (register(others=...))."""
    instances = [instance for instance in instances if instance is not None]
    if not instances or model not in _others_of:
        return set()
    return _with_implied(_others_of[model][0](instances), model)


def _with_implied(scopes, model=None) -> set[str]:
    """Every change shows on the front page and in search (``all``); a plan's, in the list;
    a change to what agendas show (see AGENDA_MODELS) that reaches an item or a meeting,
    in ``agenda``."""
    scopes = set(scopes) | {ALL}
    if any(scope.startswith("plan:") for scope in scopes):
        scopes.add(PLANS)
    if (
        model is not None
        and (model._meta.app_label in AGENDA_APPS or model._meta.label_lower in AGENDA_MODELS)
        and any(scope.startswith(("item:", "meeting:")) for scope in scopes)
    ):
        scopes.add(AGENDA)
    return scopes


def plan_scope(pk) -> str:
    return f"plan:{pk}"


def meeting_scope(pk) -> str:
    return f"meeting:{pk}"


def case_scope(number) -> str:
    return f"case:{number}"


def item_scope(pk) -> str:
    return f"item:{pk}"


@dataclass
class _Transaction:
    """What the current transaction on a connection wrote and accounted for."""

    scopes: set = field(default_factory=set)
    written: set = field(default_factory=set)
    accounted: set = field(default_factory=set)
    everything: bool = False


def _state(connection) -> _Transaction:
    """This transaction's record, registering its settlement on commit the first time.

    A rolled-back transaction's ``on_commit`` callbacks are dropped, and so is its record:
    a record whose settlement is no longer pending belongs to a finished transaction.
    """
    state = getattr(connection, "_page_cache_transaction", None)
    settle = getattr(connection, "_page_cache_settle", None)
    pending = settle is not None and any(entry[1] is settle for entry in connection.run_on_commit)
    if state is None or not pending:
        state = _Transaction()
        connection._page_cache_transaction = state

        def settle(state=state):
            connection._page_cache_transaction = None
            _settle(state)

        connection._page_cache_settle = settle
        transaction.on_commit(settle, using=connection.alias)
    return state


def _settle(state: _Transaction) -> None:
    scopes = set(state.scopes)
    unaccounted = state.written - state.accounted
    if state.everything or unaccounted:
        scopes.add(ACCESS)
    if scopes:
        raise_after_commit(scopes, unaccounted)


def _record(model, scopes: set[str], tables: Iterable[str] = ()) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        # Signals outside a transaction: the statement is committed already.
        raise_after_commit(scopes)
        return
    state = _state(connection)
    state.scopes |= scopes
    state.accounted.add(model._meta.db_table.lower())
    state.accounted.update(table.lower() for table in tables)


def touch(*scopes: str) -> None:
    """Raise ``scopes`` after the current transaction commits (at once in autocommit): for
    writes that no model row stands for (a recomputation of derived figures, say)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        _state(connection).scopes.update(scopes)
    else:
        raise_after_commit(scopes)


def changed(*instances, model=None, fields=None) -> None:
    """Say that ``instances`` were written past the signals (``QuerySet.update()``,
    ``bulk_create``): their scopes are raised after the commit, and the writes to their
    table do not count as unaccounted. Call it inside the writing transaction. ``fields``
    names the columns written, when known: unless one of them is shown on other objects'
    pages (``register(others_show=)``), those pages are left alone."""
    instances = [instance for instance in instances if instance is not None]
    if not instances:
        return
    model = model or type(instances[0])
    if fields is not None and not set(fields) & set(_others_of.get(model, (None, ()))[1]):
        _record(model, _own_scopes(model, instances))
    else:
        _record(model, scopes_of(model, instances))


def _stored(instance):
    """The row of ``instance`` as it is in the database now (None if new)."""
    if instance._state.adding or instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).first()


def _before_save(sender, instance, raw=False, **_kwargs):
    if raw:
        return
    stored = _stored(instance)
    scopes = _own_scopes(sender, [stored])
    if sender in _others_of:
        # Other objects' pages show a few fields: only a change to one of them reaches them.
        shown = _others_of[sender][1]
        instance._page_cache_others = stored is None or any(
            getattr(stored, name) != getattr(instance, name) for name in shown
        )
        if instance._page_cache_others:
            scopes |= _others_scopes(sender, [stored])
    _record(sender, scopes)


def _after_save(sender, instance, raw=False, created=False, **_kwargs):
    if raw:
        return
    scopes = _own_scopes(sender, [instance])
    if created or getattr(instance, "_page_cache_others", True):
        scopes |= _others_scopes(sender, [instance])
    instance.__dict__.pop("_page_cache_others", None)
    _record(sender, scopes)


def _m2m_tables(model) -> set[str]:
    """The join tables that go with ``model``'s rows when they are deleted."""
    tables = {m2m.remote_field.through._meta.db_table for m2m in model._meta.many_to_many}
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            tables.add(relation.through._meta.db_table)
    return tables


def _before_delete(sender, instance, **_kwargs):
    # Relations are followed now, while the rows are there (a delete runs in a
    # transaction, so the scopes are raised after it commits). The join tables of the
    # row's many-to-many links go with it.
    _record(sender, scopes_of(sender, [instance]), tables=_m2m_tables(sender))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **_kwargs):
    if action not in ("pre_clear", "post_add", "post_remove"):
        return
    owner = type(instance)
    if action == "pre_clear":
        # The links are about to go: find what they lead to now.
        pk_set = set(
            sender._base_manager.filter(**{_through_field(sender, owner): instance.pk}).values_list(
                _through_field(sender, model), flat=True
            )
        )
    # A link changes the pages of both sides; linking to reference data (a plan's
    # participating administrations) changes only the other side's pages.
    scopes = set() if owner in _reference else _link_scopes(owner, [instance])
    if pk_set and model not in _reference:
        scopes |= _link_scopes(model, list(model._base_manager.filter(pk__in=pk_set)))
    if not scopes:
        scopes = {REFERENCE}
    _record(owner, scopes, tables=[sender._meta.db_table])


def _link_scopes(model, instances) -> set[str]:
    if model not in _link_scopes_of:
        return scopes_of(model, instances)
    return _with_implied(_link_scopes_of[model](instances), model)


def _through_field(through, model) -> str:
    """The name of ``through``'s foreign key to ``model`` (``<field>_id``)."""
    for model_field in through._meta.fields:
        if model_field.is_relation and model_field.related_model is model:
            return model_field.attname
    raise LookupError(f"{through} has no key to {model}")


# -- raising after the commit, and what happens when it fails ---------------------------------

# Scopes (and unaccounted tables) whose raise failed after their commit; raised by a later
# successful attempt.
_owed_lock = threading.Lock()
_owed: set[str] = set()
_owed_tables: set[str] = set()


def bump_owed() -> bool:
    return bool(_owed)


def _owe(scopes: set[str], unaccounted: set[str]) -> None:
    with _owed_lock:
        _owed.update(scopes)
        _owed_tables.update(unaccounted)


def raise_after_commit(scopes: Iterable[str], unaccounted: Iterable[str] = ()) -> None:
    """Run the after-commit functions and raise ``scopes`` without ever failing the
    request that committed (see "When raising fails")."""
    scopes, unaccounted = set(scopes), set(unaccounted)
    with _owed_lock:
        scopes |= _owed
        unaccounted |= _owed_tables
    try:
        for function in _after_commit:
            function(scopes, unaccounted)
        _raise(scopes)
    except DatabaseError:
        with _owed_lock:
            _owed.update(scopes)
            _owed_tables.update(unaccounted)
        _pages().clear()
        logger.exception(
            "Cached-page versions could not be raised after a commit; "
            "this process bypasses its page cache until they are."
        )
    else:
        with _owed_lock:
            _owed.difference_update(scopes)
            _owed_tables.difference_update(unaccounted)


def retry_failed_bump() -> bool:
    """Pay owed raises if there are any; True when (afterwards) nothing is owed."""
    if not bump_owed():
        return True
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False  # the raise must not join a transaction that may roll back
    raise_after_commit(set())
    return not bump_owed()


# -- the write watcher: access tables, and the safety net -------------------------------------


def _untracked_tables() -> frozenset[str]:
    """The versions' own table and database cache tables (cache writes are not data)."""
    tables = {TABLE}
    for options in settings.CACHES.values():
        if options.get("BACKEND", "").endswith("DatabaseCache"):
            tables.add(options["LOCATION"].lower())
    return frozenset(tables)


def _written_table(sql: str) -> str | None:
    """The table ``sql`` writes to, if it is one a page could show or one of ``access``."""
    match = WRITE.match(sql)
    if not match:
        return None
    table = match.group(1).lower()
    if ACCESS_TABLES.match(table):
        return None if LAST_LOGIN_ONLY.match(sql) else table
    if table.startswith(DATA_PREFIXES) and not UNSHOWN_TABLES.match(table):
        return None if table in _untracked_tables() else table
    return None


def is_tracked(sql: str) -> bool:
    """Whether ``sql`` writes data that pages show or that decides who sees what."""
    return _written_table(sql) is not None


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: note every write to a watched table (see the module's docstring)."""
    result = execute(sql, params, many, context)
    connection = context["connection"]
    if connection.alias != DEFAULT_DB_ALIAS or not isinstance(sql, str):
        return result
    table = _written_table(sql)
    if table is None:
        return result
    if not connection.in_atomic_block:
        # Autocommit: committed already, and no save or delete (they run in a
        # transaction) can account for it. ``access`` is raised at once (one statement,
        # while this one's cursor may still be open); the after-commit functions need
        # transactions of their own, which cannot start here: they are owed, paid at
        # the end of this request (or the next call of retry_failed_bump), and until
        # then this process serves no cached page.
        _owe({ACCESS}, set() if ACCESS_TABLES.match(table) else {table})
        try:
            _raise([ACCESS])
        except DatabaseError:
            _pages().clear()
            logger.exception("The access version could not be raised after a write.")
    elif ACCESS_TABLES.match(table):
        _state(connection).everything = True
    else:
        _state(connection).written.add(table)
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


# reader_key's memo, per process: a lookup in the shared cache cost a round trip on every
# request, and the key is a function of what it is keyed by (a change of any of it
# raises ``access``). Emptied when it grows past READER_MEMO entries.
_reader_memo: dict[tuple, str] = {}
READER_MEMO = 10_000
# Memos a process keeps of values that are functions of scope versions (local_memo()).
_local_memos: list[dict] = [_reader_memo]


def local_memo() -> dict:
    """A dict for the process to keep values that are functions of versions read from
    the database (keyed by them): emptied with :func:`forget_local_memos`."""
    memo: dict = {}
    _local_memos.append(memo)
    return memo


def forget_local_memos() -> None:
    """Empty the process's memos (reader keys, :func:`local_memo`), for tests, whose
    rolled-back database hands out the same ids and versions again."""
    for memo in _local_memos:
        memo.clear()


def reader_parts_key(user) -> str:
    """The hash of :func:`reader_key`, computed (no memo): what decides what ``user`` may
    see, for what is kept longer than an ``access`` version (``cases.rendering``)."""
    from core.roles import user_roles

    parts = (
        user.is_active,
        user.is_superuser,
        sorted(user_roles(user)),
        sorted(user.get_all_permissions()),
        *(part for function in _reader_parts for part in function(user)),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def reader_key(user, access_version: int) -> str:
    """What decides what ``user`` may see on a shared page, as a short hash (memoised per
    ``access`` version and day, since memberships start and end on dates; in the
    process, then in the page cache)."""
    day = timezone.localdate().isoformat()
    local = (user.pk, access_version, day)
    key = _reader_memo.get(local)
    if key is not None:
        return key
    memo_key = f"reader:{user.pk}:{access_version}:{day}"
    key = _pages().get(memo_key)
    if key is None:
        key = reader_parts_key(user)
        _pages().set(memo_key, key)
    if len(_reader_memo) >= READER_MEMO:
        _reader_memo.clear()
    _reader_memo[local] = key
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


def _wait_for_rendering(key: str):
    """Another reader is rendering ``key``: wait for it (bounded), then give up."""
    deadline = time.monotonic() + RENDER_WAIT
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL)
        stored = _pages().get(key)
        if stored is not None:
            return stored
        if _pages().get(f"{key}:rendering") is None:
            return _pages().get(key)
    return None


def _serve(request, stored, status: str) -> HttpResponse:
    content_type, content = stored
    response = HttpResponse(_personalise(request, content), content_type=content_type)
    response[STATUS_HEADER] = status
    return response


def shared_page(view=None, *, scopes=None, vary=None, vary_page=None, ahead=()):
    """Serve ``view``'s page from the page cache to readers of the same kind (see above).

    ``scopes(request, *args, **kwargs)`` names what the page shows (default: ``all``):
    the page is kept until one of them, ``ref`` or ``access`` is raised. It must not
    query the database: the key is read in one query with the versions. Use it only
    on read views whose page depends on nothing but the URL, the data in those scopes,
    the language, the day and the reader key; put it outermost, above the permission
    decorators (the reader key includes the permissions they check). A page that also
    depends on the time of day passes ``vary``: a function of the request whose value
    changes whenever the page would; it may read the versions just read
    (``request.shared_page_versions``). ``ahead`` names scopes to read in the same
    query for the page's fragments (``core.fragments``) and ``vary``: they are not part
    of the page's key. ``vary_page`` is like ``vary`` for what the page shows outside
    its fragments only (a button offered from a moment on): its value keys the page,
    not the fragments, which stay shared with the other pages that show them.
    """
    if view is None:
        return lambda view: shared_page(
            view, scopes=scopes, vary=vary, vary_page=vary_page, ahead=ahead
        )

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        shown = [*(scopes(request, *args, **kwargs) if scopes else [ALL]), REFERENCE, ACCESS]
        known = versions({*shown, *ahead})
        current = {scope: known[scope] for scope in sorted(set(shown))}
        # Older than anything read after them: as safe in the fragments' keys.
        request.__dict__["_fragment_versions"] = known
        request.shared_page_versions = known
        path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        # What a page and its fragments (core.fragments) share: who reads, in which
        # language, on which day, at which time of day (``vary``).
        prefix = ":".join(
            (
                timezone.localdate().isoformat(),
                translation.get_language() or settings.LANGUAGE_CODE,
                reader_key(request.user, current[ACCESS]),
                str(vary(request)) if vary else "",
            )
        )
        key = ":".join(
            (
                "page",
                prefix,
                str(vary_page(request)) if vary_page else "",
                path_hash,
                ",".join(f"{scope}={version}" for scope, version in current.items()),
            )
        )
        # What the user may do, as read by the last page rendered for them under this
        # access version today: a page rendered afresh asks the database for none of it.
        grants_key = f"grants:{request.user.pk}:{current[ACCESS]}:{timezone.localdate()}"
        found = _pages().get_many([key, grants_key])
        stored = found.get(key)
        if stored is not None:
            return _serve(request, stored, "hit")
        kept = found.get(grants_key)
        if kept is not None:
            roles.restore_grants(request.user, kept)
        # One reader renders; readers of the same page meanwhile wait for its rendering.
        rendering = f"{key}:rendering"
        renderer = _pages().add(rendering, 1, timeout=int(RENDER_WAIT) + 1)
        if not renderer:
            stored = _wait_for_rendering(key)
            if stored is not None:
                return _serve(request, stored, "hit")
        request.render_shared_page = True
        request.shared_page_key = {"prefix": prefix}
        page_stored = False
        try:
            response = view(request, *args, **kwargs)
            if kept is None and (read := roles.grants(request.user)) is not None:
                _pages().set(grants_key, read)
            if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
                return response
            if response.status_code == 200 and not response.cookies:
                _pages().set(key, (response["Content-Type"], response.content))
                page_stored = True
        finally:
            request.render_shared_page = False
            request.shared_page_key = None
            # A waiting reader looks for the page before the marker: once the page is
            # stored the marker may simply expire (one round trip less per rendering).
            if renderer and not page_stored:
                _pages().delete(rendering)
        response.content = _personalise(request, response.content)
        response[STATUS_HEADER] = "miss"
        return response

    wrapper.shared_page = True
    return wrapper
