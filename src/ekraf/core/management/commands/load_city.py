from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ekraf.core.services import CityDataError, load_city


class Command(BaseCommand):
    help = "Load or refresh the city's reference data (regions, subsectors, agencies, rooms) from CSV files."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(settings.EKRAF_CITY_DATA_DIR),
            help="Folder of CSV files shaped like the shipped Kota Malang data (default: that data).",
        )

    def handle(self, directory, **options):
        try:
            report = load_city(Path(directory))
        except CityDataError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(exc.problems)} masalah ditemukan; tidak ada data yang diubah."
            ) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                "Data kota dimuat." if report.changed else "Data kota sudah mutakhir."
            )
        )
