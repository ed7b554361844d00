"""Duplicates: whether a phone, NIK or e-mail already belongs to another account, reported
early and in Indonesian. The database's unique constraints stay the last line of defence
(`profiles._conflict_from` words what they refuse); a taken NIK is answered like any invalid
one, so the check tells nobody who has an account."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ekraf.accounts import services as account_services

from .. import nik as nik_rules
from ..models import CreatorProfile


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
