"""The open-data datasets of a monthly release: aggregated, person-free, suppressed jointly.

Every count table of a release is built from the month's rollups and passed together to
`disclosure.protect`, so that no suppressed cell can be recomputed from the published cells,
margins or the other tables (the creators' tables share their kecamatan totals). The code lists
(Kemendagri region codes, the 17 subsectors, the agencies, the rooms) are datasets of the
release too, so each release is self-contained and its foreign keys resolve inside it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from ekraf.core.models import Agency, Region, Space, Subsector

from .. import disclosure
from ..indicators import UNKNOWN, month_start, months_between
from ..indicators.creators import AGE_BANDS
from ..models import Rollup
from ..rollups import previous_month

PUBLISHED, SUPPRESSED = "terbit", "ditekan"
SUPPRESSED_MARK = "*"  # what a suppressed cell holds in CSV (a missingValue)
HISTORY = 12  # months in each monthly series


def threshold() -> int:
    return int(getattr(settings, "EKRAF_DISCLOSURE_THRESHOLD", disclosure.DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type
    title: str
    description: str = ""
    reference: str = ""  # the code list resource this column refers to
    enum: tuple = ()


@dataclass
class Dataset:
    code: str
    title: str
    description: str
    columns: list[Column]
    keywords: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    is_code_list: bool = False
    primary_key: tuple[str, ...] = ()
    rows: list[list] = field(default_factory=list)


KECAMATAN = Column(
    "kecamatan",
    "string",
    str(_("Kecamatan")),
    str(_("Kode wilayah Kemendagri; kosong = semua kecamatan; x = belum diisi/luar kota")),
    reference="kode-wilayah",
)
AGENCY = Column(
    "perangkat_daerah",
    "string",
    str(_("Perangkat daerah")),
    str(_("Kode perangkat daerah; kosong = semua")),
    reference="kode-perangkat-daerah",
)
MONTH = Column("bulan", "yearmonth", str(_("Bulan")), str(_("Kosong = semua bulan")))
COUNT = Column(
    "jumlah",
    "integer",
    str(_("Jumlah")),
    str(_("“*” = ditekan (1–4, atau dapat dihitung dari angka lain)")),
)
STATUS = Column("status", "string", str(_("Status sel")), enum=(PUBLISHED, SUPPRESSED))


def code_lists() -> list[Dataset]:
    regions = Dataset(
        "kode-wilayah",
        str(_("Kode wilayah (Kemendagri)")),
        str(_("Kecamatan kota dengan kode wilayah Kemendagri.")),
        [
            Column("kode", "string", str(_("Kode"))),
            Column("nama", "string", str(_("Nama"))),
            Column("tingkat", "string", str(_("Tingkat"))),
        ],
        is_code_list=True,
        primary_key=("kode",),
        rows=[
            [code, name, "kecamatan"]
            for code, name in Region.objects.filter(level=Region.Level.DISTRICT)
            .order_by("code")
            .values_list("code", "name")
        ]
        + [[UNKNOWN, str(_("Belum diisi / luar kota")), "lainnya"]],
    )
    subsectors = Dataset(
        "kode-subsektor",
        str(_("Kode subsektor ekonomi kreatif")),
        str(_("Tujuh belas subsektor ekonomi kreatif.")),
        [
            Column("kode", "string", str(_("Kode"))),
            Column("nama", "string", str(_("Nama"))),
            Column("nama_en", "string", str(_("Nama (Inggris)"))),
        ],
        is_code_list=True,
        primary_key=("kode",),
        rows=[list(r) for r in Subsector.objects.values_list("code", "name_id", "name_en")],
    )
    agencies = Dataset(
        "kode-perangkat-daerah",
        str(_("Kode perangkat daerah")),
        str(_("Perangkat daerah dan lembaga penyelenggara.")),
        [
            Column("kode", "string", str(_("Kode"))),
            Column("nama_singkat", "string", str(_("Nama singkat"))),
            Column("nama", "string", str(_("Nama lengkap"))),
        ],
        is_code_list=True,
        primary_key=("kode",),
        rows=[
            list(r)
            for r in Agency.objects.order_by("code").values_list("code", "short_name", "name")
        ],
    )
    rooms = Dataset(
        "kode-ruang",
        str(_("Kode ruang")),
        str(_("Ruang di pusat kreatif.")),
        [Column("kode", "string", str(_("Kode"))), Column("nama", "string", str(_("Nama")))],
        is_code_list=True,
        primary_key=("kode",),
        rows=[list(r) for r in Space.objects.order_by("code").values_list("code", "name")],
    )
    return [regions, subsectors, agencies, rooms]


def _rollup(code, months, *fields):
    out = defaultdict(int)
    for *dims, value in (
        Rollup.objects.filter(code=code, month__in=months)
        .values(*fields)
        .annotate(v=Sum("value"))
        .values_list(*fields, "v")
    ):
        out[tuple(dims)] += value
    return out


def count_tables(month: dt.date) -> tuple[list[Dataset], list[disclosure.Table]]:
    """The count datasets of the release and the disclosure tables they publish."""
    month = month_start(month)
    first = month
    for _i in range(HISTORY - 1):
        first = previous_month(first)
    months = months_between(first, month)
    kecamatans = [
        *Region.objects.filter(level=Region.Level.DISTRICT)
        .order_by("code")
        .values_list("code", flat=True),
        UNKNOWN,
    ]
    agencies = list(Agency.objects.order_by("code").values_list("code", flat=True))
    month_codes = [m.strftime("%Y-%m") for m in months]
    specs = [
        (
            Dataset(
                "pelaku-kecamatan-jenis-kelamin",
                str(_("Pelaku ekraf menurut kecamatan dan jenis kelamin")),
                str(_("Pelaku ekraf terdaftar pada akhir bulan rilis (indikator KRE-03).")),
                [
                    KECAMATAN,
                    Column(
                        "jenis_kelamin",
                        "string",
                        str(_("Jenis kelamin")),
                        str(_("L, P, x = tidak diisi; kosong = semua")),
                        enum=("L", "P", UNKNOWN),
                    ),
                    COUNT,
                    STATUS,
                ],
                keywords=("pelaku ekraf", "gender"),
                indicators=("KRE-03",),
            ),
            disclosure.Table(
                "pelaku-kecamatan-jenis-kelamin",
                "pelaku",
                ("kecamatan", "jenis_kelamin"),
                dict(_rollup("KRE-03", [month], "kecamatan", "key")),
                domains={"kecamatan": kecamatans, "jenis_kelamin": ["L", "P", UNKNOWN]},
            ),
        ),
        (
            Dataset(
                "pelaku-kecamatan-kelompok-umur",
                str(_("Pelaku ekraf menurut kecamatan dan kelompok umur")),
                str(_("Pelaku ekraf terdaftar pada akhir bulan rilis (indikator KRE-04).")),
                [
                    KECAMATAN,
                    Column(
                        "kelompok_umur",
                        "string",
                        str(_("Kelompok umur")),
                        str(_("x = tahun lahir tidak diisi; kosong = semua")),
                        enum=(*AGE_BANDS, UNKNOWN),
                    ),
                    COUNT,
                    STATUS,
                ],
                keywords=("pelaku ekraf", "umur"),
                indicators=("KRE-04",),
            ),
            disclosure.Table(
                "pelaku-kecamatan-kelompok-umur",
                "pelaku",
                ("kecamatan", "kelompok_umur"),
                dict(_rollup("KRE-04", [month], "kecamatan", "key")),
                domains={"kecamatan": kecamatans, "kelompok_umur": [*AGE_BANDS, UNKNOWN]},
            ),
        ),
        (
            Dataset(
                "pelaku-subsektor",
                str(_("Pelaku ekraf menurut subsektor")),
                str(
                    _(
                        "Pelaku ekraf terdaftar pada akhir bulan rilis per subsektor (KRE-02); "
                        "satu orang dihitung di tiap subsektornya, jadi tidak ada total."
                    )
                ),
                [
                    Column(
                        "subsektor",
                        "string",
                        str(_("Subsektor")),
                        reference="kode-subsektor",
                    ),
                    COUNT,
                    STATUS,
                ],
                keywords=("pelaku ekraf", "subsektor"),
                indicators=("KRE-02",),
            ),
            disclosure.Table(
                "pelaku-subsektor",
                "pelaku-subsektor",
                ("subsektor",),
                {(k,): v for (k,), v in _rollup("KRE-02", [month], "key").items()},
                domains={"subsektor": list(Subsector.objects.values_list("code", flat=True))},
                additive=False,
            ),
        ),
        (
            Dataset(
                "peserta-pelatihan-bulanan",
                str(_("Peserta pelatihan per bulan dan perangkat daerah")),
                str(_("Peserta terkonfirmasi pelatihan yang selesai, 12 bulan (PEL-02).")),
                [MONTH, AGENCY, COUNT, STATUS],
                keywords=("pelatihan", "peserta"),
                indicators=("PEL-02",),
            ),
            disclosure.Table(
                "peserta-pelatihan-bulanan",
                "peserta",
                ("bulan", "perangkat_daerah"),
                {
                    (m.strftime("%Y-%m"), a): v
                    for (m, a), v in _rollup("PEL-02", months, "month", "agency").items()
                },
                domains={"bulan": month_codes, "perangkat_daerah": agencies},
            ),
        ),
        (
            Dataset(
                "sertifikat-bulanan",
                str(_("E-sertifikat terbit per bulan dan perangkat daerah")),
                str(_("E-sertifikat pelatihan yang diterbitkan, 12 bulan (SER-01).")),
                [MONTH, AGENCY, COUNT, STATUS],
                keywords=("sertifikat", "pelatihan"),
                indicators=("SER-01",),
            ),
            disclosure.Table(
                "sertifikat-bulanan",
                "sertifikat",
                ("bulan", "perangkat_daerah"),
                {
                    (m.strftime("%Y-%m"), a): v
                    for (m, a), v in _rollup("SER-01", months, "month", "agency").items()
                },
                domains={"bulan": month_codes, "perangkat_daerah": agencies},
            ),
        ),
    ]
    return [d for d, _t in specs], [t for _d, t in specs]


def rooms_table(month: dt.date) -> Dataset:
    """Room use in hours: not counts of people, so not suppressed."""
    first = month_start(month)
    for _i in range(HISTORY - 1):
        first = previous_month(first)
    rows = [
        [
            m.strftime("%Y-%m"),
            key,
            round(value / 60, 1),
            round(base / 60, 1),
            round(100 * value / base, 1) if base else None,
        ]
        for m, key, value, base in Rollup.objects.filter(
            code="RUA-01", month__gte=first, month__lte=month_start(month)
        )
        .order_by("month", "key")
        .values_list("month", "key", "value", "base")
    ]
    return Dataset(
        "pemanfaatan-ruang",
        str(_("Pemanfaatan ruang pusat kreatif per bulan")),
        str(_("Jam terpakai dan jam buka tiap ruang, 12 bulan (RUA-01); bukan hitungan orang.")),
        [
            MONTH,
            Column("ruang", "string", str(_("Ruang")), reference="kode-ruang"),
            Column("jam_terpakai", "number", str(_("Jam terpakai"))),
            Column("jam_buka", "number", str(_("Jam buka"))),
            Column("persen", "number", str(_("Pemanfaatan (%)"))),
        ],
        keywords=("ruang", "pusat kreatif"),
        indicators=("RUA-01",),
        rows=rows,
    )


def build(month: dt.date) -> tuple[list[Dataset], disclosure.Release]:
    """Every dataset of the release for `month`, the counts suppressed jointly."""
    datasets, tables = count_tables(month)
    release = disclosure.protect(tables, threshold=threshold())
    for dataset, table in zip(datasets, tables, strict=True):
        dataset.rows = [
            [
                *(row[dim] if row[dim] is not None else "" for dim in table.dims),
                value,
                PUBLISHED if status == disclosure.PUBLISHED else SUPPRESSED,
            ]
            for row, value, status in release.rows(table)
        ]
    return [*datasets, rooms_table(month), *code_lists()], release
