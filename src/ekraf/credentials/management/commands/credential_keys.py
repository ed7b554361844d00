"""Create and rotate the e-certificate signing keys (kept under EKRAF_CREDENTIAL_KEYS_DIR)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from ekraf.credentials import keys


class Command(BaseCommand):
    help = (
        "init: create missing keys (Ed25519 for QR/Open Badges, local CA, PAdES certificate, "
        "local timestamping certificate); "
        "rotate: new active Ed25519 key (old keys stay published for verification); "
        "rotate-pdf: new PAdES signing certificate from the local CA; list: show the keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "rotate", "rotate-pdf", "list"])

    def handle(self, action, **options):
        if action == "init":
            created = keys.init()
            self.stdout.write(
                "Dibuat: " + ", ".join(created) if created else "Semua kunci sudah ada."
            )
        elif action == "rotate":
            keys.init()
            kid = keys.add_ed25519_key()
            self.stdout.write(f"Kunci Ed25519 aktif baru: {kid} (kunci lama tetap dipublikasikan)")
        elif action == "rotate-pdf":
            keys.init()
            keys.issue_pades_certificate()
            self.stdout.write("Sertifikat penandatangan PDF baru dibuat.")
        ring = keys.keyring()
        for key in ring.keys.values():
            state = "aktif" if key.kid == ring.active.kid else f"pensiun {key.retired}"
            self.stdout.write(f"  {key.kid}  {key.multikey}  dibuat {key.created}  {state}")
        material = keys.pades_material()
        self.stdout.write(
            f"  PAdES: {material.cert.subject.rfc4514_string()}, berlaku s.d. "
            f"{material.cert.not_valid_after_utc:%Y-%m-%d}"
        )
        if settings.TSA_URL:
            self.stdout.write(f"  Penanda waktu: {settings.TSA_URL}")
        else:
            tsa = keys.tsa_material().cert
            self.stdout.write(
                f"  Penanda waktu lokal: {tsa.subject.rfc4514_string()}, berlaku s.d. "
                f"{tsa.not_valid_after_utc:%Y-%m-%d}"
            )
