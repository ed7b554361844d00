from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_files() -> list[Path]:
    """The project's .po files: the package's (LOCALE_PATHS) and each of its apps' own
    `locale/` folder, where Django also looks for them."""
    folders = [Path(p) for p in settings.LOCALE_PATHS]
    folders += [
        Path(config.path) / "locale"
        for config in apps.get_app_configs()
        if config.name.startswith("ekraf.")
    ]
    return sorted({po for folder in folders for po in folder.glob("*/LC_MESSAGES/*.po")})


class Command(BaseCommand):
    help = "Compile .po translations to .mo with polib, so no system gettext is needed."

    def handle(self, **options):
        count = 0
        for po_path in catalogue_files():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"{count} berkas terjemahan dikompilasi.")
