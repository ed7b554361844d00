"""The profile photo: every upload goes through the platform's image gate (re-encoded, no
metadata), and replacing or removing a photo deletes the old file once the change commits."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from ekraf.accounts import permissions
from ekraf.accounts.models import User
from ekraf.core import uploads

from ..models import CreatorProfile


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
