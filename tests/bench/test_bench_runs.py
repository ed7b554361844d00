"""`python -m ekraf.bench` runs end to end on a fresh checkout (SQLite, no services): a tiny
city, every scenario against real server processes, the table and var/bench/latest.json.
The figures themselves are not asserted (no timed tests): the full run's are in docs/benchmarks.md."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="runs in the SQLite pass of make test (the bench makes its own database)",
)


def test_the_benchmark_runs_and_reports_every_scenario(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EKRAF_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env["EKRAF_BENCH_DIR"] = str(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ekraf.bench",
            "--tiny",
            "--quick",
            "--duration",
            "0.5",
            "--clients",
            "4",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "latest.json").read_text())
    assert report["database"] == "sqlite" and report["scale"] == "tiny"
    verification = report["verification"]
    assert verification["trivial"]["statuses"] == {"200": verification["trivial"]["requests"]}
    assert verification["all_200"], verification
    assert verification["page_ratio"] > 0 and verification["api_ratio"] > 0
    certificates = report["certificates"]
    assert certificates["issue"]["done"] == 10 and certificates["issue"]["failed"] == 0
    assert certificates["issue_large"]["done"] == 30
    assert certificates["floor"]["seconds_per_page"] > 0 and certificates["ratio"] > 0
    assert report["search"]["all_200"]
    assert report["web_peak_rss_mb"] > 0
    dashboard = report["dashboard"]
    assert dashboard["page"]["statuses"] == {"200": dashboard["page"]["requests"]}
    assert dashboard["raw_sql_ms"] > 0 and dashboard["ratio"] > 0
    # No scenario measured error pages: every status any scenario saw is a success.
    for where, statuses in _statuses(report):
        assert all(code.startswith("2") for code in statuses), (where, statuses)
    for scenario in ("spaces", "talent", "programs", "newsroom"):
        assert scenario in report, scenario
    # Every scenario has a line in the table (or says why it did not run).
    table = result.stdout
    for label in ("verification", "certificate day", "directory search", "web worker peak RSS"):
        assert label in table
    assert "rush" in table and "dashboard" in table


def _statuses(report, where=""):
    """(where, statuses) for every "statuses" a scenario reported, however deep."""
    for key, value in report.items():
        if key == "statuses" and isinstance(value, dict):
            yield where, value
        elif isinstance(value, dict):
            yield from _statuses(value, f"{where}.{key}")
