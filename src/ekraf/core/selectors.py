"""Reads of the city's reference data, shared by every app."""

import time

from django.db import transaction
from django.db.models import Prefetch

from .models import Agency, City, Region, Subsector

# How long a web process keeps the city it read. Every page shows the city (header, footer,
# title), so it is read once per process and TTL instead of once per request. A change made in
# this process (admin, load_city) clears the memo at once through the City signals (see
# forget_city); other processes see it within CITY_MEMO_SECONDS. A version key in the shared
# cache would make that instant but cost a cache round trip on every page, which is what the
# memo saves; the city's name, address and logo change a few times a year, and a minute's delay
# in other processes is harmless.
CITY_MEMO_SECONDS = 60.0
_city_memo: tuple[float, City | None] | None = None


def current_city() -> City | None:
    """The installation's city, or None before `load_city` has run (memoised per process)."""
    global _city_memo
    memo = _city_memo
    now = time.monotonic()
    if memo is not None and memo[0] > now:
        return memo[1]
    city = City.objects.order_by()[:1]
    city = city[0] if city else None
    _city_memo = (now + CITY_MEMO_SECONDS, city)
    return city


def forget_city(**kwargs) -> None:
    """Drop the memo now and again when the transaction commits.

    Now, so the rest of this transaction reads the new row; on commit, so a read by another
    thread between the write and the commit (which saw the old row) is not kept for a minute.
    """
    global _city_memo
    _city_memo = None
    transaction.on_commit(clear_city_memo, robust=True)


def clear_city_memo() -> None:
    """Forget the memoised city (tests, whose rolled-back transactions send no signal)."""
    global _city_memo
    _city_memo = None


def districts():
    return Region.objects.filter(level=Region.Level.DISTRICT).order_by("name")


def villages():
    """Kelurahan with their kecamatan, for pickers and filters (one query)."""
    return (
        Region.objects.filter(level=Region.Level.VILLAGE)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def districts_with_villages():
    return districts().prefetch_related(
        Prefetch("children", queryset=Region.objects.order_by("name"))
    )


def subsectors():
    return Subsector.objects.all()


def agencies(kind: str | None = Agency.Kind.AGENCY):
    qs = Agency.objects.filter(is_active=True)
    return qs.filter(kind=kind) if kind else qs
