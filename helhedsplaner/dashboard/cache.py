"""Cache for the dashboard's figures over all plans, invalidated on every relevant write.

The figures (plans by status and area, totals, plans needing attention) are the
same for every reader (no closed content), but computing them reads every plan,
commitment and agenda item: at the scale of a large municipality that is most of
a second. They are cached in the shared ``default`` cache under the database-wide
generation of ``core.pagecache`` (bumped after every committed write to a domain
table, bulk writes and ``QuerySet.update()`` included) and under today's date,
since "stale" depends on it. Inside a transaction nothing is cached (see
``core.pagecache``): the figures are computed afresh. All four figures share one
entry, so a request reads the generation once.
"""

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from core import pagecache

TIMEOUT = 600  # seconds; a safety net, the generation does the real work


def cached(name: str, compute):
    if connection.in_atomic_block or not pagecache.enabled():
        return compute()
    current = pagecache.versions([pagecache.ALL, pagecache.REFERENCE, pagecache.ACCESS])
    stamp = ",".join(f"{scope}={version}" for scope, version in current.items())
    key = f"dashboard:{name}:{stamp}:{timezone.localdate().isoformat()}"
    return cache.get_or_set(key, compute, TIMEOUT)
