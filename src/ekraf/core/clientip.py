"""The address of the client behind the request, for rate limits and the audit log.

Behind a reverse proxy or load balancer REMOTE_ADDR is the proxy's address, the same for every
visitor. The proxies in front of Ekraf each append the address they received the request from
to X-Forwarded-For, so with settings.TRUSTED_PROXIES = N the client is the N-th entry from the
right. Entries further left were written by the client and are never believed; with N = 0 (no
proxy, the default) the header is ignored altogether.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote  # not through all of our proxies
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def client_key(request) -> str:
    """The client's address as rate limits and lockouts count it: IPv6 clients per /64, the
    block one subscriber line gets, so cycling through its addresses resets nothing."""
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
