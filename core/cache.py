"""Django's Redis cache backend, keeping one Redis client per connection pool.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` makes a new
``redis.Redis`` for every cache operation. Since redis-py 5 that constructor builds a
table of some 160 response callbacks each time: on this project's pages, which make
six or seven cache operations (the page, the reader's grants, the fragments), that was
about 4 ms of a 50 ms page on the benchmark machine, more than the Redis round trips
themselves. A ``redis.Redis`` is safe to share between threads (each command takes a
connection from the pool), and Django already keeps one pool per server, so the client
is kept with its pool. Everything else is Django's backend as it is.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with :class:`KeptClientRedisCacheClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
