"""The profile's input and its checks: what a person may change (`ProfileInput`), and
`clean_profile`, which checks all of it and reports every problem at once (`ProfileInvalid`).
Pages and the API both go through it, so a rule checked for one is checked for the other."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.core import validation
from ekraf.core.errors import DomainError
from ekraf.core.models import Region, Subsector

from .. import channels as channel_rules
from .. import nik as nik_rules
from ..models import CreatorProfile, Gender, Pathway
from . import duplicates as duplicate_rules
from . import normalise

MAX_SKILLS = 20
MAX_CHANNELS = 12


class ProfileInvalid(DomainError):
    """Several fields are wrong at once; `errors` maps each field to its messages."""

    status = 422
    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]):
        first = next(iter(errors.values()))[0] if errors else _("Data tidak sah.")
        super().__init__(first, field=next(iter(errors), None))
        self.errors = errors


@dataclass
class ChannelInput:
    platform: str
    value: str  # handle or URL, as typed
    followers: int | str | None = None
    followers_read_on: datetime.date | None = None


@dataclass
class ProfileInput:
    """What a person may change about their profile. None means "leave as it is"."""

    full_name: str | None = None
    display_name: str | None = None
    gender: str | None = None
    birth_year: int | None | str = None
    kelurahan: Region | None | str = None  # a Region or its Kemendagri code
    subsectors: list | None = None  # Subsector objects or codes
    skills: list[str] | str | None = None
    bio: str | None = None
    pathways: list[str] | None = None
    phone: str | None = None
    nik: str | None = None  # "" removes it
    channels: list[ChannelInput] | None = None
    unset: set[str] = field(
        default_factory=set
    )  # fields explicitly cleared (birth_year, kelurahan)


@dataclass
class CleanChannel:
    platform: str
    handle: str
    url: str
    followers: int | None
    followers_read_on: datetime.date | None


def _clean_channels(items: list[ChannelInput], errors: dict) -> list[CleanChannel]:
    today = timezone.localdate()
    out: list[CleanChannel] = []
    seen: dict[str, int] = {}
    if len(items) > MAX_CHANNELS:
        errors.setdefault("channels", []).append(
            _("Paling banyak %(n)d kanal.") % {"n": MAX_CHANNELS}
        )
        return out
    for index, item in enumerate(items):
        key = f"channels.{index}"
        try:
            normal = channel_rules.normalise(item.platform, item.value)
            followers = channel_rules.parse_followers(item.followers)
        except channel_rules.ChannelError as exc:
            errors.setdefault(key, []).append(exc.message)
            continue
        read_on = item.followers_read_on
        if read_on and read_on > today:
            errors.setdefault(key, []).append(_("Tanggal baca pengikut tidak boleh di masa depan."))
            continue
        if followers is not None and read_on is None:
            read_on = today
        if followers is None:
            read_on = None
        if normal.url in seen:
            errors.setdefault(key, []).append(
                _("Kanal ini sudah diisi di baris %(n)d.") % {"n": seen[normal.url] + 1}
            )
            continue
        seen[normal.url] = index
        out.append(CleanChannel(normal.platform, normal.handle, normal.url, followers, read_on))
    return out


def _resolve_kelurahan(value, errors: dict) -> Region | None:
    if value in (None, ""):
        return None
    if isinstance(value, Region):
        region = value
    else:
        region = Region.objects.filter(code=str(value).strip()).first()
    if region is None or region.level != Region.Level.VILLAGE:
        errors.setdefault("kelurahan", []).append(_("Pilih kelurahan dari daftar."))
        return None
    return region


def _resolve_subsectors(values, errors: dict) -> list[Subsector]:
    objs = [v for v in values if isinstance(v, Subsector)]
    codes = [str(v) for v in values if not isinstance(v, Subsector)]
    if codes:
        found = {s.code: s for s in Subsector.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            errors.setdefault("subsectors", []).append(
                _("Subsektor tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        objs += [found[c] for c in codes if c in found]
    return objs


def _birth_year(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors.setdefault("birth_year", []).append(_("Tahun lahir harus berupa angka."))
        return None
    this_year = timezone.localdate().year
    if not this_year - nik_rules.OLDEST_AGE <= year <= this_year - 5:
        errors.setdefault("birth_year", []).append(
            _("Tahun lahir harus antara %(a)d dan %(b)d.")
            % {"a": this_year - nik_rules.OLDEST_AGE, "b": this_year - 5}
        )
        return None
    return year


@dataclass
class CleanProfile:
    values: dict  # simple field values to set on the profile
    subsectors: list[Subsector] | None
    skills: list[str] | None
    pathways: list[str] | None
    channels: list[CleanChannel] | None
    nik: str | None  # digits, "" to remove, None unchanged


def clean_profile(profile: CreatorProfile, data: ProfileInput) -> CleanProfile:
    """Check everything; raise ProfileInvalid listing every problem at once."""
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def err(name, message):
        errors.setdefault(name, []).append(message)

    def check_text(name, value, multiline=False):
        # Line breaks, control and bidi characters (a right-to-left override), as every app.
        message = validation.problem(value, multiline=multiline)
        if message:
            err(name, message)

    if data.full_name is not None:
        name = normalise.plain_text(data.full_name)
        check_text("full_name", name)
        if not name:
            err("full_name", _("Nama lengkap wajib diisi."))
        elif len(name) > 150:
            err("full_name", _("Nama lengkap paling banyak 150 karakter."))
        values["full_name"] = name
    if data.display_name is not None:
        display = normalise.plain_text(data.display_name)
        check_text("display_name", display)
        if len(display) > 80:
            err("display_name", _("Nama tampilan paling banyak 80 karakter."))
        values["display_name"] = display
    if data.gender is not None:
        if data.gender not in ("", *Gender.values):
            err("gender", _("Pilih jenis kelamin dari daftar."))
        values["gender"] = data.gender
    if data.birth_year is not None or "birth_year" in data.unset:
        values["birth_year"] = _birth_year(data.birth_year, errors)
    if data.kelurahan is not None or "kelurahan" in data.unset:
        values["kelurahan"] = _resolve_kelurahan(data.kelurahan, errors)
    if data.bio is not None:
        bio = normalise.plain_text(data.bio)
        check_text("bio", bio, multiline=True)
        if len(bio) > 600:
            err("bio", _("Bio paling banyak 600 karakter (sekarang %(n)d).") % {"n": len(bio)})
        values["bio"] = bio
    if data.phone is not None:
        try:
            values["phone"] = normalise.normalise_phone(data.phone)
        except DomainError as exc:
            err("phone", exc.message)

    subsectors = (
        _resolve_subsectors(data.subsectors, errors) if data.subsectors is not None else None
    )
    skills = None
    if data.skills is not None:
        skills = normalise.parse_skills(data.skills)
        for skill in skills:
            check_text("skills", skill)
        if len(skills) > MAX_SKILLS:
            err("skills", _("Paling banyak %(n)d keterampilan.") % {"n": MAX_SKILLS})
        if any(len(s) > 60 for s in skills):
            err("skills", _("Setiap keterampilan paling banyak 60 karakter."))
    pathways = None
    if data.pathways is not None:
        pathways = list(dict.fromkeys(data.pathways))
        if any(p not in Pathway.values for p in pathways):
            err("pathways", _("Pilih jalur minat dari daftar."))
    channels = _clean_channels(data.channels, errors) if data.channels is not None else None

    nik = None
    nik_hash = ""
    if data.nik is not None:
        raw = nik_rules.clean(data.nik)
        if raw:
            gender = values.get("gender", profile.gender) or None
            birth_year = values.get("birth_year", profile.birth_year)
            try:
                nik = nik_rules.parse(raw, gender=gender, birth_year=birth_year).nik
                nik_hash = nik_rules.keyed_hash(nik)
            except nik_rules.NikError as exc:
                err("nik", exc.message)
        else:
            nik = ""
    elif profile.nik_encrypted and ("gender" in values or "birth_year" in values):
        # The stored NIK must still agree with a changed gender or birth year.
        try:
            nik_rules.parse(
                nik_rules.decrypt(profile.nik_encrypted),
                gender=values.get("gender", profile.gender) or None,
                birth_year=values.get("birth_year", profile.birth_year),
            )
        except nik_rules.NikError as exc:
            err("gender" if "gender" in values else "birth_year", exc.message)

    duplicates = duplicate_rules.duplicate_messages(
        phone=values.get("phone", ""),
        nik_hash=nik_hash if nik_hash != profile.nik_hash else "",
        exclude_profile_id=profile.pk,
    )
    for name, message in duplicates.items():
        err(name, message)
    if errors:
        raise ProfileInvalid(errors)
    return CleanProfile(values, subsectors, skills, pathways, channels, nik)
