"""`python -m ekraf.bench [--quick]`: Ekraf measured at city scale, each figure beside its floor.

1. A database of its own (PostgreSQL: `<DATABASE_URL's name>_bench`, dropped and made anew;
   without DATABASE_URL: var/bench/bench.sqlite3) is filled with a synthetic city (bench.data).
2. Real gunicorn web processes (production configuration, `EKRAF_WEB_WORKERS` default
   2 × cores + 1) and a real worker (`python -m ekraf worker`) are started on loopback.
3. Each scenario runs against them and is paired with a floor measured in the same run:
   verification vs a trivial view on the same server, certificate issuance vs bare reportlab,
   the dashboard vs its aggregates as raw SQL. The rush, the directory search and the web
   workers' peak memory are absolute figures.
4. One table is printed and var/bench/latest.json written.

Scenarios whose app is not installed yet are reported as not run, with the reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from . import verification

QUICK_DURATION, FULL_DURATION = 4.0, 15.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m ekraf.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="small city, short runs (~2 minutes)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--duration", type=float, help="seconds per load measurement")
    parser.add_argument("--web-workers", type=int, help="gunicorn workers (2 × cores + 1)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated: verification,certificates,rush,dashboard,search,spaces,talent,programs,newsroom",
    )
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if built")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # the smoke test
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------------
# Environment: a bench site of its own, never the developer's data.


def bench_environment(root: Path, reuse: bool) -> dict:
    base = os.environ.get("DATABASE_URL", "")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EKRAF_") and key not in ("DATABASE_URL",)
    }
    if base.startswith("postgres"):
        parts = urlsplit(base)
        name = parts.path.lstrip("/") or "ekraf"
        bench_url = urlunsplit(parts._replace(path=f"/{name}_bench"))
        import psycopg

        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as db:
            exists = db.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [f"{name}_bench"]
            ).fetchone()
            if not reuse or not exists:  # --reuse keeps a built database, and builds a missing one
                db.execute(f'DROP DATABASE IF EXISTS "{name}_bench" WITH (FORCE)')
                db.execute(f'CREATE DATABASE "{name}_bench"')
    else:
        bench_url = f"sqlite:///{root / 'bench.sqlite3'}"
    site = root / "site"
    if not reuse and site.exists():
        shutil.rmtree(site)
    if not reuse:
        (root / "bench.sqlite3").unlink(missing_ok=True)
    env.update(
        {
            "DATABASE_URL": bench_url,
            "EKRAF_VAR_DIR": str(site),
            "EKRAF_BASE_URL": "http://127.0.0.1:8000",
            "EKRAF_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EKRAF_BENCH_ENDPOINTS": "1",
            # One loopback address stands for thousands of visitors: the per-address limit
            # on verification would measure itself, not the page.
            "EKRAF_VERIFY_RATE_PER_MINUTE": str(10**9),
            "EKRAF_LOG_FORMAT": "json",
            "EKRAF_LOG_LEVEL": "WARNING",
        }
    )
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    return env


def session_cookie(user) -> str:
    """A logged-in session for `user`, made directly (the benchmark measures pages, not
    password hashing)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that holds users: the first is axes's lockout, which only guards sign-ins.
    store[BACKEND_SESSION_KEY] = "ekraf.accounts.backends.UsernameOrEmailBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


# ---------------------------------------------------------------------------------------------
# Scenarios. Each returns a dict: figures, floor, ratio, target, met, note.


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


def raw_dashboard_sql(vendor: str) -> list[str]:
    """The dashboard's aggregates by hand, for either database (only the month differs)."""
    month = (
        "date_trunc('month', issued_on)"
        if vendor == "postgresql"
        else "strftime('%Y-%m', issued_on)"
    )
    return [sql.replace("MONTH(issued_on)", month) for sql in RAW_DASHBOARD_SQL]


RAW_DASHBOARD_SQL = [
    # creators
    "SELECT COUNT(*) FROM creators_creatorprofile WHERE deleted_at IS NULL",
    # by subsector (every subsector, zero included)
    """SELECT s.name_id, COUNT(p.id) FROM core_subsector s
       LEFT JOIN creators_creatorprofile_subsectors l ON l.subsector_id = s.id
       LEFT JOIN creators_creatorprofile p ON p.id = l.creatorprofile_id AND p.deleted_at IS NULL
       GROUP BY s.id, s.name_id, s.position ORDER BY 2 DESC, s.position""",
    # by kecamatan
    """SELECT v.parent_id, COUNT(p.id) FROM creators_creatorprofile p
       LEFT JOIN core_region v ON v.id = p.kelurahan_id
       WHERE p.deleted_at IS NULL GROUP BY v.parent_id""",
    "SELECT id, name FROM core_region WHERE level = 'kecamatan' ORDER BY name",
    # trainings per agency
    """SELECT agency_id, COUNT(*), COUNT(*) FILTER (WHERE status = 'finished')
       FROM trainings_training WHERE status <> 'draft' GROUP BY agency_id""",
    """SELECT t.agency_id, COUNT(*), COUNT(*) FILTER (WHERE r.completed)
       FROM trainings_registration r JOIN trainings_training t ON t.id = r.training_id
       WHERE r.status = 'confirmed' AND t.status = 'finished' GROUP BY t.agency_id""",
    "SELECT id, short_name FROM core_agency",
    # certificates per month
    """SELECT MONTH(issued_on), COUNT(*),
              COUNT(*) FILTER (WHERE revoked_at IS NOT NULL)
       FROM credentials_certificate GROUP BY 1 ORDER BY 1""",
]


def scenario_dashboard(ctx) -> dict:
    from django.db import connection

    from ekraf.accounts.models import User
    from ekraf.insights import rollups

    from .load import Request, sustained

    # What the periodic job keeps up to date in production: the monthly rollups the page reads.
    rollups.periodic()
    cookie = session_cookie(User.objects.get(pk=ctx["city"].committee_id))
    repeats = 5 if ctx["args"].quick else 15
    # The first view of a new state of the rollups renders the board (seconds at city scale)
    # and caches it; every later view reads it. Measure the steady state, as a committee
    # member meets it after the periodic job.
    sustained(
        ctx["web"].url,
        lambda i: Request("/dasbor/", headers={"Cookie": cookie}),
        clients=1,
        duration=0.1,
        warmup=0.0,
        timeout=120.0,
    )
    page = sustained(
        ctx["web"].url,
        lambda i: Request("/dasbor/", headers={"Cookie": cookie}),
        clients=1,
        duration=ctx["duration"],
        warmup=1.0,
    )
    timings = []
    with connection.cursor() as cursor:
        for _ in range(repeats + 1):
            started = time.perf_counter()
            for sql in raw_dashboard_sql(connection.vendor):
                cursor.execute(sql)
                cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    raw_ms = statistics.median(timings[1:])
    page_ms = page.percentile(50)
    return {
        "page": page.summary(),
        "raw_sql_ms": round(raw_ms, 2),
        "page_ms": round(page_ms, 2),
        "ratio": page_ms / raw_ms if raw_ms else None,
        "met": bool(page.statuses.get(200) == page.requests and page_ms <= 0.25 * raw_ms),
    }


def scenario_search(ctx) -> dict:
    from ekraf.accounts.models import User
    from ekraf.core.models import Region, Subsector
    from ekraf.creators.models import CreatorProfile

    from .load import Request, sustained

    cookie = session_cookie(User.objects.get(pk=ctx["city"].staff_id))
    rng = random.Random(7)  # noqa: S311
    names = list(CreatorProfile.objects.order_by("?").values_list("full_name", flat=True)[:200])
    subsectors = list(Subsector.objects.values_list("code", flat=True))
    districts = list(Region.objects.filter(level="kecamatan").values_list("code", flat=True))
    queries = []
    for i in range(400):
        kind = i % 4
        if kind == 0:
            query = {"q": rng.choice(names).split()[0]}
        elif kind == 1:
            query = {"subsector": rng.choice(subsectors)}
        elif kind == 2:
            query = {"kecamatan": rng.choice(districts), "q": rng.choice(names).split()[-1]}
        else:
            query = {"q": rng.choice(names)}
        queries.append(urlencode(query))
    result = sustained(
        ctx["web"].url,
        lambda i: Request(
            f"/kelola/pelaku/?{queries[i % len(queries)]}", headers={"Cookie": cookie}
        ),
        clients=4,
        duration=ctx["duration"],
        warmup=1.0,
    )
    return {
        "creators": CreatorProfile.objects.count(),
        "clients": 4,
        **result.summary(),
        "all_200": result.statuses.get(200, 0) == result.requests,
    }


from .newsroom import scenario_newsroom  # noqa: E402
from .newsroom import table_rows as newsroom_rows  # noqa: E402
from .programs import scenario_programs  # noqa: E402
from .programs import table_rows as programs_rows  # noqa: E402
from .spaces import scenario_spaces  # noqa: E402 - each scenario module beside its peers
from .spaces import table_rows as spaces_rows  # noqa: E402
from .talent import scenario_talent  # noqa: E402
from .talent import table_rows as talent_rows  # noqa: E402

SCENARIOS = {
    "verification": verification.scenario_verification,
    "dashboard": scenario_dashboard,
    "search": scenario_search,
    "rush": scenario_rush,
    "certificates": scenario_certificates,
    "spaces": scenario_spaces,
    "talent": scenario_talent,
    "programs": scenario_programs,
    "newsroom": scenario_newsroom,
}


# ---------------------------------------------------------------------------------------------
# The table.


def _f(value, digits=1, suffix=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value:,}{suffix}"


def table(results: dict) -> str:
    rows = [("scenario", "figure", "floor (same run)", "ratio", "target", "met")]
    rows.extend(verification.table_rows(results.get("verification", {}), _f))
    c = results.get("certificates", {})
    if "issue" in c:
        rows.append(
            (
                f"certificate day, {c['issue']['done']} certificates",
                f"{_f(c['issue']['per_second'])} cert/s ({_f(c['issue']['ms_per_certificate'])} ms each)",
                f"bare reportlab {_f(1000 * c['floor']['seconds_per_page'])} ms/page",
                _f(c["ratio"], 2),
                "≤ 2×",
                "yes" if c["ratio"] and c["ratio"] <= 2 else "no",
            )
        )
        big = c["issue_large"]
        rows.append(
            (
                f"certificate day, {big['done']} certificates: worker memory",
                f"peak {_f(big['worker_peak_mb'])} MB; {_f(big['rss_early_mb'])} → {_f(big['rss_late_mb'])} MB",
                f"{_f(big['per_second'])} cert/s",
                f"+{_f(c['memory_growth_mb'])} MB",
                "flat (< 25 MB growth)",
                "yes" if c["flat"] else "no",
            )
        )
    r = results.get("rush", {})
    if "confirmed" in r:
        rows.append(
            (
                f"registration rush, {r['requests']} at once, {r['seats']} seats",
                f"{_f(r['wall_seconds'], 2)} s, {_f(r['rps'])} req/s, p99 {_f(r['p99_ms'])} ms",
                f"confirmed {r['confirmed']}, 5xx {r['server_errors']}",
                "–",
                "confirmed = seats, 0 × 5xx",
                "yes" if r["met"] else "no",
            )
        )
    d = results.get("dashboard", {})
    if "ratio" in d:
        rows.append(
            (
                "committee dashboard",
                f"p50 {_f(d['page_ms'])} ms",
                f"raw SQL {_f(d['raw_sql_ms'])} ms",
                _f(d["ratio"], 2),
                "≤ 0.25×",
                "yes" if d["met"] else "no",
            )
        )
    s = results.get("search", {})
    if "p50_ms" in s:
        rows.append(
            (
                f"directory search, {s['creators']:,} creators, {s['clients']} clients",
                f"p50 {_f(s['p50_ms'])} ms, p95 {_f(s['p95_ms'])} ms, {_f(s['rps'])} req/s",
                "–",
                "–",
                "(reported)",
                "–",
            )
        )
    rows += spaces_rows(results.get("spaces", {}), _f)
    rows += talent_rows(results.get("talent", {}), _f)
    rows += programs_rows(results.get("programs", {}), _f)
    rows += newsroom_rows(results.get("newsroom", {}), _f)
    if results.get("web_peak_rss_mb"):
        rows.append(
            (
                "web worker peak RSS",
                f"{_f(results['web_peak_rss_mb'])} MB",
                "–",
                "–",
                "(reported)",
                "–",
            )
        )
    for name, result in results.items():
        if isinstance(result, dict) and result.get("skipped"):
            rows.append((name, "not run: " + result["skipped"], "", "", "", ""))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    root = Path(os.environ.get("EKRAF_BENCH_DIR", "var/bench")).resolve()
    root.mkdir(parents=True, exist_ok=True)
    env = bench_environment(root, args.reuse)
    os.environ.update(env)
    for key in [k for k in os.environ if k.startswith("EKRAF_") and k not in env]:
        del os.environ[key]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ekraf.settings")
    import django

    django.setup()
    from django.db import connection

    from ekraf.accounts import services as accounts
    from ekraf.accounts.models import User

    from . import data
    from .memory import descendants, peak_rss_mb
    from .servers import start_web, stop_all, wait_healthy

    counts = data.QUICK if args.quick else data.FULL
    if args.tiny:
        counts = {key: max(20, value // 100) for key, value in data.QUICK.items()}
    duration = args.duration or (QUICK_DURATION if args.quick else FULL_DURATION)
    only = {name for name in args.only.split(",") if name} or set(SCENARIOS)
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    say(f"Kota sintetis ({connection.vendor}, {'quick' if args.quick else 'full'}) …")
    started = time.monotonic()
    data.prepare_schema()
    if args.reuse and User.objects.filter(username="bench-penyelenggara").exists():
        city = data.City(
            counts={},
            seconds=0.0,
            organiser_id=User.objects.get(username="bench-penyelenggara").pk,
            committee_id=User.objects.get(username="bench-komite").pk,
            staff_id=User.objects.get(username="bench-staf").pk,
            agency_ids=list(
                User.objects.get(username="bench-penyelenggara").role_grants.values_list(
                    "agency_id", flat=True
                )
            ),
        )
    else:
        city = data.build(counts, seed=args.seed, out=say)
    say(f"  siap dalam {time.monotonic() - started:.0f} s")
    # The load generator's client threads live in this process: keep the builder's leftovers
    # out of the garbage collector's way, so a full collection cannot stall one measurement.
    gc.collect()
    gc.freeze()
    organiser = User.objects.get(pk=city.organiser_id)
    _record, organiser_token = accounts.create_api_token(organiser, "bench")
    connection.close()

    workers = args.web_workers or (2 * (os.cpu_count() or 1) + 1)
    web = start_web(env, root / "logs" / "web.log", workers=workers)
    ctx = {
        "args": args,
        "env": env,
        "root": root,
        "city": city,
        "web": web,
        "duration": duration,
        "organiser_token": organiser_token,
        "issue_counts": (10, 30) if args.tiny else (200, 1000) if args.quick else (1000, 10000),
    }
    results: dict = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": connection.vendor,
        "queue": "rq" if env.get("REDIS_URL") else "database",
        "scale": "tiny" if args.tiny else "quick" if args.quick else "full",
        "counts": city.counts,
        "web_workers": workers,
        "duration_s": duration,
    }
    try:
        wait_healthy(web, timeout=120)
        for name, scenario in SCENARIOS.items():
            if name not in only:
                continue
            say(f"Skenario: {name} …")
            began = time.monotonic()
            try:
                results[name] = scenario(ctx)
            except Exception as exc:  # noqa: BLE001 - one failed scenario does not hide the rest
                results[name] = {"skipped": f"failed: {exc.__class__.__name__}: {exc}"}
            results[name]["elapsed_s"] = round(time.monotonic() - began, 1)
            connection.close()
        worker_pids = descendants(web.process.pid)
        results["web_peak_rss_mb"] = round(max((peak_rss_mb(p) for p in worker_pids), default=0), 1)
    finally:
        stop_all([web])
    out = root / "latest.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))
    print(
        f"\n{results['machine']['cpu']}, {results['machine']['cores']} cores, "
        f"{results['machine']['memory']}; {results['database']}, queue {results['queue']}; "
        f"{workers} gunicorn workers; {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
