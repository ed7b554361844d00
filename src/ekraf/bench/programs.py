"""Recommendations for a programme role at scale: agency staff ask
GET /api/v1/programmes/{id}/recommendations?role=… (hard filters, the score's parts and the
fair-exposure order, all in the database, plus one exposure insert per answer) from 4 clients.
Target: p95 ≤ 150 ms at full scale (100k creators); the coordinator runs the full scale."""

from __future__ import annotations

import datetime as dt

TARGET_P95_MS = 150.0


def scenario_programs(ctx) -> dict:
    from django.utils import timezone

    from ekraf.accounts import services as accounts
    from ekraf.accounts.models import User
    from ekraf.core.models import Subsector
    from ekraf.creators.models import CreatorProfile
    from ekraf.programs import services
    from ekraf.programs.models import Exposure

    from .load import Request, sustained

    staff = User.objects.get(pk=ctx["city"].staff_id)
    _directory_consent()
    agency_id = staff.role_grants.exclude(agency=None).values_list("agency_id", flat=True)[0]
    start = timezone.localdate() + dt.timedelta(days=30)
    programme = services.create_programme(
        staff,
        services.ProgrammeInput(
            agency_id=agency_id,
            title="Bench: kampanye branding kota",
            objective="Mengukur rekomendasi",
            starts_on=start,
            ends_on=start + dt.timedelta(days=30),
            roles=[services.RoleInput("content_creator", 10)],
            hashtags=["#BenchMalang"],
            subsector_ids=list(
                Subsector.objects.filter(code__in=("kuliner", "fotografi")).values_list(
                    "pk", flat=True
                )
            ),
        ),
    )
    role = programme.roles.get()
    token = accounts.create_api_token(staff, "bench-programs")[1]
    path = f"/api/v1/programmes/{programme.public_id}/recommendations?role={role.pk}"
    before = Exposure.objects.count()
    result = sustained(
        ctx["web"].url,
        lambda i: Request(path, headers={"Authorization": f"Bearer {token}"}),
        clients=4,
        duration=ctx["duration"],
        warmup=1.0,
    )
    out = {
        "creators": CreatorProfile.objects.count(),
        "clients": 4,
        "exposures_logged": Exposure.objects.count() - before,
        **result.summary(),
    }
    out["met"] = (
        result.statuses.get(200, 0) == result.requests and result.percentile(95) <= TARGET_P95_MS
    )
    return out


def _directory_consent() -> None:
    """Two creators in three agree to the talent directory (the synthetic city has none), so
    the hard filters leave a realistic candidate set."""
    from django.utils import timezone

    from ekraf.creators.models import Consent, CreatorProfile

    if Consent.objects.filter(purpose=Consent.Purpose.TALENT_DIRECTORY).exists():
        return
    now = timezone.now()
    ids = CreatorProfile.objects.values_list("pk", flat=True).order_by("pk")
    Consent.objects.bulk_create(
        (
            Consent(
                profile_id=pk,
                purpose=Consent.Purpose.TALENT_DIRECTORY,
                text_version="bench",
                given_at=now,
            )
            for i, pk in enumerate(ids.iterator())
            if i % 3
        ),
        batch_size=5000,
    )


def table_rows(s: dict, fmt) -> list[tuple]:
    if "p95_ms" not in s:
        return []
    ok = s["statuses"] == {"200": s["requests"]} and s["p95_ms"] <= TARGET_P95_MS
    return [
        (
            f"programme role recommendations, {s['creators']:,} creators, {s['clients']} clients",
            f"p50 {fmt(s['p50_ms'])} ms, p95 {fmt(s['p95_ms'])} ms, {fmt(s['rps'])} req/s",
            f"{s['exposures_logged']:,} exposures logged",
            "–",
            "p95 ≤ 150 ms",
            "yes" if ok else "no",
        )
    ]
