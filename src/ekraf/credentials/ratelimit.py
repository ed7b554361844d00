"""A fixed-window rate limit per client address on the `ratelimit` cache.

In the embedded setup that cache is process memory, so a verification look-up costs no extra
database query; scaled out it is Redis, shared by every web process.
"""

import time

from django.conf import settings
from django.core.cache import caches

from ekraf.core.clientip import client_key


def client_address(request) -> str:
    """The client's address (through trusted proxies); IPv6 clients count per /64."""
    return client_key(request)


def allow(request, bucket: str, per_minute: int | None = None) -> bool:
    """Count this request; False once the client has used up its requests for this minute."""
    limit = per_minute or settings.VERIFY_RATE_PER_MINUTE
    cache = caches["ratelimit"]
    key = f"rl:{bucket}:{client_address(request)}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=70)
        return True
    return count <= limit
