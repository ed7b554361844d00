"""Certificate day: certificates for a finished training's completers issued through the API
(POST /api/v1/trainings/{id}/certificates) by a real worker, a batch and then a larger one
(1,000 and 10,000 at full scale, 200 and 1,000 with --quick), beside bare reportlab drawing the
same certificates in the same run (bench.floor). Target: at most 2 × the floor per certificate,
none failed, and the worker's memory flat over the large batch (< 25 MB growth)."""

from __future__ import annotations

import datetime as dt
import json
import time


def _completers(training_title: str, n: int, agency_id: int, seed: str):
    """A finished training with `n` confirmed, completed participants (bulk, like data.py)."""
    from ekraf.accounts.models import User
    from ekraf.trainings.models import QuotaCategory, Registration, Session, Training

    from . import bulk

    now = dt.datetime.now(dt.UTC)
    training = Training.objects.create(
        agency_id=agency_id,
        title=training_title,
        hours=16,
        status=Training.Status.FINISHED,
        certificate_kind="completion",
    )
    for day in range(2):
        Session.objects.create(
            training=training,
            starts_at=now - dt.timedelta(days=3 - day),
            ends_at=now - dt.timedelta(days=3 - day, hours=-7),
            address="Malang Creative Center",
        )
    category = QuotaCategory.objects.create(training=training, name="Umum", seats=n)
    first_user, first_reg = bulk.next_id(User), bulk.next_id(Registration)
    bulk.insert(
        User,
        (
            {
                "id": first_user + i,
                "username": f"peserta-{seed}-{i}",
                "email": f"peserta-{seed}-{i}@bench.ekraf.id",
                "full_name": f"Peserta Hari Sertifikat {seed}-{i}",
                "password": "!bench",
                "is_active": True,
            }
            for i in range(n)
        ),
    )
    bulk.insert(
        Registration,
        (
            {
                "id": first_reg + i,
                "training_id": training.pk,
                "category_id": category.pk,
                "user_id": first_user + i,
                "status": "confirmed",
                "full_name": f"Peserta Hari Sertifikat {seed}-{i}",
                "email": f"peserta-{seed}-{i}@bench.ekraf.id",
                "completed": True,
            }
            for i in range(n)
        ),
    )
    return training


def _signatory(agency_id: int) -> None:
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from ekraf.credentials.models import Signatory

    if Signatory.objects.filter(agency_id=agency_id).exists():
        return
    png = io.BytesIO()
    Image.new("RGBA", (360, 130), (20, 30, 110, 255)).save(png, format="PNG")
    person = Signatory.objects.create(
        agency_id=agency_id,
        name="Dr. Ir. Bambang Suprapto, M.Si.",
        nip="196805121994031007",
        title="Kepala Dinas Komunikasi dan Informatika",
    )
    person.signature.save("ttd-bench.png", ContentFile(png.getvalue()), save=True)


def _issue(ctx, training, sampler_pid: int, timeout: float) -> dict:
    import urllib.request

    from ekraf.credentials.models import IssuanceJob

    from .memory import Sampler

    request = urllib.request.Request(  # noqa: S310 - our own server on loopback
        f"{ctx['web'].url}/api/v1/trainings/{training.public_id}/certificates",
        method="POST",
        headers={"Authorization": f"Bearer {ctx['organiser_token']}"},
    )
    with Sampler(sampler_pid, interval=0.25, include_root=True) as sampler:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            job_id = json.loads(response.read())["id"]
        deadline = time.monotonic() + timeout
        job = None
        while time.monotonic() < deadline:
            job = IssuanceJob.objects.get(public_id=job_id)
            if job.status in (IssuanceJob.Status.FINISHED, IssuanceJob.Status.FAILED):
                break
            time.sleep(0.5)
    seconds = (job.finished_at - job.started_at).total_seconds() if job.finished_at else None
    series = sampler.series
    tail = [mb for _, mb in series[len(series) // 10 :]] or [0]
    early = [mb for _, mb in series[len(series) // 10 : len(series) // 5 + 1]] or [0]
    return {
        "status": job.status,
        "done": job.done,
        "failed": job.failed,
        "seconds": seconds,
        "per_second": job.done / seconds if seconds else None,
        "ms_per_certificate": 1000 * seconds / job.done if seconds and job.done else None,
        "worker_peak_mb": round(sampler.peak_mb, 1),
        "rss_early_mb": round(max(early), 1),
        "rss_late_mb": round(max(tail), 1),
    }


def scenario_certificates(ctx) -> dict:
    from ekraf.credentials.models import Certificate

    from . import floor
    from .servers import start_worker

    agency_id = ctx["city"].agency_ids[0]
    _signatory(agency_id)
    small, large = ctx["issue_counts"]
    run = int(time.time())  # --reuse runs again on the same database: new people each time
    batch = _completers("Bimtek Hari Sertifikat", small, agency_id, seed=f"{run}a")
    many = _completers("Bimtek Hari Sertifikat Besar", large, agency_id, seed=f"{run}b")
    worker = start_worker(ctx["env"], ctx["root"] / "logs" / "worker.log")
    try:
        first = _issue(ctx, batch, worker.process.pid, timeout=3600)
        second = _issue(ctx, many, worker.process.pid, timeout=7200)
    finally:
        worker.stop(timeout=60)
    sample = list(
        Certificate.objects.filter(training=batch).values(
            "number", "holder_name", "training_title", "agency_name", "hours", "place", "issued_on"
        )[:300]
    )
    for fields in sample:
        fields["city_name"] = "Kota Malang"
        fields["issued_on"] = str(fields["issued_on"])
    bare = floor.measure(sample, ctx["env"]["EKRAF_BASE_URL"])
    ratio = (
        first["ms_per_certificate"] / (1000 * bare["seconds_per_page"])
        if first["ms_per_certificate"]
        else None
    )
    growth = second["rss_late_mb"] - second["rss_early_mb"]
    return {
        "issue": first,
        "issue_large": second,
        "floor": bare,
        "ratio": ratio,
        "memory_growth_mb": round(growth, 1),
        "flat": growth < 25,
        "met": bool(ratio is not None and ratio <= 2 and growth < 25 and not first["failed"]),
    }


def table_rows(c: dict, fmt) -> list[tuple]:
    """The table's certificate rows: the rate beside the floor, and the large batch's memory."""
    if "issue" not in c:
        return []
    rows = []
    rows.append(
        (
            f"certificate day, {c['issue']['done']} certificates",
            f"{fmt(c['issue']['per_second'])} cert/s ({fmt(c['issue']['ms_per_certificate'])} ms each)",
            f"bare reportlab {fmt(1000 * c['floor']['seconds_per_page'])} ms/page",
            fmt(c["ratio"], 2),
            "≤ 2×",
            "yes" if c["ratio"] and c["ratio"] <= 2 else "no",
        )
    )
    big = c["issue_large"]
    rows.append(
        (
            f"certificate day, {big['done']} certificates: worker memory",
            f"peak {fmt(big['worker_peak_mb'])} MB; {fmt(big['rss_early_mb'])} → {fmt(big['rss_late_mb'])} MB",
            f"{fmt(big['per_second'])} cert/s",
            f"+{fmt(c['memory_growth_mb'])} MB",
            "flat (< 25 MB growth)",
            "yes" if c["flat"] else "no",
        )
    )
    return rows
