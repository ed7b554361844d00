import time
import uuid

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ekraf.core import periodic
from ekraf.core.middleware import bind_request_id


class Command(BaseCommand):
    help = "Run the periodic jobs (offer expiry, reminders, outbox sweep) once, or every minute with --loop."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, loop, interval, **options):
        while True:
            close_old_connections()
            bind_request_id(f"periodic-{uuid.uuid4().hex[:12]}")  # one id per tick in the logs
            for name, result in periodic.run_all().items():
                if options["verbosity"] > 1 or result == "error":
                    self.stdout.write(f"{name}: {result}")
            if not loop:
                return
            time.sleep(interval)
