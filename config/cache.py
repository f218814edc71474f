"""Django's Redis cache, with one Redis client per connection pool.

Django builds a new ``redis.Redis`` for every cache operation; with redis-py 8
that costs a good part of a round trip to Redis, and a cached page is one
round trip. The client keeps no connection of its own (the pool does) and is
safe to share, so one per pool serves every request of a process.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
