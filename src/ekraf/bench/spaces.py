"""The creative centre's calendar at scale: the availability of every room for a month, with
50,000 bookings in the table (bench.data.room_bookings), as the API answers it
(GET /api/v1/spaces/availability) and as the public month page shows it (/ruang/kalender/).
Target: p95 ≤ 100 ms for both, every answer 200."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

TARGET_P95_MS = 100.0


def _next_month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


def scenario_spaces(ctx) -> dict:
    from django.utils import timezone

    from ekraf.spaces.models import Booking

    from .load import Request, sustained

    first, following = _next_month(timezone.localdate())
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(following, dt.time()))
    query = urlencode({"from": start.isoformat(), "to": end.isoformat()})
    clients = 4
    measured = {}
    for name, path in (
        ("api", f"/api/v1/spaces/availability?{query}"),
        ("page", f"/ruang/kalender/?bulan={first:%Y-%m}"),
    ):
        result = sustained(
            ctx["web"].url,
            lambda i, p=path: Request(p),
            clients=clients,
            duration=ctx["duration"],
            warmup=1.0,
        )
        measured[name] = result
    in_month = Booking.objects.filter(starts_at__lt=end, until__gt=start).count()
    out = {
        "bookings": Booking.objects.count(),
        "in_month": in_month,
        "clients": clients,
        "api": measured["api"].summary(),
        "page": measured["page"].summary(),
    }
    out["met"] = all(
        m.statuses.get(200, 0) == m.requests and m.percentile(95) <= TARGET_P95_MS
        for m in measured.values()
    )
    return out


def table_rows(s: dict, fmt) -> list[tuple]:
    """The scenario's lines in the benchmark's table (fmt formats a number)."""
    if "api" not in s:
        return []
    rows = []
    for key, label in (
        ("api", "GET /api/v1/spaces/availability"),
        ("page", "/ruang/kalender/?bulan="),
    ):
        m = s[key]
        ok = m["statuses"] == {"200": m["requests"]} and m["p95_ms"] <= TARGET_P95_MS
        rows.append(
            (
                f"centre month {label}, {s['bookings']:,} bookings, {s['clients']} clients",
                f"p50 {fmt(m['p50_ms'])} ms, p95 {fmt(m['p95_ms'])} ms, {fmt(m['rps'])} req/s",
                f"{s['in_month']:,} in the month",
                "–",
                "p95 ≤ 100 ms",
                "yes" if ok else "no",
            )
        )
    return rows
