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
    key = f"rl:{bucket}:{client_address(request)}:{int(time.time() // WINDOW_SECONDS)}"
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
