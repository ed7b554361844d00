"""Revoking a certificate: a reason from a list and a meaningful text, shown to verifiers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.notifications import notify
from ekraf.core.services import audit

from .. import codes, openbadges, selectors
from ..models import Certificate, StatusList

# --- revocation ---------------------------------------------------------------------------------------


def revoke_certificate(actor, code: str, reason: str, *, request=None) -> Certificate:
    """Revoke with a reason; the agency's status list is re-published in the same transaction."""
    parsed = codes.parse(code)
    if parsed is None:
        raise NotFound(_("E-sertifikat tidak ditemukan."))
    reason = validation.text(reason, field="reason")
    if len(reason) < 5:
        raise DomainError(_("Tuliskan alasan pencabutan (minimal 5 karakter)."), field="reason")
    if len(reason) > 300:
        # Shown to every verifier as it was written: never cut short silently.
        raise DomainError(_("Alasan pencabutan paling banyak 300 karakter."), field="reason")
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
        cert.revoked_at = timezone.now()
        cert.revoked_reason = reason
        cert.revoked_by = actor
        cert.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        StatusList.objects.filter(pk=cert.status_list_id).update(needs_publish=True)
        openbadges.publish_status_list(cert.status_list_id)
        audit(actor, "certificates.revoke", cert, detail={"reason": reason}, request=request)
        notify(
            kind="certificate_revoked",
            subject=_("E-sertifikat Anda dicabut: {training}").format(training=cert.training_title),
            body=_(
                "E-sertifikat nomor {number} ({training}) dicabut oleh penerbit.\nAlasan: "
                "{reason}\nHubungi {agency} bila ada pertanyaan."
            ).format(
                number=cert.number,
                training=cert.training_title,
                reason=reason,
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
