"""Every write to the creator registry: profiles, channels, consent, NIK, photo, deletion.

Pages and the API both go through `update_profile`, so a rule checked for one is checked for
the other. Duplicates (a second account with the same NIK, phone or e-mail) are reported here,
in Indonesian, before the database's unique constraints, which stay the last line of defence.
"""

from __future__ import annotations

import base64
import datetime
import html
import re
from dataclasses import dataclass, field

import nh3
import phonenumbers
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ekraf.accounts import permissions
from ekraf.accounts import services as account_services
from ekraf.accounts.models import User
from ekraf.core import uploads, validation
from ekraf.core.errors import Conflict, DomainError, NotAllowed
from ekraf.core.models import Region, Subsector
from ekraf.core.services import audit

from . import channels as channel_rules
from . import nik as nik_rules
from .models import Channel, Consent, CreatorProfile, Gender, Pathway, PathwayInterest, Skill

MAX_SKILLS = 20
MAX_CHANNELS = 12


@dataclass(frozen=True)
class ConsentText:
    version: str
    text: str


# What the person agrees to, per purpose. A new wording gets a new version; consent given
# under an older version stays valid for what that version said.
CONSENT_TEXTS = {
    Consent.Purpose.PUBLIC_PROFILE: ConsentText(
        "2024.1",
        gettext_lazy(
            "Saya setuju profil saya ditampilkan untuk umum di halaman profil publik: nama "
            "tampilan, subsektor, keterampilan, jalur minat, dan bagian lain yang saya pilih. "
            "Nomor telepon, NIK dan tahun lahir tidak pernah ditampilkan."
        ),
    ),
    Consent.Purpose.TALENT_DIRECTORY: ConsentText(
        "2024.1",
        gettext_lazy(
            "Saya setuju profil saya dicantumkan di direktori talenta, sehingga perangkat daerah "
            "dapat menghubungi saya untuk program, kampanye, atau sebagai narasumber."
        ),
    ),
    Consent.Purpose.NIK: ConsentText(
        "2024.1",
        gettext_lazy(
            "Saya setuju NIK saya disimpan terenkripsi untuk memastikan satu orang satu akun dan "
            "untuk kegiatan yang mensyaratkannya. Petugas hanya dapat membukanya dengan alasan, "
            "dan setiap pembukaan tercatat."
        ),
    ),
}


class ProfileInvalid(DomainError):
    """Several fields are wrong at once; `errors` maps each field to its messages."""

    status = 422
    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]):
        first = next(iter(errors.values()))[0] if errors else _("Data tidak sah.")
        super().__init__(first, field=next(iter(errors), None))
        self.errors = errors


# --- small normalisers shared by the form, the API and the import -----------------------------


def normalise_phone(raw: str) -> str:
    """E.164 (+62…) from what people type: 0812-3456-7890, 62812…, +62 812 …; '' stays ''."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if raw.isdigit() and raw.startswith("62"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException as exc:
        raise DomainError(_phone_message(), field="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(_phone_message(), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_message() -> str:
    return _("Nomor telepon tidak valid. Contoh: 0812-3456-7890 atau +62 812 3456 7890.")


def plain_text(value: str, max_length: int | None = None) -> str:
    """Plain text only: tags pasted from elsewhere are dropped, control characters removed."""
    text = html.unescape(nh3.clean(value or "", tags=set()))
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text).strip()
    return text[:max_length] if max_length else text


def parse_skills(value: str | list[str]) -> list[str]:
    """'Editing video, fotografi produk; copywriting' → distinct tags, original spelling kept."""
    parts = value if isinstance(value, list) else re.split(r"[,;\n]", value or "")
    seen, out = set(), []
    for part in parts:
        tag = re.sub(r"\s+", " ", plain_text(str(part))).strip(" .#")
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            out.append(tag)
    return out


# --- reading and creating the profile ---------------------------------------------------------


def ensure_profile(user: User) -> CreatorProfile:
    """The user's creator profile, created on first use for anyone holding the creator role."""
    profile = CreatorProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    if not permissions.is_creator(user):
        raise NotAllowed(_("Profil pelaku ekraf hanya untuk akun dengan peran pelaku ekraf."))
    with transaction.atomic():
        profile, _created = CreatorProfile.objects.get_or_create(
            user=user, defaults={"full_name": user.full_name or user.username}
        )
    return profile


# --- validation -------------------------------------------------------------------------------


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


def duplicate_messages(
    *,
    phone: str = "",
    nik_hash: str = "",
    email: str = "",
    exclude_profile_id: int | None = None,
    exclude_user_id: int | None = None,
) -> dict[str, str]:
    """Which of these already belong to another account: field → Indonesian message."""
    found: dict[str, str] = {}
    others = CreatorProfile.objects.exclude(pk=exclude_profile_id) if exclude_profile_id else None
    others = others if others is not None else CreatorProfile.objects.all()
    if phone and others.filter(phone=phone).exists():
        found["phone"] = _("Nomor telepon ini sudah dipakai akun lain.")
    if nik_hash and others.filter(nik_hash=nik_hash).exists():
        found["nik"] = nik_rules.not_accepted()  # the words of any other refused NIK
    if email and account_services.email_taken(email, exclude_user_id=exclude_user_id):
        found["email"] = _("Email ini sudah terdaftar pada akun lain.")
    return found


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
        name = plain_text(data.full_name)
        check_text("full_name", name)
        if not name:
            err("full_name", _("Nama lengkap wajib diisi."))
        elif len(name) > 150:
            err("full_name", _("Nama lengkap paling banyak 150 karakter."))
        values["full_name"] = name
    if data.display_name is not None:
        display = plain_text(data.display_name)
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
        bio = plain_text(data.bio)
        check_text("bio", bio, multiline=True)
        if len(bio) > 600:
            err("bio", _("Bio paling banyak 600 karakter (sekarang %(n)d).") % {"n": len(bio)})
        values["bio"] = bio
    if data.phone is not None:
        try:
            values["phone"] = normalise_phone(data.phone)
        except DomainError as exc:
            err("phone", exc.message)

    subsectors = (
        _resolve_subsectors(data.subsectors, errors) if data.subsectors is not None else None
    )
    skills = None
    if data.skills is not None:
        skills = parse_skills(data.skills)
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

    duplicates = duplicate_messages(
        phone=values.get("phone", ""),
        nik_hash=nik_hash if nik_hash != profile.nik_hash else "",
        exclude_profile_id=profile.pk,
    )
    for name, message in duplicates.items():
        err(name, message)
    if errors:
        raise ProfileInvalid(errors)
    return CleanProfile(values, subsectors, skills, pathways, channels, nik)


# --- writing ----------------------------------------------------------------------------------


def _conflict_from(exc: IntegrityError) -> DomainError:
    text = str(exc)
    if "creator_nik_unique" in text or "nik_hash" in text:
        return ProfileInvalid({"nik": [nik_rules.not_accepted()]})  # as any refused NIK
    if "creator_phone_unique" in text or "phone" in text:
        return Conflict(_("Nomor telepon ini sudah dipakai akun lain."), field="phone")
    return Conflict(_("Data ini bentrok dengan data lain. Muat ulang lalu coba lagi."))


def skills_for(names: list[str]) -> list[Skill]:
    """Skill rows for these tags, matching existing ones case-insensitively."""
    if not names:
        return []
    lowered = {n.lower(): n for n in names}
    existing = {
        s.lname: s
        for s in Skill.objects.annotate(lname=Lower("name")).filter(lname__in=list(lowered))
    }
    missing = [Skill(name=name) for low, name in lowered.items() if low not in existing]
    if missing:
        Skill.objects.bulk_create(missing, ignore_conflicts=True)
        existing.update(
            {
                s.lname: s
                for s in Skill.objects.annotate(lname=Lower("name")).filter(
                    lname__in=[m.name.lower() for m in missing]
                )
            }
        )
    return [existing[low] for low in lowered if low in existing]


def _sync_channels(profile: CreatorProfile, wanted: list[CleanChannel]) -> None:
    current = {c.url: c for c in profile.channels.all()}
    keep = {c.url for c in wanted}
    profile.channels.exclude(url__in=keep).delete()
    for item in wanted:
        existing = current.get(item.url)
        if existing is None:
            Channel.objects.create(
                profile=profile,
                platform=item.platform,
                handle=item.handle,
                url=item.url,
                followers=item.followers,
                followers_read_on=item.followers_read_on,
            )
        elif (existing.handle, existing.followers, existing.followers_read_on) != (
            item.handle,
            item.followers,
            item.followers_read_on,
        ):
            existing.handle = item.handle
            existing.followers = item.followers
            existing.followers_read_on = item.followers_read_on
            existing.save(update_fields=["handle", "followers", "followers_read_on"])


def _set_nik(profile: CreatorProfile, nik: str) -> None:
    if nik:
        protected = nik_rules.protect(nik)
        profile.nik_encrypted = protected.encrypted
        profile.nik_hash = protected.hash
        profile.nik_masked = protected.masked
        give_consent(profile, Consent.Purpose.NIK)
    else:
        profile.nik_encrypted = profile.nik_hash = profile.nik_masked = ""
        withdraw_consent(profile, Consent.Purpose.NIK)


@transaction.atomic
def update_profile(
    actor: User,
    profile: CreatorProfile,
    data: ProfileInput,
    *,
    photo: ContentFile | None = None,
    remove_photo: bool = False,
) -> CreatorProfile:
    """Change a profile (the owner only); every problem is reported at once (ProfileInvalid)."""
    permissions.require(permissions.can_edit_creator_profile(actor, profile))
    clean = clean_profile(profile, data)
    for name, value in clean.values.items():
        setattr(profile, name, value)
    if clean.nik is not None:
        _set_nik(profile, clean.nik)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:  # lost a race with another account taking the same NIK/phone
        raise _conflict_from(exc) from exc
    if clean.subsectors is not None:
        profile.subsectors.set(clean.subsectors)
    if clean.skills is not None:
        profile.skills.set(skills_for(clean.skills))
    if clean.pathways is not None:
        profile.pathway_interests.exclude(pathway__in=clean.pathways).delete()
        have = set(profile.pathway_interests.values_list("pathway", flat=True))
        PathwayInterest.objects.bulk_create(
            [PathwayInterest(profile=profile, pathway=p) for p in clean.pathways if p not in have]
        )
    if clean.channels is not None:
        _sync_channels(profile, clean.channels)
    if "full_name" in clean.values and profile.user.full_name != profile.full_name:
        profile.user.full_name = profile.full_name
        profile.user.save(update_fields=["full_name"])
    if photo is not None or remove_photo:
        set_photo(actor, profile, photo)
    return profile


# --- photo ------------------------------------------------------------------------------------


def process_photo(uploaded) -> ContentFile:
    """A profile photo through the platform's upload gate: type sniffed, pixels checked from the
    header before decoding, decoded at reduced scale, upright, re-encoded as JPEG without EXIF
    (location, camera) or any other metadata."""
    return uploads.accept_image(uploaded, "profile_photo", field="photo").content


@transaction.atomic
def set_photo(actor: User, profile: CreatorProfile, photo: ContentFile | None) -> None:
    """Replace (or with None remove) the profile photo; the old file is deleted."""
    permissions.require(permissions.can_edit_creator_profile(actor, profile))
    old = profile.photo.name if profile.photo else ""
    if photo is not None:
        profile.photo.save("foto.jpg", photo, save=False)
    else:
        profile.photo = ""
    profile.save(update_fields=["photo", "updated_at"])
    if old and old != profile.photo.name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old))


# --- consent ----------------------------------------------------------------------------------


def active_consents(profile: CreatorProfile) -> dict[str, Consent]:
    return {c.purpose: c for c in profile.consents.filter(withdrawn_at__isnull=True)}


def give_consent(profile: CreatorProfile, purpose: str) -> Consent:
    """Record consent under the current text; a consent already active is kept as it is."""
    text = CONSENT_TEXTS[purpose]
    existing = profile.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if existing is not None:
        return existing
    return Consent.objects.create(
        profile=profile, purpose=purpose, text_version=text.version, given_at=timezone.now()
    )


def withdraw_consent(profile: CreatorProfile, purpose: str) -> bool:
    return bool(
        profile.consents.filter(purpose=purpose, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
    )


@dataclass
class SharingChoice:
    public_profile: bool
    talent_directory: bool
    show_photo: bool = False
    show_area: bool = False
    show_bio: bool = False
    show_channels: bool = False


@transaction.atomic
def set_sharing(actor: User, profile: CreatorProfile, choice: SharingChoice) -> None:
    """Give or withdraw the public-profile and talent-directory consents; takes effect at once."""
    permissions.require(permissions.can_edit_creator_profile(actor, profile))
    for purpose, wanted in (
        (Consent.Purpose.PUBLIC_PROFILE, choice.public_profile),
        (Consent.Purpose.TALENT_DIRECTORY, choice.talent_directory),
    ):
        if wanted:
            give_consent(profile, purpose)
        else:
            withdraw_consent(profile, purpose)
    profile.show_photo = choice.show_photo
    profile.show_area = choice.show_area
    profile.show_bio = choice.show_bio
    profile.show_channels = choice.show_channels
    profile.save(update_fields=["show_photo", "show_area", "show_bio", "show_channels"])


# --- staff ------------------------------------------------------------------------------------


NIK_REVEAL_BUDGET_WINDOW = 3600


def reveal_nik(actor: User, profile: CreatorProfile, *, reason: str = "", request=None) -> str:
    """The full NIK, for staff allowed to see it; every reveal is written to the audit log.

    Three gates, in this order: the actor must have a relation to the person
    (`permissions.can_reveal_nik_of`), the reason must mean something (`validation.reason`),
    and each staff member has a budget of reveals per hour (`NIK_REVEALS_PER_HOUR`, the shared
    throttle), so a stolen staff session cannot walk the registry."""
    from ekraf.core import throttle

    permissions.require(
        permissions.can_reveal_nik_of(actor, profile), _("Anda tidak berwenang membuka NIK ini.")
    )
    if not profile.nik_encrypted:
        raise DomainError(_("Pelaku ini tidak mengisi NIK."))
    reason = validation.reason(reason, field="reason")
    budget = throttle.Budget("nik-reveal", settings.NIK_REVEALS_PER_HOUR, NIK_REVEAL_BUDGET_WINDOW)
    if budget.take(f"user:{actor.pk}") is None:
        audit(
            actor, "creators.nik_reveal_refused", profile, detail={"why": "rate"}, request=request
        )
        raise DomainError(
            _("Terlalu banyak NIK dibuka. Coba lagi dalam %(n)d menit.")
            % {"n": throttle.minutes(budget.retry_after(f"user:{actor.pk}"))},
            code="rate_limited",
        )
    value = nik_rules.decrypt(profile.nik_encrypted)
    audit(
        actor,
        "creators.nik_revealed",
        profile,
        detail={"masked": profile.nik_masked, "reason": reason},
        request=request,
    )
    return value


# --- the person's own data: export and deletion ----------------------------------------------


def export_profile(user: User) -> dict | None:
    """The creators section of the person's data export (registered with personal_data)."""
    profile = (
        CreatorProfile.objects.filter(user=user)
        .select_related("kelurahan__parent", "source_agency")
        .prefetch_related("subsectors", "skills", "channels", "pathway_interests", "consents")
        .first()
    )
    if profile is None:
        return None
    photo = None
    if profile.photo:
        try:
            with profile.photo.open("rb") as fh:
                photo = "data:image/jpeg;base64," + base64.b64encode(fh.read()).decode()
        except OSError:
            photo = None
    return {
        "public_id": profile.public_id,
        "full_name": profile.full_name,
        "display_name": profile.display_name,
        "gender": profile.gender,
        "birth_year": profile.birth_year,
        "kelurahan": profile.kelurahan.name if profile.kelurahan else None,
        "kecamatan": profile.kelurahan.parent.name if profile.kelurahan else None,
        "subsectors": [s.code for s in profile.subsectors.all()],
        "skills": [s.name for s in profile.skills.all()],
        "bio": profile.bio,
        "pathway_interests": [p.pathway for p in profile.pathway_interests.all()],
        "phone": profile.phone,
        # The person's own NIK, decrypted for them only (the export is their right of access).
        "nik": nik_rules.decrypt(profile.nik_encrypted) if profile.nik_encrypted else None,
        "photo": photo,
        "channels": [
            {
                "platform": c.platform,
                "handle": c.handle,
                "url": c.url,
                "followers": c.followers,
                "followers_read_on": c.followers_read_on.isoformat()
                if c.followers_read_on
                else None,
            }
            for c in profile.channels.all()
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "text_version": c.text_version,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in profile.consents.all()
        ],
        "public_profile_shows": {
            "photo": profile.show_photo,
            "area": profile.show_area,
            "bio": profile.show_bio,
            "channels": profile.show_channels,
        },
        "source": profile.source,
        "source_agency": profile.source_agency.short_name if profile.source_agency else None,
        "created_at": profile.created_at.isoformat(),
        "updated_at": profile.updated_at.isoformat(),
    }


def erase_profile(user: User) -> None:
    """Anonymise the profile (registered with personal_data; runs inside the deletion)."""
    profile = CreatorProfile.objects.filter(user=user).first()
    if profile is None:
        return
    photo_name = profile.photo.name if profile.photo else ""
    profile.full_name = _("Pelaku dihapus")
    profile.display_name = ""
    profile.gender = ""
    profile.birth_year = None
    profile.kelurahan = None
    profile.bio = ""
    profile.phone = ""
    profile.nik_encrypted = profile.nik_hash = profile.nik_masked = ""
    profile.photo = ""
    profile.show_photo = profile.show_area = profile.show_bio = profile.show_channels = False
    profile.deleted_at = timezone.now()
    profile.save()
    profile.channels.all().delete()
    profile.skills.clear()
    profile.pathway_interests.all().delete()
    profile.consents.all().delete()
    if photo_name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(photo_name))


def export_for(user: User) -> dict:
    """Everything the platform holds about this person, as one JSON-able document."""
    from ekraf.accounts import personal_data

    grants = user.role_grants.select_related("agency")
    return {
        "exported_at": timezone.now().isoformat(),
        "platform": settings.BASE_URL,
        "account": {
            "username": user.username,
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "email_verified_at": user.email_verified_at.isoformat()
            if user.email_verified_at
            else None,
            "roles": [
                {"role": g.role, "agency": g.agency.code if g.agency else None} for g in grants
            ],
        },
        **personal_data.export_for(user),
    }


def delete_account(user: User, password: str, *, request=None) -> None:
    """The person deletes their account: password confirmed, then everything is scrubbed.

    Every app's eraser runs (personal_data.erase_for) and the user row is anonymised, all in
    one transaction: either the whole person is gone or nothing changed.
    """
    from ekraf.accounts import personal_data

    permissions.require(permissions.can_delete_own_account(user))
    if not password or not user.check_password(password):
        raise DomainError(_("Kata sandi salah."), field="password")
    with transaction.atomic():
        personal_data.erase_for(user)
        account_services.anonymise_user(user)
        audit(None, "accounts.deleted", user, request=None)
    if request is not None:
        from django.contrib.auth import logout

        logout(request)
