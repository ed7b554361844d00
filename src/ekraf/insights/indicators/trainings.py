"""Trainings: held, participants, attendance, completion, learning gain and demand.

A training belongs to the month of its first session (local time); figures about its
participants are those of confirmed registrations."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, F, Min, Q, Sum
from django.utils.translation import gettext_lazy as _

from ekraf.trainings.models import Attendance, QuotaCategory, Registration, Training

from . import (
    AGENCY,
    COUNT,
    KECAMATAN,
    PERCENT,
    POINTS,
    RATIO,
    UNKNOWN,
    Figure,
    Indicator,
    bounds,
    register,
)

FINISHED = Training.Status.FINISHED
CONFIRMED = Registration.Status.CONFIRMED
SOURCES = ("trainings.Training", "trainings.Session", "core.Agency")


def _trainings(month, finished=True):
    start, end = bounds(month)
    ids = (
        Training.objects.annotate(first=Min("sessions__starts_at"))
        .filter(first__gte=start, first__lt=end)
        .values("pk")
    )
    qs = Training.objects.filter(pk__in=ids)  # a subquery: no session join in the counts
    if finished:
        return qs.filter(status=FINISHED)
    return qs.exclude(status__in=[Training.Status.DRAFT, Training.Status.CANCELLED])


def held(month) -> list[Figure]:
    rows = (
        _trainings(month)
        .values("agency__code")
        .annotate(n=Count("id"))
        .values_list("agency__code", "n")
    )
    return [Figure(n, agency=agency) for agency, n in rows]


def _confirmed(month):
    ids = _trainings(month).values("id")
    return Registration.objects.filter(training_id__in=ids, status=CONFIRMED)


def participants(month) -> list[Figure]:
    rows = (
        _confirmed(month)
        .values("training__agency__code", "kelurahan__parent__code")
        .annotate(n=Count("id"))
        .values_list("training__agency__code", "kelurahan__parent__code", "n")
    )
    return [Figure(n, agency=agency, kecamatan=kec or UNKNOWN) for agency, kec, n in rows]


def completion(month) -> list[Figure]:
    rows = (
        _confirmed(month)
        .values("training__agency__code", "kelurahan__parent__code")
        .annotate(n=Count("id"), done=Count("id", filter=Q(completed=True)))
        .values_list("training__agency__code", "kelurahan__parent__code", "done", "n")
    )
    return [
        Figure(done, n, agency=agency, kecamatan=kec or UNKNOWN) for agency, kec, done, n in rows
    ]


def attendance(month) -> list[Figure]:
    trainings = (
        _trainings(month)
        .annotate(sessions_n=Count("sessions", distinct=True))
        .values_list("id", "agency__code", "sessions_n")
    )
    trainings = list(trainings)
    ids = [pk for pk, _agency, _n in trainings]
    confirmed = dict(
        Registration.objects.filter(training_id__in=ids, status=CONFIRMED)
        .values("training_id")
        .annotate(n=Count("id"))
        .values_list("training_id", "n")
    )
    present = dict(
        Attendance.objects.filter(registration__training_id__in=ids, registration__status=CONFIRMED)
        .values("registration__training_id")
        .annotate(n=Count("id"))
        .values_list("registration__training_id", "n")
    )
    value, base = Counter(), Counter()
    for pk, agency, sessions_n in trainings:
        value[agency] += present.get(pk, 0)
        base[agency] += confirmed.get(pk, 0) * sessions_n
    return [Figure(value[a], base[a], agency=a) for a in base if base[a]]


def gain(month) -> list[Figure]:
    rows = (
        _confirmed(month)
        .filter(pre_test_score__isnull=False, post_test_score__isnull=False)
        .values("training__agency__code")
        .annotate(n=Count("id"), gain=Sum(F("post_test_score") - F("pre_test_score")))
        .values_list("training__agency__code", "gain", "n")
    )
    return [Figure(round(total * 100), n, agency=agency) for agency, total, n in rows]


def demand(month) -> list[Figure]:
    ids = _trainings(month, finished=False).values("id")
    applicants = dict(
        Registration.objects.filter(training_id__in=ids)
        .values("training__agency__code")
        .annotate(n=Count("id"))
        .values_list("training__agency__code", "n")
    )
    seats = dict(
        QuotaCategory.objects.filter(training_id__in=ids)
        .values("training__agency__code")
        .annotate(n=Sum("seats"))
        .values_list("training__agency__code", "n")
    )
    return [
        Figure(applicants.get(a, 0), seats.get(a) or 0, agency=a)
        for a in set(applicants) | set(seats)
    ]


def waiting(month) -> list[Figure]:
    ids = _trainings(month, finished=False).values("id")
    rows = (
        Registration.objects.filter(
            training_id__in=ids,
            status__in=[Registration.Status.WAITLISTED, Registration.Status.OFFERED],
        )
        .values("training__agency__code")
        .annotate(n=Count("id"))
        .values_list("training__agency__code", "n")
    )
    return [Figure(n, agency=agency) for agency, n in rows]


_MONTH = _("Pelatihan masuk ke bulan sesi pertamanya (WIB).")

register(
    Indicator(
        code="PEL-01",
        name=_("Pelatihan terselenggara"),
        theme="trainings",
        concept=_(
            "Banyaknya pelatihan (bimtek, workshop, pelatihan) yang selesai diselenggarakan."
        ),
        formula=_("Σ pelatihan berstatus selesai, per bulan sesi pertama"),
        unit=COUNT,
        classification=(AGENCY,),
        sources=SOURCES,
        caveats=_MONTH,
        compute=held,
    )
)
register(
    Indicator(
        code="PEL-02",
        name=_("Peserta pelatihan"),
        theme="trainings",
        concept=_("Banyaknya pendaftaran terkonfirmasi pada pelatihan yang selesai."),
        formula=_("Σ pendaftaran terkonfirmasi pada pelatihan selesai"),
        unit=COUNT,
        classification=(AGENCY, KECAMATAN),
        sources=(*SOURCES, "trainings.Registration"),
        caveats=_(
            "Satu orang yang mengikuti dua pelatihan dihitung dua kali. Kecamatan dari "
            "kelurahan yang diisi saat mendaftar."
        ),
        compute=participants,
    )
)
register(
    Indicator(
        code="PEL-03",
        name=_("Tingkat kehadiran"),
        theme="trainings",
        concept=_("Bagian sesi yang dihadiri peserta terkonfirmasi dari semua sesi mereka."),
        formula=_("Σ presensi ÷ Σ (peserta terkonfirmasi × banyaknya sesi) × 100"),
        unit=PERCENT,
        classification=(AGENCY,),
        sources=(*SOURCES, "trainings.Registration", "trainings.Attendance"),
        caveats=_MONTH,
        compute=attendance,
    )
)
register(
    Indicator(
        code="PEL-04",
        name=_("Tingkat kelulusan"),
        theme="trainings",
        concept=_("Bagian peserta terkonfirmasi pelatihan selesai yang dinyatakan lulus."),
        formula=_("Σ peserta lulus ÷ Σ peserta terkonfirmasi × 100"),
        unit=PERCENT,
        classification=(AGENCY, KECAMATAN),
        sources=(*SOURCES, "trainings.Registration"),
        caveats=_("Peserta yang belum dinilai dihitung belum lulus."),
        compute=completion,
    )
)
register(
    Indicator(
        code="PEL-05",
        name=_("Rata-rata kenaikan nilai pre→post-test"),
        theme="trainings",
        concept=_("Rata-rata selisih nilai post-test dan pre-test peserta terkonfirmasi."),
        formula=_("Σ (post-test − pre-test) ÷ banyaknya peserta dengan kedua nilai"),
        unit=POINTS,
        classification=(AGENCY,),
        sources=(*SOURCES, "trainings.Registration"),
        caveats=_("Hanya peserta yang punya kedua nilai; skala nilai 0–100."),
        compute=gain,
    )
)
register(
    Indicator(
        code="PEL-06",
        name=_("Pendaftar per kursi"),
        theme="trainings",
        concept=_("Permintaan: banyaknya pendaftaran dibanding kursi yang disediakan."),
        formula=_("Σ pendaftaran (semua status) ÷ Σ kursi kategori kuota"),
        unit=RATIO,
        classification=(AGENCY,),
        sources=(*SOURCES, "trainings.Registration", "trainings.QuotaCategory"),
        caveats=_("Pelatihan yang dibuka (bukan draf, tidak dibatalkan). ") + _MONTH,
        compute=demand,
    )
)
register(
    Indicator(
        code="PEL-07",
        name=_("Daftar tunggu"),
        theme="trainings",
        concept=_("Banyaknya pendaftaran yang berada di daftar tunggu atau sedang ditawari kursi."),
        formula=_("Σ pendaftaran berstatus daftar tunggu atau ditawari"),
        unit=COUNT,
        classification=(AGENCY,),
        sources=(*SOURCES, "trainings.Registration"),
        caveats=_("Status saat angka dihitung, bukan riwayat."),
        compute=waiting,
    )
)
