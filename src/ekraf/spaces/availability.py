"""The computed availability of a period (a month of the whole centre is over a thousand
holds), kept in the default cache for SPACES_AVAILABILITY_CACHE_SECONDS under a version number
that every change of a hold bumps: a booking made, moved, cancelled, approved, declined,
released or lapsed, a training's session hold, a closure, a room. A request after the change
reads the new version, misses, and computes from the database: the answer stays exact.

The version lives in the cache too (no expiry). It is bumped twice: at once (inside the
writer's transaction) and again when that transaction commits. A reader between the two may
cache what it read before the commit, but only under a version that the commit then leaves
behind, so nobody reads it afterwards. When the version is missing (a fresh or flushed cache)
it starts at the clock in nanoseconds, larger than any number used before, so an entry left
from an earlier version can never be taken for the current one.

Changes are caught where they happen: saves and deletes of bookings, closures and rooms
(signals, connected in apps.py) and the few bulk updates, which call `changed()` themselves.
Only with Redis (the embedded default cache is the database: a hit would cost what it saves).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "spaces:availability:version"


def enabled() -> bool:
    return bool(settings.SPACES_AVAILABILITY_CACHE_SECONDS)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing: start above every number used before
        if not cache.add(VERSION_KEY, time.time_ns(), timeout=None):
            cache.incr(VERSION_KEY)


def changed(**_signal) -> None:
    """Availability changed (or is about to, in the current transaction): later reads miss.
    Also a signal receiver (it ignores the signal's arguments)."""
    if not enabled():
        return
    _bump()
    transaction.on_commit(_bump)


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        current = cache.get(VERSION_KEY)
    return current


def cached(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """compute(), kept per (name, parts) for the current version (parts: a tuple of strings
    and numbers naming the question, e.g. the period, the rooms, details or not)."""
    if not enabled():
        return compute()
    key = f"spaces:availability:{version()}:{name}:" + ":".join(str(p) for p in parts)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=settings.SPACES_AVAILABILITY_CACHE_SECONDS)
    return found
