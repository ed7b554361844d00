from django.core.management.base import BaseCommand, CommandError

from ekraf.ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an empty database (--force: any database, "
        "whose contents are replaced). The whole archive is checked before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--check", action="store_true", help="only verify the archive; change nothing"
        )
        parser.add_argument(
            "--force", action="store_true", help="replace the contents of a non-empty database"
        )
        parser.add_argument(
            "--include-keys",
            action="store_true",
            help="also restore the keys the archive holds (made with backup --include-keys)",
        )
        parser.add_argument(
            "--ignore-keys",
            action="store_true",
            help="restore even if the installed keys cannot read the backup's personal data",
        )

    def handle(self, path, check, force, include_keys, ignore_keys, **options):
        def say(message):
            if options["verbosity"]:
                self.stderr.write(message)

        try:
            if check:
                manifest = verify(path)
                tables = manifest["database"]["tables"]
                say(
                    f"Arsip utuh: {len(tables)} tabel, {sum(t['rows'] for t in tables)} baris, "
                    f"{len(manifest['files']['items'])} berkas, "
                    f"{len(manifest['keys']['items'])} kunci; dibuat {manifest['created_at']}."
                )
                return
            result = restore(
                path, force=force, include_keys=include_keys, ignore_keys=ignore_keys, out=say
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Perhatian: {warning}"))
        say(
            f"Pemulihan selesai: {result.rows} baris, {result.files} berkas"
            + (f", {result.keys} kunci" if result.keys else "")
            + ". Mulai ulang layanan web dan worker."
        )
