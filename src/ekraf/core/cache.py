"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's RedisCacheClient builds a new redis.Redis object for every command (about 0.25 ms of
CPU each, measured on the verification path, where it was a quarter of the API's cost). A
redis.Redis is thread-safe and checks connections out of its pool per command, so one per pool
is enough; everything else (pools, serialisation, keys) is Django's.

`speed_up`: one cache call that an outage skips. `VersionedCache`: answers kept under a
version number that survive a Redis outage (below).
"""

import logging
import threading
import time
from collections.abc import Callable
from types import EllipsisType
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


def speed_up(operation: Callable[[], Any], logger: logging.Logger, what: str, default=None):
    """operation(), a cache call that is only a speed-up; `default` when Redis refuses or times
    out (any redis-py error), logged as one warning on `logger`. For a caller whose answer the
    database guarantees (a verification look-up), so an outage of the cache costs speed, not
    the answer."""
    try:
        return operation()
    except RedisError as exc:
        logger.warning("Cache unavailable (%s): answering without it: %s", what, exc)
        return default


# --- a versioned namespace that survives a Redis outage -----------------------------------------


class VersionedCache:
    """Answers kept in the default cache under a version number that every change bumps (the
    rooms' availability, the newsroom portal's parts and pages), and that keep working while
    the cache does not answer.

    The cache is only a speed-up: a Redis that refuses or times out (any redis-py error) is
    logged as one warning per failed operation on `logger` and the caller goes on, uncached. A
    read answers from the database (`version()` is None: do not use the cache), a write
    succeeds (the database is the guarantee) and its bump is *owed*.

    An owed bump is what could make answers stale after recovery: a Redis that was only
    unreachable (not restarted) comes back holding the entries of the old version, which the
    lost bump should have left behind. So after any failure this process treats the version as
    unknown and skips the cache until it has bumped once successfully; that bump, made before
    the next read or write uses the cache, moves every process past the old entries. It is
    tried at most once every `retry_seconds`, so an unreachable Redis (each attempt can cost
    the socket timeout) stalls a process at most once per interval, not every request.
    A restarted or flushed Redis has lost the version itself: it starts at `start()` (a clock),
    above every number used before, so an old entry can never be taken for a current one.
    """

    retry_seconds = 10.0

    def __init__(self, version_key: str, logger: logging.Logger, start=time.time_ns):
        self.version_key = version_key
        self.logger = logger
        self.start = start
        self._lock = threading.Lock()
        self._failures = 0  # failures seen by this process
        self._repaired = 0  # failures made good by a successful bump after them
        self._next_try = 0.0

    # bookkeeping ------------------------------------------------------------------------------

    def _failed(self, operation: str, exc: Exception) -> None:
        self.logger.warning(
            "Cache unavailable (%s %s): answering without it: %s", operation, self.version_key, exc
        )
        with self._lock:
            self._failures += 1
            self._next_try = time.monotonic() + self.retry_seconds

    @property
    def owed(self) -> bool:
        """A failure since the last successful bump: the version in the cache may be stale."""
        return self._failures > self._repaired

    def _settle(self) -> bool:
        """True when the cache may be used: nothing owed, or the owed bump made now."""
        return not self.owed or self.bump()

    # the version ------------------------------------------------------------------------------

    def bump(self) -> bool:
        """Leave every entry kept so far behind. False (logged, owed) when the cache failed;
        False at once while a bump is already owed and not yet due for a retry (the owed bump,
        made later, leaves this change's entries behind too)."""
        if self.owed and time.monotonic() < self._next_try:
            return False
        seen = self._failures
        try:
            try:
                cache.incr(self.version_key)
            except ValueError:  # missing: start above every number used before
                if not cache.add(self.version_key, self.start(), timeout=None):
                    cache.incr(self.version_key)
        except RedisError as exc:
            self._failed("bump", exc)
            return False
        with self._lock:
            self._repaired = max(self._repaired, seen)
        return True

    def version(self) -> int | None:
        """The current version, or None: the cache is not to be used now (it failed)."""
        if not self._settle():
            return None
        try:
            current = cache.get(self.version_key)
            if current is None:
                cache.add(self.version_key, self.start(), timeout=None)
                current = cache.get(self.version_key)
        except RedisError as exc:
            self._failed("version", exc)
            return None
        return current

    # entries ----------------------------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return cache.get(key, default)
        except RedisError as exc:
            self._failed("get", exc)
            return default

    def get_with_version(self, key: str) -> tuple[int | None, Any]:
        """(current version, the entry at `key`) in one round trip; (None, None) when the cache
        is not to be used."""
        if not self._settle():
            return None, None
        try:
            found = cache.get_many([self.version_key, key])
        except RedisError as exc:
            self._failed("get", exc)
            return None, None
        return found.get(self.version_key), found.get(key)

    def set(self, key: str, value: Any, timeout: float | None) -> None:
        try:
            cache.set(key, value, timeout)
        except RedisError as exc:
            self._failed("set", exc)

    def cached(
        self,
        key: Callable[[int], str],
        compute: Callable[[], Any],
        timeout: float | None,
        *,
        current: int | None | EllipsisType = ...,
    ) -> Any:
        """compute(), kept under key(version) for `timeout` seconds; computed (not kept) when
        the cache is not to be used. `current`: the version if the caller has just read it
        (None: the cache is not to be used)."""
        if current is ...:
            current = self.version()
        if current is None:
            return compute()
        name = key(current)
        found = self.get(name)
        if found is None:
            found = compute()
            if not self.owed:  # a failed read: do not try a write that will fail too
                self.set(name, found, timeout)
        return found
