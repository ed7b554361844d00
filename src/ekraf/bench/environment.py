"""Where the benchmark runs: a database and a site of its own, never the developer's data
(PostgreSQL: `<DATABASE_URL's name>_bench`, dropped and made anew unless --reuse finds it
built; without DATABASE_URL: var/bench/bench.sqlite3), the settings its servers start with
(production-like, bench endpoints on, the per-address verification limit lifted), and the
machine the report names."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


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
