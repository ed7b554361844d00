"""`make run`: the production web server (gunicorn, with the configuration production uses:
ekraf.ops.gunicorn_conf) and, beside it, the background worker and the periodic jobs."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand

# Signals that end `serve`. Python's default for SIGTERM (what `kill`, systemd and container
# runtimes send) ends the process at once, skipping `finally`: the worker and the periodic
# jobs were left running as orphans. Each of these now unwinds through the cleanup below.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
HELPER_GRACE_SECONDS = 10
# The embedded setup runs on a small machine beside its worker: fewer web processes than
# gunicorn's rule of thumb, unless EKRAF_WEB_WORKERS says otherwise.
EMBEDDED_WEB_WORKERS = "3"


def helper_commands() -> list[list[str]]:
    """The processes that run beside the web server: the worker for the configured queue
    (`worker` picks db_worker or RQ's worker) and the periodic jobs every minute."""
    return [["worker"], ["periodic", "--loop"]]


def web_command(addrport: str) -> list[str]:
    """gunicorn with the shipped configuration, bound where `make run` was asked to."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:ekraf.ops.gunicorn_conf",
        "--bind",
        addrport,
    ]


class Stop(SystemExit):
    """Raised in the main thread by a stop signal, so the wait returns and cleanup runs."""


def _raise_stop(signum, frame):
    raise Stop(0)


def stop_helpers(helpers: list[subprocess.Popen]) -> None:
    """SIGTERM each helper (they finish the job in hand), SIGKILL what outlives the grace."""
    for process in helpers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in helpers:
        try:
            process.wait(timeout=HELPER_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Command(BaseCommand):
    help = "Serve the platform with gunicorn and run the background worker beside it (`make run`)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, addrport, **options):
        helpers: list[subprocess.Popen] = []
        previous = {sig: signal.signal(sig, _raise_stop) for sig in STOP_SIGNALS}
        env = dict(os.environ)
        env.setdefault("EKRAF_WEB_WORKERS", EMBEDDED_WEB_WORKERS)
        try:
            for args in helper_commands():
                helpers.append(
                    subprocess.Popen(  # noqa: S603 - our own interpreter and command
                        [sys.executable, "-m", "ekraf", *args]
                    )
                )
            self.stdout.write(
                f"Worker dan penjadwal berjalan (pid {', '.join(str(p.pid) for p in helpers)})."
            )
            web = subprocess.Popen(web_command(addrport), env=env)  # noqa: S603
            helpers.insert(0, web)  # stopped first: no request starts while helpers stop
            self.stdout.write(f"Server web (gunicorn) di http://{addrport}/ (pid {web.pid}).")
            web.wait()
        except Stop:
            pass
        finally:
            # A second signal must not cut the cleanup short and orphan a helper.
            for sig in STOP_SIGNALS:
                signal.signal(sig, signal.SIG_IGN)
            try:
                stop_helpers(helpers)
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
