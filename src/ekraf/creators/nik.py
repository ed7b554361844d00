"""NIK (Nomor Induk Kependudukan): checking its shape, and keeping it protected at rest.

A NIK is 16 digits: a 6-digit region code (province, kabupaten/kota, kecamatan), the birth
date as DDMMYY with 40 added to the day for women, and a 4-digit serial that is never 0000.
The region need not be this city's: people move, and a creator born elsewhere is still ours.

At rest the NIK exists only as a Fernet token (MultiFernet over FIELD_ENCRYPTION_KEYS, so
keys can be rotated), an HMAC-SHA256 under PERSONAL_DATA_HASH_KEY (to find a second account
with the same NIK without decrypting anything) and a masked form for pages.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

# Kemendagri province codes (including the Papua provinces created in 2022).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip
OLDEST_AGE = 110
MASK = "•"


def not_accepted() -> str:
    """The one answer for a NIK refused for a reason the person cannot check on their KTP:
    an unknown region code, a serial of 0000 — or a NIK that is already registered. Saying
    "already registered" would tell anyone who types a NIK whether that person has an account
    (an existence oracle), so a taken NIK gets the same field, code and words as these."""
    return _(
        "NIK tidak dapat diterima. Periksa kembali angka NIK sesuai KTP; bila sudah benar, "
        "hubungi pengelola."
    )


class NikError(ValueError):
    """The NIK is not well-formed; the message says why, in Indonesian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province: str
    region: str
    birth_date: datetime.date
    gender: str  # "L" or "P"
    serial: str


def clean(raw: str) -> str:
    """Digits only: people type NIK with spaces or dots the way it is printed on the KTP."""
    return re.sub(r"[\s.\-]", "", raw or "")


def parse(
    raw: str,
    *,
    gender: str | None = None,
    birth_year: int | None = None,
    today: datetime.date | None = None,
) -> NikInfo:
    """Check a NIK and read what it encodes; raises NikError with an Indonesian message.

    When the person's gender or birth year is known, the NIK must agree with them.
    """
    nik = clean(raw)
    if not nik.isdigit() or len(nik) != 16:
        raise NikError(_("NIK harus 16 angka (sekarang %(n)d karakter).") % {"n": len(nik)})
    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    if province not in PROVINCE_CODES:
        raise NikError(not_accepted())
    if regency == "00" or district == "00":
        raise NikError(not_accepted())
    if nik[12:16] == "0000":
        raise NikError(not_accepted())

    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    nik_gender = "P" if day > 40 else "L"
    if day > 40:
        day -= 40
    today = today or timezone.localdate()
    # Two-digit year: the most recent date with these digits that is not in the future.
    try:
        born = datetime.date(2000 + yy, month, day)
        if born > today:
            born = datetime.date(1900 + yy, month, day)
    except ValueError as exc:
        raise NikError(
            _("Tanggal lahir dalam NIK (%(ddmmyy)s) bukan tanggal yang sah.")
            % {"ddmmyy": nik[6:12]}
        ) from exc
    if born > today or today.year - born.year > OLDEST_AGE:
        raise NikError(_("Tanggal lahir dalam NIK tidak masuk akal."))

    if gender and gender != nik_gender:
        if nik_gender == "P":
            raise NikError(
                _(
                    "NIK ini milik perempuan (tanggal lahir ditambah 40), "
                    "tetapi jenis kelamin diisi laki-laki."
                )
            )
        raise NikError(_("NIK ini milik laki-laki, tetapi jenis kelamin diisi perempuan."))
    if birth_year and int(birth_year) != born.year:
        raise NikError(
            _("Tahun lahir dalam NIK (%(nik)d) berbeda dengan tahun lahir yang diisi (%(given)d).")
            % {"nik": born.year, "given": int(birth_year)}
        )
    return NikInfo(
        nik=nik,
        province=province,
        region=nik[0:6],
        birth_date=born,
        gender=nik_gender,
        serial=nik[12:16],
    )


def mask(nik: str) -> str:
    """'3573••••••••0012': enough to recognise one's own, too little to use."""
    return nik[:4] + MASK * (len(nik) - 8) + nik[-4:]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(nik: str) -> str:
    return _fernet().encrypt(nik.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was removed before its data was re-encrypted
        raise NikError(_("NIK tidak bisa dibuka dengan kunci yang berlaku.")) from exc


def keyed_hash(nik: str) -> str:
    """HMAC-SHA256 of the NIK: equal NIKs give equal hashes, nothing gives back the NIK."""
    key = settings.PERSONAL_DATA_HASH_KEY.encode()
    return hmac.new(key, clean(nik).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ProtectedNik:
    encrypted: str
    hash: str
    masked: str


def protect(nik: str) -> ProtectedNik:
    nik = clean(nik)
    return ProtectedNik(encrypted=encrypt(nik), hash=keyed_hash(nik), masked=mask(nik))
