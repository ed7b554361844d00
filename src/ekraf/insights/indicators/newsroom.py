"""Citizen journalism: stories published on the portal, by kecamatan."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ekraf.newsroom.models import Story

from . import COUNT, KECAMATAN, UNKNOWN, Figure, Indicator, bounds, register

PUBLISHED = Story.Status.PUBLISHED


def published(month) -> list[Figure]:
    start, end = bounds(month)
    rows = (
        Story.objects.filter(status=PUBLISHED, published_at__gte=start, published_at__lt=end)
        .annotate(kec=Coalesce("district__code", "region__parent__code"))
        .values("kec")
        .annotate(n=Count("id"))
        .values_list("kec", "n")
    )
    return [Figure(n, kecamatan=kec or UNKNOWN) for kec, n in rows]


register(
    Indicator(
        code="BER-01",
        name=_("Berita warga terbit"),
        theme="newsroom",
        concept=_("Banyaknya berita pewarta warga yang terbit."),
        formula=_("Σ berita berstatus terbit per bulan terbit, per kecamatan"),
        unit=COUNT,
        classification=(KECAMATAN,),
        sources=("newsroom.Story", "core.Region"),
        caveats=_(
            "Bulan terbit pertama (WIB); koreksi tidak menambah hitungan; berita yang kemudian "
            "dicabut tidak dihitung. Kecamatan dari kelurahan berita (“x” bila tidak diisi)."
        ),
        compute=published,
    )
)
