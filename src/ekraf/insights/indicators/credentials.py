"""E-certificates issued and revoked; professional-certification referrals and outcomes."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ekraf.credentials.models import Certificate, Referral

from . import AGENCY, COUNT, STATUS, Figure, Indicator, bounds, next_month, register


def issued(month) -> list[Figure]:
    rows = (
        Certificate.objects.filter(issued_on__gte=month, issued_on__lt=next_month(month))
        .values("agency__code")
        .annotate(n=Count("id"))
        .values_list("agency__code", "n")
    )
    return [Figure(n, agency=agency) for agency, n in rows]


def revoked(month) -> list[Figure]:
    start, end = bounds(month)
    rows = (
        Certificate.objects.filter(revoked_at__gte=start, revoked_at__lt=end)
        .values("agency__code")
        .annotate(n=Count("id"))
        .values_list("agency__code", "n")
    )
    return [Figure(n, agency=agency) for agency, n in rows]


def referrals(month) -> list[Figure]:
    start, end = bounds(month)
    rows = (
        Referral.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("agency__code", "status")
        .annotate(n=Count("id"))
        .values_list("agency__code", "status", "n")
    )
    return [Figure(n, agency=agency, key=status) for agency, status, n in rows]


def referrals_received(month) -> list[Figure]:
    totals: dict[str, int] = {}
    for figure in referrals(month):
        totals[figure.agency] = totals.get(figure.agency, 0) + figure.value
    return [Figure(n, agency=agency) for agency, n in totals.items()]


register(
    Indicator(
        code="SER-01",
        name=_("E-sertifikat terbit"),
        theme="credentials",
        concept=_("Banyaknya e-sertifikat pelatihan yang diterbitkan."),
        formula=_("Σ sertifikat per bulan tanggal terbit"),
        unit=COUNT,
        classification=(AGENCY,),
        sources=("credentials.Certificate", "core.Agency"),
        caveats=_("Termasuk sertifikat yang kemudian dicabut."),
        compute=issued,
    )
)
register(
    Indicator(
        code="SER-02",
        name=_("E-sertifikat dicabut"),
        theme="credentials",
        concept=_("Banyaknya e-sertifikat yang dicabut."),
        formula=_("Σ sertifikat per bulan pencabutan"),
        unit=COUNT,
        classification=(AGENCY,),
        sources=("credentials.Certificate", "core.Agency"),
        compute=revoked,
    )
)
register(
    Indicator(
        code="SER-03",
        name=_("Rujukan sertifikasi profesi"),
        theme="credentials",
        concept=_("Banyaknya permintaan sertifikasi profesi (BNSP) yang diterima."),
        formula=_("Σ rujukan per bulan diterima"),
        unit=COUNT,
        classification=(AGENCY,),
        sources=("credentials.Referral", "core.Agency"),
        compute=referrals_received,
    )
)
register(
    Indicator(
        code="SER-04",
        name=_("Hasil rujukan sertifikasi"),
        theme="credentials",
        concept=_("Rujukan yang diterima dalam bulan itu menurut statusnya sekarang."),
        formula=_("Σ rujukan per status (diterima, diteruskan, dijadwalkan, tersertifikasi, …)"),
        unit=COUNT,
        classification=(AGENCY, STATUS),
        key=STATUS,
        sources=("credentials.Referral", "core.Agency"),
        caveats=_("Status saat angka dihitung: rujukan bulan lalu bisa masih berjalan."),
        compute=referrals,
    )
)
