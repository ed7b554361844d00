"""Talent: pathways assessed after trainings, and speaker engagements (narasumber, motivator)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ekraf.core.models import Region
from ekraf.talent.models import AssessedPathway, SpeakerBooking

from . import AGENCY, COUNT, KECAMATAN, PATHWAY, UNKNOWN, Figure, Indicator, bounds, register

SPOKE = (SpeakerBooking.Status.ACCEPTED, SpeakerBooking.Status.COMPLETED)


def assessed(month) -> list[Figure]:
    start, end = bounds(month)
    rows = (
        AssessedPathway.objects.filter(assessed_at__gte=start, assessed_at__lt=end)
        .values("creator__kelurahan__parent__code", "pathway")
        .annotate(n=Count("id"))
        .values_list("creator__kelurahan__parent__code", "pathway", "n")
    )
    return [Figure(n, kecamatan=kec or UNKNOWN, key=pathway) for kec, pathway, n in rows]


def _kecamatan(level, code, parent_code) -> str:
    """A request's region is a kelurahan or a kecamatan (or the whole city, or not given)."""
    if level == Region.Level.DISTRICT:
        return code
    if level == Region.Level.VILLAGE:
        return parent_code or UNKNOWN
    return UNKNOWN


def speaking(month) -> list[Figure]:
    start, end = bounds(month)
    rows = (
        SpeakerBooking.objects.filter(status__in=SPOKE, starts_at__gte=start, starts_at__lt=end)
        .values(
            "request__agency__code",
            "request__region__level",
            "request__region__code",
            "request__region__parent__code",
        )
        .annotate(n=Count("id"))
        .values_list(
            "request__agency__code",
            "request__region__level",
            "request__region__code",
            "request__region__parent__code",
            "n",
        )
    )
    counts = Counter()
    for agency, level, code, parent, n in rows:
        counts[agency, _kecamatan(level, code, parent)] += n
    return [Figure(n, agency=agency, kecamatan=kec) for (agency, kec), n in counts.items()]


register(
    Indicator(
        code="TAL-01",
        name=_("Jalur talenta hasil asesmen"),
        theme="talent",
        concept=_("Banyaknya pelaku yang dinilai layak pada suatu jalur talenta."),
        formula=_("Σ asesmen jalur per bulan asesmen, per jalur"),
        unit=COUNT,
        classification=(KECAMATAN, PATHWAY),
        key=PATHWAY,
        sources=("talent.AssessedPathway", "creators.CreatorProfile", "core.Region"),
        caveats=_(
            "Satu asesmen per pelaku × jalur × pelatihan: pelaku yang dinilai pada dua "
            "pelatihan dihitung dua kali. Kecamatan dari kelurahan domisili pelaku."
        ),
        compute=assessed,
    )
)
register(
    Indicator(
        code="TAL-02",
        name=_("Keterlibatan narasumber"),
        theme="talent",
        concept=_("Banyaknya penugasan narasumber yang diterima atau selesai."),
        formula=_("Σ pemesanan narasumber berstatus diterima/selesai per bulan mulai"),
        unit=COUNT,
        classification=(AGENCY, KECAMATAN),
        sources=("talent.SpeakerRequest", "talent.SpeakerBooking", "core.Agency"),
        caveats=_(
            "Perangkat daerah yang meminta; kecamatan dari wilayah kegiatan (“x” bila "
            "seluruh kota atau tidak diisi). Status saat angka dihitung."
        ),
        compute=speaking,
    )
)
