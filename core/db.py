"""Dates already in the database that Python cannot hold do not break pages.

The forms accept only 1990–2100 (:mod:`core.validation`), but a row saved before
that rule, by the admin or by SQL may hold a date Python's ``datetime`` cannot
represent or convert: a meeting typed as 0001-01-01 00:00 Copenhagen time is
0001-12-31 23:09:40 *BC* in UTC, which PostgreSQL stores and psycopg refuses to
read ("timestamp too small"), so every query that touches the row fails — the
meeting list, the meeting page and the edit form that could repair it. A value a
few hours from 9999-12-31 loads but overflows when converted to local time.

The fix sits where the value enters Python: the database loaders. A date or
timestamp outside what Python can hold and convert is read as the nearest safe
value (2 January year 1 or 30 December 9999, UTC). Pages render it, the
validators refuse it when the form is saved unchanged, and the secretary types
the right date. Nothing is written back by reading.
"""

import datetime

SAFE_MIN = datetime.datetime(1, 1, 2)
SAFE_MAX = datetime.datetime(9999, 12, 30)


def clamp_datetime(value: datetime.datetime) -> datetime.datetime:
    """``value`` moved inside the range every time zone can convert (same tzinfo)."""
    naive = value.replace(tzinfo=None)
    if naive < SAFE_MIN:
        return SAFE_MIN.replace(tzinfo=value.tzinfo)
    if naive > SAFE_MAX:
        return SAFE_MAX.replace(tzinfo=value.tzinfo)
    return value


def _too_small(text: str) -> bool:
    """Whether a value the driver could not read lies before year 1 (else after 9999)."""
    return text.rstrip().endswith("BC") or text.lstrip().startswith(("0000", "-"))


# -- PostgreSQL (psycopg 3) ------------------------------------------------------------------


def _safe_loader(base, *, low, high, aware: bool):
    """A loader that asks ``base`` (psycopg's or Django's; C loaders cannot be subclassed)."""
    from psycopg import DataError
    from psycopg.adapt import Loader

    class SafeLoader(Loader):
        # Django compares this with the connection's time zone before each cursor.
        timezone = getattr(base, "timezone", None)

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._base = base(oid, context)

        def load(self, data):
            try:
                value = self._base.load(data)
            except DataError:
                text = bytes(data).decode("ascii", "replace")
                value = low if _too_small(text) else high
                if aware:
                    value = value.replace(tzinfo=self.timezone or datetime.UTC)
                return value
            if isinstance(value, datetime.datetime):
                return clamp_datetime(value)
            return value

    SafeLoader.__name__ = f"Safe{base.__name__}"
    return SafeLoader


def install_postgresql(connection) -> None:
    from psycopg.pq import Format

    if connection.connection is None:
        return  # not connected yet: connection_created installs it
    adapters = connection.connection.adapters
    for name, low, high, aware in (
        ("timestamptz", SAFE_MIN, SAFE_MAX, True),
        ("timestamp", SAFE_MIN, SAFE_MAX, False),
        ("date", datetime.date.min, datetime.date.max, False),
    ):
        current = adapters.get_loader(adapters.types[name].oid, Format.TEXT)
        if current is None or current.__name__.startswith("Safe"):
            continue
        adapters.register_loader(name, _safe_loader(current, low=low, high=high, aware=aware))


# -- SQLite ----------------------------------------------------------------------------------


def _safe_sqlite_converter(parse, *, low, high):
    def convert(raw: bytes):
        text = raw.decode()
        try:
            value = parse(text)
        except ValueError:
            value = None
        if value is None:  # a year Python has not got, or no date at all
            return low if _too_small(text) else high
        if isinstance(value, datetime.datetime):
            return clamp_datetime(value)
        return value

    return convert


def install_sqlite() -> None:
    """Replace Django's SQLite converters (process-wide, like Django's own)."""
    import sqlite3

    import django.db.backends.sqlite3.base  # noqa: F401 - registers Django's converters first
    from django.utils.dateparse import parse_date, parse_datetime

    datetimes = _safe_sqlite_converter(parse_datetime, low=SAFE_MIN, high=SAFE_MAX)
    sqlite3.register_converter("datetime", datetimes)
    sqlite3.register_converter("timestamp", datetimes)
    sqlite3.register_converter(
        "date", _safe_sqlite_converter(parse_date, low=datetime.date.min, high=datetime.date.max)
    )


def install(sender=None, connection=None, **kwargs) -> None:
    """``connection_created`` receiver."""
    if connection is not None and connection.vendor == "postgresql":
        install_postgresql(connection)
