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

Each scenario is a module of this package with its own table rows: verification,
certificates, rush, dashboard, search, spaces, talent, programs, newsroom. The bench site and
the machine are in environment, signed-in sessions in sessions, the table in report, the
synthetic city in data; this module reads the options and runs the scenarios in order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import time
from pathlib import Path

from . import verification
from .certificates import scenario_certificates
from .dashboard import scenario_dashboard
from .environment import bench_environment, machine
from .newsroom import scenario_newsroom
from .programs import scenario_programs
from .report import table
from .rush import scenario_rush
from .search import scenario_search
from .spaces import scenario_spaces
from .talent import scenario_talent

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


# Scenarios, in the order they run. Each returns a dict: figures, floor, ratio, target, met, note.
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
