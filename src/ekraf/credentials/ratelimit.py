"""A fixed-window rate limit per client address on the `ratelimit` cache.

In the embedded setup that cache is process memory, so a verification look-up costs no extra
database query; scaled out it is Redis, shared by every web process, and the count is one
round trip (INCR; EXPIRE only on the window's first request) on a client made once per process.
"""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver

from ekraf.core.clientip import client_key

WINDOW_SECONDS = 60
# The window's key outlives the window a little, so a request at its very end still counts.
KEY_SECONDS = 70

_redis_clients: dict[tuple, object] = {}
_lock = threading.Lock()


def client_address(request) -> str:
    """The client's address (through trusted proxies); IPv6 clients count per /64."""
    return client_key(request)


def allow(request, bucket: str, per_minute: int | None = None) -> bool:
    """Count this request; False once the client has used up its requests for this minute."""
    limit = per_minute or settings.VERIFY_RATE_PER_MINUTE
    cache = caches["ratelimit"]
    key = _window_key(request, bucket)
    if isinstance(cache, RedisCache):
        return _count_on_redis(cache, key) <= limit
    if cache.add(key, 1, timeout=KEY_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=KEY_SECONDS)
        return True
    return count <= limit


def allow_and_fetch(request, bucket: str, keys, per_minute: int | None = None):
    """allow(), and the default cache's `keys` (as cache.get_many returns them).

    When both caches are the same Redis server, the count and the read go in one pipelined
    round trip: the verification answer costs the web process a single exchange with Redis.
    A refused request reads nothing more than it would have.
    """
    keys = list(keys)
    limit = per_minute or settings.VERIFY_RATE_PER_MINUTE
    counter, default = caches["ratelimit"], caches["default"]
    if (
        keys
        and isinstance(counter, RedisCache)
        and isinstance(default, RedisCache)
        and counter._servers == default._servers
    ):
        full_key = counter.make_and_validate_key(_window_key(request, bucket))
        full_keys = [default.make_and_validate_key(key) for key in keys]
        pipe = _redis_client(counter).pipeline(transaction=False)
        pipe.incr(full_key)
        pipe.mget(full_keys)
        count, values = pipe.execute()
        if count == 1:
            _redis_client(counter).expire(full_key, KEY_SECONDS)
        if count > limit:
            return False, {}
        loads = default._cache._serializer.loads
        return True, {
            key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None
        }
    if not allow(request, bucket, per_minute):
        return False, {}
    return True, (default.get_many(keys) if keys else {})


def _window_key(request, bucket: str) -> str:
    return f"rl:{bucket}:{client_address(request)}:{int(time.time() // WINDOW_SECONDS)}"


def _count_on_redis(cache: RedisCache, key: str) -> int:
    """INCR creates the key at 1, so only the window's first request sets its expiry.

    The key is the cache's own (prefix and version), so cache.get() reads the same counter.
    """
    client = _redis_client(cache)
    full_key = cache.make_and_validate_key(key)
    count = client.incr(full_key)
    if count == 1:
        client.expire(full_key, KEY_SECONDS)
    return count


def _redis_client(cache: RedisCache):
    """One redis-py client per process (thread-safe: it checks connections out of the pool of
    the cache's own client), instead of a new client object per command."""
    ident = (cache._servers[0], repr(sorted(cache._options.items())))
    client = _redis_clients.get(ident)
    if client is None:
        with _lock:
            client = _redis_clients.get(ident)
            if client is None:
                client = cache._cache.get_client(write=True)
                _redis_clients[ident] = client
    return client


@receiver(setting_changed)
def _forget_clients(setting, **kwargs):
    """Tests point the cache elsewhere; never keep a client for the old server."""
    if setting == "CACHES":
        _redis_clients.clear()
