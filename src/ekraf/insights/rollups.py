"""Monthly rollups: every landed indicator's figures per month, in one small table.

`refresh_month(m)` recomputes one month from the base tables and replaces its rows whole (in
one transaction, behind a row lock on the month's RollupMonth, so two schedulers never
interleave). The periodic job `insights.rollups` refreshes the current month and as many past months as an
indicator's figures may still change (`Indicator.revisable_months`: late corrections, late
metric readings, the conversion's six-month window) and fills any month of the last two years
that has no rollup yet; the
dashboard's "perbarui" button refreshes the current month on demand.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.utils import timezone

from . import indicators
from .indicators import month_start, months_between
from .models import Rollup, RollupMonth

HISTORY_MONTHS = 24


def current_month() -> dt.date:
    return month_start(timezone.localdate())


def previous_month(month: dt.date) -> dt.date:
    return month_start(month - dt.timedelta(days=1))


def refresh_month(month: dt.date) -> RollupMonth:
    month = month_start(month)
    started = time.monotonic()
    with transaction.atomic():
        marker, _ = RollupMonth.objects.get_or_create(
            month=month, defaults={"refreshed_at": timezone.now()}
        )
        marker = RollupMonth.objects.select_for_update().get(pk=marker.pk)
        Rollup.objects.filter(month=month).delete()
        rows = []
        for indicator in indicators.landed():
            merged: dict[tuple, list[int]] = {}
            for f in indicator.compute(month):
                cell = merged.setdefault((f.agency or "", f.kecamatan or "", f.key or ""), [0, 0])
                cell[0] += f.value
                cell[1] += f.base
            rows.extend(
                Rollup(
                    code=indicator.code,
                    month=month,
                    agency=agency,
                    kecamatan=kec,
                    key=key,
                    value=value,
                    base=base,
                )
                for (agency, kec, key), (value, base) in merged.items()
                if value or base
            )
        Rollup.objects.bulk_create(rows, batch_size=1000)
        marker.refreshed_at = timezone.now()
        marker.duration_ms = int((time.monotonic() - started) * 1000)
        marker.save(update_fields=["refreshed_at", "duration_ms"])
    return marker


def refresh_current() -> RollupMonth:
    return refresh_month(current_month())


def refresh_range(first: dt.date, last: dt.date) -> int:
    months = months_between(first, last)
    for month in months:
        refresh_month(month)
    return len(months)


def periodic() -> dict:
    """The periodic job: this month and the last, and any missing month of the history."""
    now = current_month()
    first = now
    for _ in range(HISTORY_MONTHS - 1):
        first = previous_month(first)
    have = set(RollupMonth.objects.filter(month__gte=first).values_list("month", flat=True))
    todo = {m for m in months_between(first, now) if m not in have}
    recent = now
    for _ in range(max((i.revisable_months for i in indicators.landed()), default=1)):
        recent = previous_month(recent)
    todo |= set(months_between(max(recent, first), now))
    for month in sorted(todo):
        refresh_month(month)
    return {"months": len(todo)}


def live(code: str, month: dt.date) -> dict[tuple, tuple[int, int]]:
    """The figures straight from the base tables (what a rollup must equal)."""
    out: dict[tuple, list[int]] = {}
    for f in indicators.get(code).compute(month_start(month)):
        cell = out.setdefault((f.agency, f.kecamatan, f.key), [0, 0])
        cell[0] += f.value
        cell[1] += f.base
    return {k: tuple(v) for k, v in out.items() if v[0] or v[1]}


def stored(code: str, month: dt.date) -> dict[tuple, tuple[int, int]]:
    return {
        (agency, kec, key): (value, base)
        for agency, kec, key, value, base in Rollup.objects.filter(
            code=code, month=month_start(month)
        ).values_list("agency", "kecamatan", "key", "value", "base")
    }
