from django.core.management import call_command
from django.core.management.base import BaseCommand

from ekraf.ops.worker import preload, worker_argv


class Command(BaseCommand):
    help = (
        "Run the background worker for the configured queue: db_worker (embedded) or "
        "RQ's rqworker (REDIS_URL set). --burst runs what is queued, then exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true")

    def handle(self, burst, **options):
        name, *args = worker_argv(burst=burst)
        preload()
        call_command(name, *args, verbosity=options["verbosity"])
