import sys
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ekraf.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files into one archive (.tar.gz). PATH '-' "
        "writes to stdout. Keys are left out unless --include-keys (see docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="archive to write (default var/backups/ekraf-YYYYmmdd-HHMMSS.tar.gz; - = stdout)",
        )
        parser.add_argument("--no-files", action="store_true", help="database only")
        parser.add_argument(
            "--include-keys",
            action="store_true",
            help="also store EKRAF_KEYS_DIR (field-encryption, signing keys): the archive then "
            "unlocks the personal data it holds, so keep it as safe as the keys",
        )

    def handle(self, path, no_files, include_keys, **options):
        def say(message):
            if options["verbosity"]:
                self.stderr.write(message)

        if path == "-":
            target, stream = "stdout", sys.stdout.buffer
        else:
            if path is None:
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                path = Path(settings.VAR_DIR) / "backups" / f"ekraf-{stamp}.tar.gz"
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                raise CommandError(f"{target} already exists")
            # 0600: the archive holds personal data (encrypted NIKs, names, phone numbers).
            stream = open(target, "xb")  # noqa: SIM115 - closed below
            target.chmod(0o600)
        try:
            result = backup(stream, include_files=not no_files, include_keys=include_keys, out=say)
        except BackupError as exc:
            if target != "stdout":
                stream.close()
                Path(target).unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        finally:
            if target != "stdout" and not stream.closed:
                stream.close()
        say(
            f"Cadangan selesai: {target} ({result.rows} baris, {result.files} berkas"
            + (f", {result.keys} kunci" if include_keys else ", tanpa kunci")
            + ")."
        )
