"""Factories for the creator registry (kept apart from tests/factories.py for parallel work)."""

import datetime
import io
import itertools

from openpyxl import Workbook

from ekraf.core.models import Region, Subsector
from ekraf.creators import services
from ekraf.creators.models import Consent, CreatorProfile
from tests import factories

_seq = itertools.count(1)

# Valid NIKs for tests (Kota Malang, Lowokwaru). Born 12 March 1995; the woman's day is +40.
NIK_MAN = "3573051203950012"
NIK_WOMAN = "3573055203950013"


def creator(
    name: str | None = None,
    *,
    village: str | None = "Dinoyo",
    subsectors=("fotografi",),
    phone: str = "",
    nik: str = "",
    gender: str = "",
    birth_year: int | None = None,
    channels=(),
    public: bool = False,
    **user_fields,
) -> CreatorProfile:
    """A creator with a profile, built the way the product builds one (services)."""
    n = next(_seq)
    user = factories.user(
        "kreator", role="creator", full_name=name or f"Kreator Uji {n}", **user_fields
    )
    profile = services.ensure_profile(user)
    services.update_profile(
        user,
        profile,
        services.ProfileInput(
            full_name=user.full_name,
            gender=gender,
            birth_year=birth_year,
            kelurahan=Region.objects.get(level="kelurahan", name=village) if village else None,
            subsectors=list(Subsector.objects.filter(code__in=subsectors)),
            phone=phone,
            nik=nik or None,
            channels=[services.ChannelInput(p, v, f) for p, v, f in channels],
        ),
    )
    if public:
        services.set_sharing(
            user,
            profile,
            services.SharingChoice(
                public_profile=True,
                talent_directory=True,
                show_photo=True,
                show_area=True,
                show_bio=True,
                show_channels=True,
            ),
        )
    profile.refresh_from_db()
    return profile


def bulk_creators(count: int, *, prefix: str = "Massal") -> list[CreatorProfile]:
    """Many creators with channels, subsectors, skills and consents, quickly."""
    out = []
    for i in range(count):
        profile = creator(
            f"{prefix} {i}",
            village=["Dinoyo", "Klojen", "Sukun", "Bareng"][i % 4],
            subsectors=("fotografi", "kuliner"),
            phone=f"+6281299{next(_seq):06d}",
            channels=[("instagram", f"@{prefix.lower()}.{i}", 1000 + i), ("tiktok", f"@tt.{i}", i)],
            public=True,
            password=None,  # no login needed: skips password hashing, which is slow on purpose
        )
        services.update_profile(
            profile.user, profile, services.ProfileInput(skills="editing video, fotografi")
        )
        out.append(profile)
    return out


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOGLE_FORMS_HEADERS = [
    "Timestamp",
    "Nama Lengkap",
    "Alamat Email",
    "Nomor WhatsApp",
    "Jenis Kelamin",
    "Kelurahan",
    "Subsektor",
    "Instagram",
    "TikTok",
    "NIK",
]


def forms_row(i: int, **override) -> list:
    row = {
        "Timestamp": datetime.datetime(2023, 8, 1, 9, 0) + datetime.timedelta(minutes=i),
        "Nama Lengkap": f"Peserta Impor {i}",
        "Alamat Email": f"peserta{i}@contoh.id",
        "Nomor WhatsApp": f"0813{i:08d}",
        "Jenis Kelamin": "Perempuan" if i % 2 else "Laki-laki",
        "Kelurahan": ["Dinoyo", "Klojen", "Sawojajar", "Tlogomas"][i % 4],
        "Subsektor": "Fotografi, Film, Animasi, dan Video" if i % 3 else "Kuliner",
        "Instagram": f"@peserta.{i}",
        "TikTok": "",
        "NIK": "",
    } | override
    return [row[h] for h in GOOGLE_FORMS_HEADERS]


def active_consent(profile, purpose) -> bool:
    return Consent.objects.filter(profile=profile, purpose=purpose, withdrawn_at=None).exists()
