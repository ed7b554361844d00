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

A Redis that is down changes nothing for the citizen but speed (ekraf.core.cache.
VersionedCache): a booking is made, approved or cancelled (the database's exclusion constraint
is the guarantee, never the cache), reads compute from the database, and each failed cache
operation is logged once as a warning on this module's logger. A bump lost during the outage
is owed: the process that lost it skips the cache until it has bumped once successfully, the
first thing it does when Redis answers again, so the entries Redis kept under the old version
are never served after the change (a restarted Redis has lost the version and starts a new
one above every earlier number anyway). A process that saw no failure at all may, in the
moments between recovery and that bump, still serve an old entry; in a real outage every busy
process sees a failure and makes the bump on its first request after recovery.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

from ekraf.core.cache import VersionedCache

VERSION_KEY = "spaces:availability:version"

logger = logging.getLogger(__name__)
store = VersionedCache(VERSION_KEY, logger)


def enabled() -> bool:
    return bool(settings.SPACES_AVAILABILITY_CACHE_SECONDS)


def _bump() -> None:
    store.bump()


def changed(**_signal) -> None:
    """Availability changed (or is about to, in the current transaction): later reads miss.
    Also a signal receiver (it ignores the signal's arguments). Never raises for the cache:
    a write must not fail because Redis is down."""
    if not enabled():
        return
    _bump()
    transaction.on_commit(_bump)


def version() -> int | None:
    """The current version; None while the cache is not to be used (it failed, see above)."""
    return store.version()


def cached(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """compute(), kept per (name, parts) for the current version (parts: a tuple of strings
    and numbers naming the question, e.g. the period, the rooms, details or not)."""
    if not enabled():
        return compute()
    suffix = f"{name}:" + ":".join(str(p) for p in parts)
    return store.cached(
        lambda current: f"spaces:availability:{current}:{suffix}",
        compute,
        settings.SPACES_AVAILABILITY_CACHE_SECONDS,
    )
