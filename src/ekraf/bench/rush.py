"""The registration rush: a training opens with 140 seats in two categories and the bench
city's creators (up to 1,000, each with an API token) register at the same moment through
POST /api/v1/trainings/{id}/registrations (bench.load.burst). Target: exactly 140 confirmed,
no 5xx and no client errors; the wall time and p50/p99 are reported. Not run when the trainings
app has no registration API."""

from __future__ import annotations

import datetime as dt
import json


def scenario_rush(ctx) -> dict:
    from django.urls import Resolver404, resolve

    from ekraf.accounts import services as accounts
    from ekraf.accounts.models import User
    from ekraf.trainings.models import QuotaCategory, Registration, Training

    from .load import Request, burst

    try:
        resolve("/api/v1/trainings/x/registrations")
    except Resolver404:
        return {"skipped": "the trainings app has no registration API on this version"}
    agency_id = ctx["city"].agency_ids[0]
    now = dt.datetime.now(dt.UTC)
    training = Training.objects.create(
        agency_id=agency_id,
        title="Pelatihan Konten Kreator 2024 (rush)",
        hours=16,
        status=Training.Status.PUBLISHED,
        registration_opens_at=now - dt.timedelta(hours=1),
        registration_closes_at=now + dt.timedelta(days=7),
    )
    from ekraf.trainings.models import Session

    Session.objects.create(
        training=training,
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=7),
        address="Malang Creative Center",
    )
    QuotaCategory.objects.create(training=training, name="Umum", seats=70, position=0)
    QuotaCategory.objects.create(training=training, name="ASN", seats=70, position=1)
    people = list(User.objects.filter(username__startswith="kreator").order_by("pk")[:1000])
    tokens = [accounts.create_api_token(person, "rush")[1] for person in people]
    categories = list(training.categories.order_by("position").values_list("pk", flat=True))
    requests = [
        Request(
            f"/api/v1/trainings/{training.public_id}/registrations",
            method="POST",
            body=json.dumps({"category_id": categories[i % 2]}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        for i, token in enumerate(tokens)
    ]
    result = burst(ctx["web"].url, requests)
    confirmed = Registration.objects.filter(training=training, status="confirmed").count()
    seats = 140
    return {
        "requests": len(requests),
        "wall_seconds": round(result.seconds, 2),
        "rps": round(len(requests) / result.seconds, 1) if result.seconds else None,
        "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
        "errors": result.errors,
        "confirmed": confirmed,
        "seats": seats,
        "server_errors": result.server_errors,
        "p50_ms": round(result.percentile(50), 1),
        "p99_ms": round(result.percentile(99), 1),
        "met": confirmed == seats and result.server_errors == 0 and result.errors == 0,
    }


def table_rows(r: dict, fmt) -> list[tuple]:
    """The table's rush row: the burst's speed, and confirmed against the seats."""
    if "confirmed" not in r:
        return []
    return [
        (
            f"registration rush, {r['requests']} at once, {r['seats']} seats",
            f"{fmt(r['wall_seconds'], 2)} s, {fmt(r['rps'])} req/s, p99 {fmt(r['p99_ms'])} ms",
            f"confirmed {r['confirmed']}, 5xx {r['server_errors']}",
            "–",
            "confirmed = seats, 0 × 5xx",
            "yes" if r["met"] else "no",
        )
    ]
