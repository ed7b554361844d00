"""Reading, creating and writing a creator profile: `ensure_profile` on first use, and
`update_profile`, which saves what `profile_input.clean_profile` accepted (simple fields, the
NIK with its consent, subsectors, skills, pathways, channels, photo) in one transaction."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.accounts.models import User
from ekraf.core.errors import Conflict, DomainError, NotAllowed

from .. import nik as nik_rules
from ..models import Channel, Consent, CreatorProfile, PathwayInterest, Skill
from . import consent, photos, profile_input
from .profile_input import CleanChannel, ProfileInput, ProfileInvalid

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
        consent.give_consent(profile, Consent.Purpose.NIK)
    else:
        profile.nik_encrypted = profile.nik_hash = profile.nik_masked = ""
        consent.withdraw_consent(profile, Consent.Purpose.NIK)


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
    clean = profile_input.clean_profile(profile, data)
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
        photos.set_photo(actor, profile, photo)
    return profile
