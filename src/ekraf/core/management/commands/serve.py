import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


def helper_commands() -> list[list[str]]:
    """The processes that run beside the web server: the worker for the configured queue
    (`worker` picks db_worker or RQ's worker) and the periodic jobs every minute."""
    return [["worker"], ["periodic", "--loop"]]


class Command(BaseCommand):
    help = "Serve the platform and run the background worker beside it (what `make run` starts)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, addrport, **options):
        helpers = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and command
                [sys.executable, "-m", "ekraf", *args]
            )
            for args in helper_commands()
        ]
        self.stdout.write(
            f"Worker dan penjadwal berjalan (pid {', '.join(str(p.pid) for p in helpers)})."
        )
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            for process in helpers:
                process.send_signal(signal.SIGTERM)
            for process in helpers:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
