"""Consent and sharing: the wording agreed to per purpose (versioned), giving and withdrawing
consent, and the owner's choice of what the public profile and the talent directory show.
Kept apart because what may be shown to whom is decided here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ekraf.accounts import permissions
from ekraf.accounts.models import User

from ..models import Consent, CreatorProfile


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
