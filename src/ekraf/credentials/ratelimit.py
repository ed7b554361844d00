"""A fixed-window rate limit per client address on the `ratelimit` cache.

In the embedded setup that cache is process memory, so a verification look-up costs no extra
database query; scaled out it is Redis, shared by every web process.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import caches

from ekraf.core.clientip import client_ip


def client_address(request) -> str:
    """The client's address (through trusted proxies); IPv6 clients count per /64, the block
    one subscriber line gets, so cycling through its addresses does not reset the limit."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # not an address (a test client, a unix socket)
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


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
