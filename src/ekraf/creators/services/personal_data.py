"""The person's own data: the creators section of their data export and its eraser (both
registered with `ekraf.accounts.personal_data` in CreatorsConfig.ready), the whole export
document, and deleting one's own account, all in one transaction."""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.accounts import services as account_services
from ekraf.accounts.models import User
from ekraf.core.errors import DomainError
from ekraf.core.services import audit

from .. import nik as nik_rules
from ..models import CreatorProfile


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
