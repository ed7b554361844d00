"""Revoking a certificate: a reason from a list and a meaningful text, shown to verifiers."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.notifications import notify
from ekraf.core.services import audit

from .. import codes, openbadges, selectors
from ..models import Certificate, RevocationCategory, StatusList

# A verifier reads the reason on the public page: "salah" or "x" tells them nothing.
REASON_MIN_CHARS = 15
REASON_MIN_WORDS = 3
REASON_MAX_CHARS = 300
_WORD = re.compile(r"[^\W\d_]{2,}")


def meaningful_text(text: str, *, field: str = "reason", what: str = "") -> str:
    """`text` cleaned, if it says something: at least 15 characters and three words (each of
    two letters or more), at most 300. Raises DomainError on `field`, in Indonesian."""
    what = what or _("Alasan")
    text = validation.text(text or "", field=field).strip()
    if len(text) < REASON_MIN_CHARS or len(_WORD.findall(text)) < REASON_MIN_WORDS:
        raise DomainError(
            _(
                "{what} harus menjelaskan apa yang terjadi: minimal {chars} karakter dan {words} "
                'kata, misalnya "Nama peserta salah ketik di formulir".'
            ).format(what=what, chars=REASON_MIN_CHARS, words=REASON_MIN_WORDS),
            field=field,
        )
    if len(text) > REASON_MAX_CHARS:
        # Shown to every verifier as it was written: never cut short silently.
        raise DomainError(
            _("{what} paling banyak {n} karakter.").format(what=what, n=REASON_MAX_CHARS),
            field=field,
        )
    return text


def clean_revocation(category: str, reason: str) -> tuple[str, str]:
    """(category, reason) a revocation may be made with: a category of the list and a text
    that means something. The one rule of the page and the API."""
    if category not in RevocationCategory.values:
        raise DomainError(_("Pilih jenis alasan pencabutan dari daftar."), field="category")
    return category, meaningful_text(reason, field="reason", what=_("Alasan pencabutan"))


def public_reason(category: str, reason: str) -> str:
    """What verifiers read: the category's label, then the text."""
    if category in RevocationCategory.values:
        return f"{RevocationCategory(category).label}: {reason}"
    return reason


def revoke_certificate(
    actor, code: str, reason: str, *, category: str = RevocationCategory.OTHER, request=None
) -> Certificate:
    """Revoke with a reason; the agency's status list is re-published in the same transaction."""
    parsed = codes.parse(code)
    if parsed is None:
        raise NotFound(_("E-sertifikat tidak ditemukan."))
    category, reason = clean_revocation(category, reason)
    with transaction.atomic():
        found = Certificate.objects.select_for_update().filter(code=parsed).order_by()[:1]
        cert = found[0] if found else None
        if cert is None:
            raise NotFound(_("E-sertifikat tidak ditemukan."))
        permissions.require(
            permissions.can_revoke_certificate(actor, cert.agency_id),
            _("Hanya penyelenggara dari perangkat daerah penerbit yang dapat mencabut."),
        )
        if cert.revoked_at is not None:
            raise Conflict(_("E-sertifikat ini sudah dicabut."))
        if cert.superseded_at is not None:
            raise Conflict(_("E-sertifikat ini sudah diganti; cabut penggantinya bila perlu."))
        cert.revoked_at = timezone.now()
        cert.revoked_reason = reason
        cert.revoked_category = category
        cert.revoked_by = actor
        cert.save(update_fields=["revoked_at", "revoked_reason", "revoked_category", "revoked_by"])
        StatusList.objects.filter(pk=cert.status_list_id).update(needs_publish=True)
        openbadges.publish_status_list(cert.status_list_id)
        audit(
            actor,
            "certificates.revoke",
            cert,
            detail={"category": category, "reason": reason},
            request=request,
        )
        notify(
            kind="certificate_revoked",
            subject=_("E-sertifikat Anda dicabut: {training}").format(training=cert.training_title),
            body=_(
                "E-sertifikat nomor {number} ({training}) dicabut oleh penerbit.\nAlasan: "
                "{reason}\nHubungi {agency} bila ada pertanyaan."
            ).format(
                number=cert.number,
                training=cert.training_title,
                reason=public_reason(category, reason),
                agency=cert.agency_name,
            ),
            user=cert.holder,
            dedupe_key=f"certificate-revoked:{cert.pk}",
        )
        # Verifiers must see the revocation at once, not when the cached answer expires.
        transaction.on_commit(lambda: selectors.remember_verification(cert))
    return cert


def ensure_status_list_published(status_list: StatusList) -> StatusList:
    if status_list.file and not status_list.needs_publish:
        return status_list
    return openbadges.publish_status_list(status_list.pk)
