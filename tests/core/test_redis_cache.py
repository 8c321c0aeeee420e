"""The Redis cache backend (core.cache.RedisCache) keeps one client per connection pool.

Django's own backend makes a ``redis.Redis`` for every operation, whose constructor
costs more than the round trip on this project's pages. Run by ``make test-redis``
(which sets DJANGO_CACHE_URL) against a real Redis; skipped without one.
"""

import os
import uuid

import pytest
import redis
from django.core.cache import caches

pytestmark = pytest.mark.skipif(
    not os.environ.get("DJANGO_CACHE_URL", "").startswith("redis://"),
    reason="needs DJANGO_CACHE_URL=redis://… (make test-redis)",
)


@pytest.fixture
def clients_made(monkeypatch):
    made = []
    init = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    return made


def test_operations_share_one_client_and_still_reach_redis(clients_made):
    cache = caches["pages"]
    assert type(cache).__module__ == "core.cache"
    key = f"test-{uuid.uuid4()}"
    cache.set(key, "første")
    assert cache.get(key) == "første"
    cache.set_many({f"{key}-a": 1, f"{key}-b": 2})
    assert cache.get_many([f"{key}-a", f"{key}-b", f"{key}-c"]) == {f"{key}-a": 1, f"{key}-b": 2}
    cache.delete_many([key, f"{key}-a", f"{key}-b"])
    assert cache.get(key) is None
    assert len(clients_made) <= 1  # (none if an earlier test made it)
    # What another process (a second worker) sees: the values are in Redis itself.
    cache.set(key, "delt")
    other = redis.Redis.from_url(os.environ["DJANGO_CACHE_URL"])
    assert other.exists(cache.make_and_validate_key(key)) == 1
    cache.delete(key)
