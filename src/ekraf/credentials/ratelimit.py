"""A fixed-window rate limit per client address on the `ratelimit` cache.

In the embedded setup that cache is process memory, so a verification look-up costs no extra
database query; scaled out it is Redis, shared by every web process, and the count is one
round trip (INCR; EXPIRE only on the window's first request).
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from ekraf.core.cache import speed_up
from ekraf.core.clientip import client_key

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
# The window's key outlives the window a little, so a request at its very end still counts.
KEY_SECONDS = 70


def client_address(request) -> str:
    """The client's address (through trusted proxies); IPv6 clients count per /64."""
    return client_key(request)


def allow(request, bucket: str, per_minute: int | None = None) -> bool:
    """Count this request; False once the client has used up its requests for this minute."""
    return allow_and_fetch(request, bucket, (), per_minute)[0]


def allow_and_fetch(request, bucket: str, keys, per_minute: int | None = None):
    """allow(), and the default cache's `keys` (as cache.get_many returns them).

    On Redis the count is one round trip (INCR creates the key at 1, so only the window's first
    request sets its expiry); when the default cache is the same Redis server, the read of `keys`
    joins that round trip: a verification answer costs a single exchange with Redis. A refused
    request reads nothing.

    A Redis that does not answer lets the request through, reading nothing (logged): a
    verification is public and read-only, and its codes' 60 random bits stay out of reach of
    guessing for the length of an outage, while refusing every scan would hide every
    certificate. The answer then comes from the database.
    """
    keys = list(keys)
    limit = per_minute or settings.VERIFY_RATE_PER_MINUTE
    counter, default = caches["ratelimit"], caches["default"]
    key = _window_key(request, bucket)
    if not isinstance(counter, RedisCache):
        if _count_locally(counter, key) > limit:
            return False, {}
        return True, (default.get_many(keys) if keys else {})
    together = (
        bool(keys) and isinstance(default, RedisCache) and counter._servers == default._servers
    )
    try:
        # ekraf.core.cache.RedisCache hands out one client per pool, not one per call.
        client = counter._cache.get_client(write=True)
        full_key = counter.make_and_validate_key(key)
        pipe = client.pipeline(transaction=False)
        pipe.incr(full_key)
        if together:
            pipe.mget([default.make_and_validate_key(k) for k in keys])
        count, *read = pipe.execute()
        if count == 1:
            client.expire(full_key, KEY_SECONDS)
    except RedisError as exc:
        log.warning("Rate limit unavailable (%s): letting the request through: %s", bucket, exc)
        return True, {}
    if count > limit:
        return False, {}
    if not keys:
        return True, {}
    if not together:
        return True, speed_up(lambda: default.get_many(keys), log, "verification", {})
    loads = default._cache._serializer.loads
    return True, {k: loads(v) for k, v in zip(keys, read[0], strict=True) if v is not None}


def _window_key(request, bucket: str) -> str:
    return f"rl:{bucket}:{client_address(request)}:{int(time.time() // WINDOW_SECONDS)}"


def _count_locally(cache, key: str) -> int:
    """The count on a cache without atomic INCR-with-create (process memory)."""
    if cache.add(key, 1, timeout=KEY_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=KEY_SECONDS)
        return 1
