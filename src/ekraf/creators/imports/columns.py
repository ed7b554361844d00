"""What can be imported and how a file's columns map onto it (guessed from the headers,
editable), and the NIK confirmation the organiser gives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from ekraf.accounts.models import User

from .. import services
from ..models import (
    Channel,
)

MAX_STORED_PROBLEMS = 1_000
SAMPLE_SIZE = 10
CHUNK = 500
# The e-mail is also the new account's username, whose column holds 150 characters.
MAX_EMAIL = User._meta.get_field("username").max_length


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


PLATFORM_TARGETS = {
    "instagram": ("instagram", "ig", "akun instagram"),
    "tiktok": ("tiktok", "tik tok", "akun tiktok"),
    "youtube": ("youtube", "kanal youtube", "channel youtube"),
    "facebook": ("facebook", "fb"),
    "x": ("twitter", "x", "twitter x", "akun x"),
    "threads": ("threads",),
    "linkedin": ("linkedin",),
    "podcast": ("podcast",),
    "website": ("website", "situs web", "situs", "blog", "web"),
}

TARGETS: tuple[Target, ...] = (
    Target(
        "full_name",
        gettext_lazy("Nama lengkap"),
        True,
        ("nama lengkap", "nama", "nama peserta", "full name", "name"),
    ),
    Target(
        "email",
        gettext_lazy("Email"),
        True,
        ("alamat email", "email", "e mail", "surel", "email address"),
    ),
    Target(
        "phone",
        gettext_lazy("Nomor WhatsApp/telepon"),
        False,
        (
            "nomor whatsapp",
            "no whatsapp",
            "whatsapp",
            "nomor wa",
            "no wa",
            "nomor hp",
            "no hp",
            "nomor telepon",
            "telepon",
            "handphone",
            "phone",
        ),
    ),
    Target(
        "display_name",
        gettext_lazy("Nama tampilan"),
        False,
        ("nama panggilan", "nama tampilan", "nama panggung", "nickname"),
    ),
    Target("gender", gettext_lazy("Jenis kelamin"), False, ("jenis kelamin", "gender", "kelamin")),
    Target(
        "birth_year",
        gettext_lazy("Tahun/tanggal lahir"),
        False,
        ("tahun lahir", "tanggal lahir", "tgl lahir", "birth year"),
    ),
    Target("kecamatan", gettext_lazy("Kecamatan"), False, ("kecamatan",)),
    Target(
        "kelurahan",
        gettext_lazy("Kelurahan"),
        False,
        ("kelurahan", "kelurahan domisili", "desa kelurahan"),
    ),
    Target(
        "subsectors",
        gettext_lazy("Subsektor"),
        False,
        ("subsektor", "sub sektor", "subsektor ekraf", "bidang"),
    ),
    Target("skills", gettext_lazy("Keterampilan"), False, ("keterampilan", "keahlian", "skill")),
    Target(
        "bio",
        gettext_lazy("Bio singkat"),
        False,
        ("bio", "bio singkat", "tentang anda", "deskripsi diri", "profil singkat"),
    ),
    Target(
        "pathways",
        gettext_lazy("Jalur minat"),
        False,
        ("jalur minat", "minat", "jalur yang diminati", "jalur"),
    ),
    Target(
        "nik",
        gettext_lazy("NIK"),
        False,
        ("nik", "nomor induk kependudukan", "no ktp", "nomor ktp"),
    ),
    *(
        Target(platform, str(Channel.Platform(platform).label), False, synonyms)
        for platform, synonyms in PLATFORM_TARGETS.items()
    ),
)
TARGET_NAMES = {t.name for t in TARGETS}

# What the organiser confirms before a file's NIKs enter the registry. The platform did not
# collect these NIKs itself: the agency did, on its own form. UU PDP needs a lawful basis for
# each one, so the agency (the controller that collected them) states that it asked each person,
# and every imported NIK gets a NIK consent record naming the agency and this text's version
# ("impor:<agency code>:<version>"). The person sees it in their consent history and can remove
# the NIK (withdrawing that consent) on their profile once they claim the account.
NIK_CONFIRMATION = services.ConsentText(
    "2024.1",
    gettext_lazy(
        "Saya menyatakan bahwa perangkat daerah kami mengumpulkan NIK dalam berkas ini "
        "langsung dari setiap orang yang bersangkutan, dengan persetujuannya, untuk pendataan "
        "pelaku ekonomi kreatif, dan memberi tahu bahwa NIK itu disimpan di platform ini."
    ),
)


def nik_consent_version(agency_code: str, version: str) -> str:
    return f"impor:{agency_code}:{version}"


def _norm(text) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Target → column index, from the headers: exact matches first, then words contained."""
    normal = [_norm(h) for h in headers]
    scored = []
    for t_index, target in enumerate(TARGETS):
        for s_index, synonym in enumerate(target.synonyms):
            for column, header in enumerate(normal):
                if not header:
                    continue
                if header == synonym:
                    score = 1000 - s_index
                elif re.search(rf"\b{re.escape(synonym)}\b", header):
                    score = 500 + len(synonym) - s_index
                else:
                    continue
                scored.append((score, -t_index, column, target.name))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _score, _t, column, name in sorted(scored, reverse=True):
        if name not in mapping and column not in used:
            mapping[name] = column
            used.add(column)
    return mapping
