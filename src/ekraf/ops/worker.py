"""Which background worker runs the queue, chosen by the configured task backend.

One command (`python -m ekraf worker`) for every installation: the database worker in the
embedded setup, RQ's worker when REDIS_URL puts the queue on Redis. `serve`, the systemd unit
and the tests all start the worker through here, so they cannot disagree.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

# Called once when the worker starts, before it takes jobs: RQ runs each job in a work horse
# forked from the worker, so whatever the worker has loaded every job has without loading it.
PRELOAD = ("ekraf.credentials.tasks.preload",)


def backend_path() -> str:
    return settings.TASKS["default"]["BACKEND"]


def uses_rq() -> bool:
    return backend_path().startswith("django_tasks_rq")


def queues() -> list[str]:
    return list(settings.TASKS["default"].get("QUEUES") or ["default"])


def worker_argv(*, burst: bool = False) -> list[str]:
    """The management command (name and arguments) that works the configured queue."""
    if uses_rq():
        # django-tasks-rq needs its own Job class in the worker (it turns the RQ job back into
        # a django_tasks Task); the scheduler runs tasks enqueued with run_after.
        argv = ["rqworker", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
        if burst:
            argv.append("--burst")
        return [*argv, *queues()]
    argv = ["db_worker", "--no-reload", "--queue-name", ",".join(queues())]
    if burst:
        return [*argv, "--batch", "--no-startup-delay"]
    return [*argv, "--interval", "1"]


def preload() -> None:
    """Run the PRELOAD hooks; one failing only costs its jobs the time it would have saved."""
    for path in PRELOAD:
        try:
            import_string(path)()
        except Exception:  # noqa: BLE001 - logged; the jobs load what they need themselves
            log.warning("worker preload %s failed", path, exc_info=True)
