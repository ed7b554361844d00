"""Creators in the registry: the level at the end of each month and the new sign-ups."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ekraf.creators.models import CreatorProfile, PathwayInterest

from . import (
    AGE_BAND,
    COUNT,
    GENDER,
    KECAMATAN,
    PATHWAY,
    STOCK,
    SUBSECTOR,
    UNKNOWN,
    Figure,
    Indicator,
    bounds,
    register,
)

SOURCES = ("creators.CreatorProfile", "core.Region")
AGE_BANDS = ("15-24", "25-34", "35-44", "45-54", "55+")


def age_band(year: int, birth_year: int | None) -> str:
    """The band of the age reached in `year` (Satu Data's ten-year bands; under 15 joins
    15-24: the registry is for adults and teenagers)."""
    if not birth_year:
        return UNKNOWN
    age = year - birth_year
    if age < 25:
        return "15-24"
    if age >= 55:
        return "55+"
    low = 25 + 10 * ((age - 25) // 10)
    return f"{low}-{low + 9}"


def _active_at(end):
    """Profiles registered before `end` and not removed by then."""
    return CreatorProfile.objects.filter(created_at__lt=end).filter(
        Q(deleted_at__isnull=True) | Q(deleted_at__gte=end)
    )


def _kecamatan(code) -> str:
    return code or UNKNOWN


def _people(month) -> list[tuple[str, str, int | None, int]]:
    """(kecamatan, gender, birth year, count) of the creators active at the month's end: one
    grouped query serves the total, the gender and the age bands."""
    _start, end = bounds(month)
    return [
        (_kecamatan(kec), gender or UNKNOWN, birth_year, n)
        for kec, gender, birth_year, n in _active_at(end)
        .values("kelurahan__parent__code", "gender", "birth_year")
        .annotate(n=Count("id"))
        .values_list("kelurahan__parent__code", "gender", "birth_year", "n")
    ]


def total(month) -> list[Figure]:
    counts = Counter()
    for kec, _gender, _year, n in _people(month):
        counts[kec] += n
    return [Figure(n, kecamatan=kec) for kec, n in counts.items()]


def by_gender(month) -> list[Figure]:
    counts = Counter()
    for kec, gender, _year, n in _people(month):
        counts[kec, gender] += n
    return [Figure(n, kecamatan=kec, key=gender) for (kec, gender), n in counts.items()]


def by_age(month) -> list[Figure]:
    counts = Counter()
    for kec, _gender, year, n in _people(month):
        counts[kec, age_band(month.year, year)] += n
    return [Figure(n, kecamatan=kec, key=band) for (kec, band), n in counts.items()]


def by_subsector(month) -> list[Figure]:
    _start, end = bounds(month)
    rows = (
        _active_at(end)
        .filter(subsectors__isnull=False)
        .values("kelurahan__parent__code", "subsectors__code")
        .annotate(n=Count("id", distinct=True))
        .values_list("kelurahan__parent__code", "subsectors__code", "n")
    )
    return [Figure(n, kecamatan=_kecamatan(kec), key=code) for kec, code, n in rows]


def by_pathway(month) -> list[Figure]:
    _start, end = bounds(month)
    rows = (
        PathwayInterest.objects.filter(profile__in=_active_at(end))
        .values("profile__kelurahan__parent__code", "pathway")
        .annotate(n=Count("profile_id", distinct=True))
        .values_list("profile__kelurahan__parent__code", "pathway", "n")
    )
    return [Figure(n, kecamatan=_kecamatan(kec), key=pathway) for kec, pathway, n in rows]


def new_signups(month) -> list[Figure]:
    start, end = bounds(month)
    rows = (
        CreatorProfile.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("kelurahan__parent__code")
        .annotate(n=Count("id"))
        .values_list("kelurahan__parent__code", "n")
    )
    return [Figure(n, kecamatan=_kecamatan(kec)) for kec, n in rows]


_REMOVED = _(
    "Profil yang dihapus tidak dihitung sejak bulan penghapusannya. Kecamatan dari kelurahan "
    "domisili; yang belum mengisi atau tinggal di luar kota dicatat sebagai “x”."
)

register(
    Indicator(
        code="KRE-01",
        name=_("Pelaku ekraf terdaftar"),
        theme="creators",
        concept=_(
            "Banyaknya pelaku ekonomi kreatif yang profilnya terdaftar di platform pada akhir "
            "bulan."
        ),
        formula=_("Σ profil dengan tanggal daftar < akhir bulan dan belum dihapus per akhir bulan"),
        unit=COUNT,
        kind=STOCK,
        classification=(KECAMATAN,),
        sources=SOURCES,
        caveats=_REMOVED,
        compute=total,
    )
)
register(
    Indicator(
        code="KRE-02",
        name=_("Pelaku ekraf per subsektor"),
        theme="creators",
        concept=_("Pelaku ekraf terdaftar pada akhir bulan menurut subsektor yang mereka pilih."),
        formula=_("Σ profil aktif per subsektor (satu orang dihitung sekali di tiap subsektornya)"),
        unit=COUNT,
        kind=STOCK,
        classification=(KECAMATAN, SUBSECTOR),
        key=SUBSECTOR,
        key_additive=False,
        sources=(*SOURCES, "core.Subsector"),
        caveats=_(
            "Seorang pelaku dapat memilih beberapa subsektor, jadi jumlah semua subsektor "
            "lebih besar daripada jumlah pelaku; yang belum memilih subsektor tidak dihitung."
        ),
        compute=by_subsector,
    )
)
register(
    Indicator(
        code="KRE-03",
        name=_("Pelaku ekraf menurut jenis kelamin"),
        theme="creators",
        concept=_("Pelaku ekraf terdaftar pada akhir bulan menurut jenis kelamin."),
        formula=_("Σ profil aktif per jenis kelamin (L, P, “x” bila tidak diisi)"),
        unit=COUNT,
        kind=STOCK,
        classification=(KECAMATAN, GENDER),
        key=GENDER,
        sources=SOURCES,
        caveats=_REMOVED,
        compute=by_gender,
    )
)
register(
    Indicator(
        code="KRE-04",
        name=_("Pelaku ekraf menurut kelompok umur"),
        theme="creators",
        concept=_("Pelaku ekraf terdaftar pada akhir bulan menurut umur yang dicapai tahun itu."),
        formula=_("umur = tahun data − tahun lahir; kelompok 15-24, 25-34, 35-44, 45-54, 55+"),
        unit=COUNT,
        kind=STOCK,
        classification=(KECAMATAN, AGE_BAND),
        key=AGE_BAND,
        sources=SOURCES,
        caveats=_("Hanya tahun lahir yang dicatat; umur di bawah 15 masuk kelompok 15-24."),
        compute=by_age,
    )
)
register(
    Indicator(
        code="KRE-05",
        name=_("Pelaku ekraf menurut jalur talenta yang diminati"),
        theme="creators",
        concept=_("Pelaku ekraf terdaftar pada akhir bulan menurut jalur talenta yang diminati."),
        formula=_("Σ profil aktif yang menyatakan minat pada jalur itu"),
        unit=COUNT,
        kind=STOCK,
        classification=(KECAMATAN, PATHWAY),
        key=PATHWAY,
        key_additive=False,
        sources=(*SOURCES, "creators.PathwayInterest"),
        caveats=_(
            "Minat yang dinyatakan sendiri, bukan hasil asesmen; seorang pelaku dapat "
            "meminati beberapa jalur."
        ),
        compute=by_pathway,
    )
)
register(
    Indicator(
        code="KRE-06",
        name=_("Pendaftaran pelaku ekraf baru"),
        theme="creators",
        concept=_("Banyaknya profil pelaku ekraf yang dibuat dalam bulan itu."),
        formula=_("Σ profil dengan tanggal daftar dalam bulan"),
        unit=COUNT,
        classification=(KECAMATAN,),
        sources=SOURCES,
        caveats=_("Termasuk profil yang kemudian dihapus."),
        compute=new_signups,
    )
)
