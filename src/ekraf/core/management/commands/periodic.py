import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ekraf.core import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs (offer expiry, reminders, outbox sweep) once, or every minute with --loop."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, loop, interval, **options):
        while True:
            close_old_connections()
            for name, result in periodic.run_all().items():
                if options["verbosity"] > 1 or result == "error":
                    self.stdout.write(f"{name}: {result}")
            if not loop:
                return
            time.sleep(interval)
