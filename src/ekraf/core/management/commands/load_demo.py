import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ekraf.core.demokit import DemoContext, print_logins
from ekraf.core.models import DemoStep


class Command(BaseCommand):
    help = (
        "Load a realistic demo city (people, trainings, certificates). Each app's step runs once; "
        "rerunning only prints the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, seed, **options):
        ctx = DemoContext(seed=seed, out=self.stdout)
        for config in apps.get_app_configs():
            if not config.name.startswith("ekraf."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            step = config.label
            if DemoStep.objects.filter(name=step).exists():
                continue
            self.stdout.write(f"Demo: {config.verbose_name} …")
            with transaction.atomic():
                module.build(ctx)
                DemoStep.objects.create(name=step)
        print_logins(self.stdout)
