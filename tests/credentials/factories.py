"""Trainings with participants in the states certificates depend on, for credentials tests.

Registration.completed is set directly: computing completion is the trainings app's job.
"""

import datetime as dt
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from ekraf.credentials import services
from ekraf.credentials.models import IssuanceJob, Signatory
from ekraf.trainings.models import Attendance, QuotaCategory, Registration, Session, Training
from tests import factories

_seq = itertools.count(1)
PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def signatory(agency, name="Dr. Siti Rahayu, M.Si.", **extra) -> Signatory:
    person = Signatory.objects.create(
        agency=agency,
        name=name,
        nip=extra.pop("nip", "197501012000032001"),
        title=extra.pop("title", "Kepala Dinas"),
        **extra,
    )
    person.signature.save("ttd.png", ContentFile(PNG_1PX), save=True)
    return person


def training(agency, *, kind="completion", sessions=2, hours=16, title=None, signed=True):
    n = next(_seq)
    obj = Training.objects.create(
        agency=agency,
        title=title or f"Bimtek Konten Kreator {n}",
        hours=hours,
        certificate_kind=kind,
        status=Training.Status.FINISHED,
    )
    start = timezone.make_aware(dt.datetime(2024, 1, 24, 8, 0))
    for day in range(sessions):
        Session.objects.create(
            training=obj,
            starts_at=start + dt.timedelta(days=day),
            ends_at=start + dt.timedelta(days=day, hours=8),
            address="Malang Creative Center, Jl. A. Yani Utara",
        )
    QuotaCategory.objects.create(training=obj, name="Umum", seats=100)
    if signed and not Signatory.objects.filter(agency=agency).exists():
        signatory(agency)
    return obj


def registration(
    training, user=None, *, completed=True, status="confirmed", attended=False, name=None
) -> Registration:
    user = user or factories.user("peserta")
    reg = Registration.objects.create(
        training=training,
        category=training.categories.first(),
        user=user,
        status=status,
        full_name=name or user.full_name,
        email=user.email,
        phone="+6281234500000",
        completed=completed,
    )
    if attended:
        Attendance.objects.create(
            registration=reg,
            session=training.sessions.first(),
            checked_in_at=timezone.now(),
            method=Attendance.Method.MANUAL,
        )
    return reg


def completers(training, n: int) -> list[Registration]:
    return [registration(training) for _ in range(n)]


def issue(training, actor=None) -> IssuanceJob:
    """Run the real issuance synchronously (what the worker does)."""
    job = IssuanceJob.objects.create(training=training, requested_by=actor)
    return services.run_issuance_job(job.pk)
