from django.core.management.base import BaseCommand, CommandError

from ekraf.core import auditchain


class Command(BaseCommand):
    help = (
        "The audit trail's hash chain: `audit verify` walks it and fails (exit code 1) naming "
        "the first entry that was deleted, altered or written around audit()."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="check every entry of the chain")

    def handle(self, subcommand, **options):
        if subcommand == "verify":
            verdict = auditchain.verify()
            if not verdict.ok:
                raise CommandError(verdict.describe(), returncode=1)
            self.stdout.write(verdict.describe())
