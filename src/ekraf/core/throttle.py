"""Budgets of attempts per key (an account, an e-mail address, a client address) and lockouts,
kept in the shared cache: the database cache in the embedded setup, Redis when scaled out, so
every web process sees the same counts.

Counting uses only `cache.add` (atomic "set if absent" on both: the database cache's primary
key, Redis' SET NX) and reads. `cache.incr` is not used: on the database cache it is a read
followed by a write, so two requests at once count one, and the write resets the entry's
expiry to the cache's default (five minutes), so a counter would forget a slow guesser.
Instead each attempt claims one of `limit` numbered slots in the current window; a burst of
parallel requests cannot claim more slots than there are.

Windows and lockouts carry their end as a timestamp and are judged by `clock()` (tests move
it); the cache's own expiry only tidies up afterwards.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.core.cache import caches

CACHE = "default"
_SLACK = 60  # seconds the cache keeps an entry past its end, so our clock decides


def clock() -> float:
    return time.time()


def _cache():
    return caches[CACHE]


def _digest(ident: str) -> str:
    """Keys of any length and alphabet (an e-mail, an IPv6 block) fit every cache backend."""
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Slot:
    key: str
    number: int  # 1 for the first attempt of the window
    last: bool  # this attempt used up the budget
    window_ends: float


@dataclass(frozen=True)
class Budget:
    """At most `limit` attempts per identity in a window of `window` seconds that starts with
    the first attempt."""

    name: str
    limit: int
    window: int

    def _base(self, ident: str) -> str:
        return f"ekraf:throttle:{self.name}:{_digest(ident)}"

    def _current_window(self, base: str) -> tuple[str, float]:
        cache = _cache()
        now = clock()
        for _attempt in range(3):
            value = cache.get(base)
            if value is not None:
                window_id, _sep, ends = value.partition(":")
                if float(ends) > now:
                    return window_id, float(ends)
            fresh = f"{secrets.token_hex(6)}:{now + self.window}"
            if value is None:
                if cache.add(base, fresh, timeout=self.window + _SLACK):
                    return fresh.split(":")[0], now + self.window
            else:
                # The window ended by our clock while the cache still holds it. Two requests
                # here at once may each open a window; the loser's attempt is then counted in
                # a window no one reads — at most one uncounted attempt per rollover.
                cache.set(base, fresh, timeout=self.window + _SLACK)
                return fresh.split(":")[0], now + self.window
        raise RuntimeError("throttle window keeps changing")  # pragma: no cover

    def take(self, ident: str) -> Slot | None:
        """Claim the next attempt for this identity; None when the budget is used up."""
        cache = _cache()
        base = self._base(ident)
        window_id, ends = self._current_window(base)
        keys = [f"{base}:{window_id}:{n}" for n in range(1, self.limit + 1)]
        taken = cache.get_many(keys)
        timeout = max(1, math.ceil(ends - clock())) + _SLACK
        for number, key in enumerate(keys, start=1):
            if key not in taken and cache.add(key, 1, timeout=timeout):
                return Slot(key, number, number == self.limit, ends)
        return None

    def give_back(self, slot: Slot | None) -> None:
        """An attempt that should not count (a successful log-in) frees its slot."""
        if slot is not None:
            _cache().delete(slot.key)

    def reset(self, ident: str) -> None:
        """Forget this identity's attempts: the next one opens a new window."""
        _cache().delete(self._base(ident))

    def retry_after(self, ident: str) -> int:
        """Seconds until the current window ends (0 if none is open)."""
        value = _cache().get(self._base(ident))
        if value is None:
            return 0
        return max(0, math.ceil(float(value.partition(":")[2]) - clock()))


@dataclass(frozen=True)
class Lockout:
    """A refusal of every attempt for `seconds`, per identity."""

    name: str
    seconds: int

    def _key(self, ident: str) -> str:
        return f"ekraf:lockout:{self.name}:{_digest(ident)}"

    def lock(self, ident: str) -> float:
        until = clock() + self.seconds
        _cache().set(self._key(ident), until, timeout=self.seconds + _SLACK)
        return until

    def lift(self, ident: str) -> None:
        _cache().delete(self._key(ident))


def locked_for(*checks: tuple[Lockout, str]) -> int:
    """Seconds until the last of these (lockout, identity) pairs is lifted; 0 if none holds.
    One cache read for all of them."""
    keys = {lockout._key(ident): lockout for lockout, ident in checks}
    found = _cache().get_many(list(keys))
    now = clock()
    remaining = [until - now for until in found.values() if until > now]
    return math.ceil(max(remaining)) if remaining else 0


def minutes(seconds: int) -> int:
    """Whole minutes to tell a person ("coba lagi dalam 15 menit"), at least 1."""
    return max(1, math.ceil(seconds / 60))
