"""Jobs that must run on a clock: expiring waiting-list offers, reminders, the outbox sweep.

Apps register them in AppConfig.ready(). `python -m ekraf periodic` runs every registered job
once (for cron or a systemd timer); `--loop` keeps running them, which `serve` does beside the
web server. Each job must be idempotent: two schedulers running at once do no harm.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], object]


_JOBS: dict[str, PeriodicJob] = {}


def register(name: str, run: Callable[[], object]) -> None:
    _JOBS[name] = PeriodicJob(name, run)


def jobs() -> list[PeriodicJob]:
    return list(_JOBS.values())


def run_all() -> dict[str, object]:
    """Run each job once; one failing job does not stop the others."""
    results = {}
    for job in jobs():
        try:
            results[job.name] = job.run()
        except Exception:  # noqa: BLE001 - logged; the next tick tries again
            log.exception("periodic job %s failed", job.name)
            results[job.name] = "error"
    return results
