"""Demo e-certificates: signatories, real issuance for completed demo registrations, one re-issued
(corrected) and one revoked certificate, and referrals in several states. The demo `kreator` holds at least one certificate
so a newcomer can open the wallet, download the PDF and scan its QR.

Runs after the trainings demo. When that demo has produced no completed registrations (or is
not there yet), a small finished training of Diskominfo is created here so the screens have data.
"""

from __future__ import annotations

import datetime as dt
import io
import math

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from ekraf.accounts.models import User
from ekraf.core.models import Agency, Space
from ekraf.trainings.models import Attendance, QuotaCategory, Registration, Session, Training

from . import keys, services
from .models import IssuanceJob, Referral, RevocationCategory, Signatory

SIGNATORIES = {
    "diskominfo": [
        (
            "Dr. Ir. Bambang Suprapto, M.Si.",
            "196805121994031007",
            "Kepala Dinas Komunikasi dan Informatika",
        ),
        (
            "Rahmawati Ningsih, S.Kom., M.T.",
            "198203142006042011",
            "Kepala Bidang Aplikasi dan Informatika",
        ),
    ],
    "diskopindag": [
        (
            "Drs. Heru Santoso, M.M.",
            "197011091996031004",
            "Kepala Dinas Koperasi, Perindustrian dan Perdagangan",
        ),
    ],
}


def _signature_png(seed: int) -> bytes:
    """A hand-drawn-looking scribble (demo only: no real official's signature)."""
    width, height = 360, 130
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = []
    for i in range(90):
        x = 20 + i * 3.6
        y = 65 + 35 * math.sin(i / (5 + seed % 3)) * math.cos(i / (11 + seed % 5))
        points.append((x, y))
    draw.line(points, fill=(20, 30, 110, 255), width=4, joint="curve")
    draw.line([(40, 100), (320, 92)], fill=(20, 30, 110, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _signatories(ctx) -> None:
    for code, people in SIGNATORIES.items():
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        for n, (name, nip, title) in enumerate(people):
            signatory, created = Signatory.objects.get_or_create(
                agency=agency, name=name, defaults={"nip": nip, "title": title}
            )
            if created:
                signatory.signature.save(
                    f"{code}-{n}.png", ContentFile(_signature_png(n + len(code))), save=True
                )


def _fallback_training(ctx) -> None:
    """A finished Diskominfo bimtek with completed participants, when none exists yet."""
    agency = Agency.objects.get(code="diskominfo")
    organiser = User.objects.filter(username="penyelenggara").first()
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    start -= dt.timedelta(days=21)
    training = Training.objects.create(
        agency=agency,
        title="Bimtek Konten Kreator: Branding Kota",
        kind=Training.Kind.BIMTEK,
        description="Membuat konten media sosial yang mengangkat citra kota dan bernilai ekonomi.",
        hours=16,
        certificate_kind=Training.CertificateKind.COMPLETION,
        completion_min_post_test=70,
        status=Training.Status.FINISHED,
        created_by=organiser,
    )
    space = Space.objects.filter(is_active=True).first()
    sessions = [
        Session.objects.create(
            training=training,
            title=f"Hari {day + 1}",
            starts_at=start + dt.timedelta(days=day),
            ends_at=start + dt.timedelta(days=day, hours=8),
            space=space,
        )
        for day in range(2)
    ]
    category = QuotaCategory.objects.create(training=training, name="Umum", seats=30)
    people = list(User.objects.filter(username="kreator"))
    for i in range(11):
        people.append(
            User.objects.create_user(
                username=f"peserta{i + 1}",
                email=f"peserta{i + 1}@demo.ekraf.invalid",
                password=ctx.password,
                full_name=ctx.faker.name(),
                email_verified_at=timezone.now(),
            )
        )
    for i, person in enumerate(people):
        passed = i < 10
        registration = Registration.objects.create(
            training=training,
            category=category,
            user=person,
            status=Registration.Status.CONFIRMED,
            full_name=person.display_name,
            email=person.email,
            phone=f"+62812{ctx.rng.randint(10_000_000, 99_999_999)}",
            confirmed_at=start - dt.timedelta(days=7),
            pre_test_score=ctx.rng.randint(40, 70),
            post_test_score=ctx.rng.randint(72, 98) if passed else ctx.rng.randint(40, 65),
            completed=passed,
            completion_reason="Hadir penuh dan post-test ≥ 70" if passed else "Post-test < 70",
        )
        for session in sessions:
            Attendance.objects.create(
                registration=registration,
                session=session,
                checked_in_at=session.starts_at + dt.timedelta(minutes=ctx.rng.randint(0, 20)),
                method=Attendance.Method.SCAN,
            )


def _issue_all(ctx) -> list:
    trainings = Training.objects.filter(
        registrations__status=Registration.Status.CONFIRMED, registrations__completed=True
    ).distinct()
    issued = []
    for training in trainings:
        if not services.signatories_for(training):
            continue
        organiser = User.objects.filter(
            role_grants__role="organiser", role_grants__agency=training.agency
        ).first()
        job = IssuanceJob.objects.create(training=training, requested_by=organiser)
        job = services.run_issuance_job(job.pk)  # the real issuance, synchronously
        issued.extend(training.certificates.all())
        ctx.out.write(f"  {training.title}: {job.done}/{job.total} e-sertifikat")
    return issued


def _organiser_of(cert):
    return (
        User.objects.filter(role_grants__role="organiser", role_grants__agency=cert.agency).first()
        or User.objects.filter(username="admin").first()
    )


def _reissue_and_revoke(issued, kreator) -> None:
    """One certificate re-issued with a corrected name (its old one verifies as "diganti"),
    another revoked with a listed reason (never the demo kreator's)."""
    others = [c for c in issued if kreator is None or c.holder_id != kreator.pk]
    if others:
        wrong = others[0]
        services.reissue_certificate(
            _organiser_of(wrong),
            wrong.code,
            holder_name=f"{wrong.holder_name}, S.Kom.",
            reason="Gelar peserta belum tercantum pada e-sertifikat pertama.",
        )
    if len(others) > 1:
        victim = others[1]
        services.revoke_certificate(
            _organiser_of(victim),
            victim.code,
            "Peserta tercatat hadir karena salah pindai; sebenarnya tidak mengikuti pelatihan.",
            category=RevocationCategory.ISSUED_IN_ERROR,
        )


def _referrals(ctx, kreator) -> None:
    staff = User.objects.filter(username="disnaker").first()
    try:
        services.referral_agency()
    except Exception:  # noqa: BLE001 - no Disnaker-PMPTSP in this city's data
        return
    if kreator is not None and staff is not None:
        referral = services.request_referral(
            kreator,
            scheme="Content Creator (SKKNI Konten Kreator)",
            motivation="Sudah 2 tahun membuat konten kuliner Malang; ingin sertifikat kompetensi "
            "untuk melamar kerja sama dengan agensi.",
            phone="+6281234567890",
        )
        services.advance_referral(
            staff,
            referral,
            status=Referral.Status.FORWARDED,
            lsp_name="LSP Komunikasi dan Digital Kreatif",
            note="Berkas Anda kami teruskan ke LSP. Siapkan portofolio 5 konten terbaik.",
        )
    others = list(
        User.objects.filter(username__startswith="peserta").order_by("username")[:2]
    ) or list(User.objects.filter(role_grants__role="creator").exclude(username="kreator")[:2])
    if others and staff is not None:
        first = services.request_referral(
            others[0], scheme="Fotografer Produk", motivation="Usaha foto produk UMKM."
        )
        services.advance_referral(
            staff, first, status=Referral.Status.FORWARDED, lsp_name="LSP Fotografi Indonesia"
        )
        services.advance_referral(
            staff,
            first,
            status=Referral.Status.SCHEDULED,
            scheduled_for=timezone.localdate() + dt.timedelta(days=14),
            note="Uji kompetensi di TUK Malang Creative Center pukul 08.00 WIB.",
        )
    if len(others) > 1:
        services.request_referral(others[1], scheme="Desainer Grafis Muda")


def build(ctx) -> None:
    keys.init()
    _signatories(ctx)
    completed = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, completed=True
    ).exists()
    if not completed and Agency.objects.filter(code="diskominfo").exists():
        _fallback_training(ctx)
    kreator = User.objects.filter(username="kreator").first()
    issued = _issue_all(ctx)
    if issued:
        _reissue_and_revoke(issued, kreator)
    _referrals(ctx, kreator)
