"""Re-issuing a certificate to correct it (a wrong name, a detail of the training).

The new certificate takes the next gap-free number of its agency (the same locked numbering as
every issue) and the registration; the old one keeps its number, loses nothing of what it
printed, and from then on verifies as "diganti" (superseded) with a link to the new one. Its
slot in the agency's status list is set, so an Open Badges verifier that checks the list no
longer takes the old credential for a valid one either.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.services import audit

from .. import codes, openbadges, selectors
from ..models import Certificate, StatusList
from .revocation import meaningful_text


def reissue_certificate(actor, code: str, *, holder_name: str, reason: str, request=None):
    """Issue a corrected certificate in place of `code`'s; returns the new one (PDF and Open
    Badges credential stored). The training's details are printed as they are now, so a detail
    fixed on the training is corrected too; `holder_name` is what the new one prints (and the
    registration's name from now on)."""
    from .files import store_credential, store_pdf
    from .issuance import TrainingPrint, issue_certificates

    parsed = codes.parse(code)
    if parsed is None:
        raise NotFound(_("E-sertifikat tidak ditemukan."))
    holder_name = validation.line(holder_name or "", field="holder_name", max_length=150)
    if not holder_name:
        raise DomainError(_("Tuliskan nama pemegang yang benar."), field="holder_name")
    reason = meaningful_text(reason, field="reason", what=_("Alasan penerbitan ulang"))
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update()
            .filter(code=parsed)
            .select_related("training__agency")
            .order_by()
            .first()
        )
        if old is None:
            raise NotFound(_("E-sertifikat tidak ditemukan."))
        permissions.require(
            permissions.can_issue_certificates(actor, old.agency_id),
            _("Hanya penyelenggara dari perangkat daerah penerbit yang dapat menerbitkan ulang."),
        )
        if old.revoked_at is not None:
            raise Conflict(_("E-sertifikat yang dicabut tidak dapat diterbitkan ulang."))
        if old.superseded_at is not None or old.registration_id is None:
            raise Conflict(_("E-sertifikat ini sudah diganti. Terbitkan ulang penggantinya."))
        registration = old.registration
        registration.full_name = holder_name
        registration.save(update_fields=["full_name"])
        # The registration passes to the new certificate (numbered and inserted by the one
        # issuing path: the agency's counter is locked, the number is the next one).
        Certificate.objects.filter(pk=old.pk).update(registration=None)
        printed = TrainingPrint.of(old.training)
        new = issue_certificates([registration], printed, actor=actor)[0]
        now = timezone.now()
        Certificate.objects.filter(pk=old.pk).update(
            superseded_by=new, superseded_at=now, superseded_reason=reason
        )
        old.superseded_by, old.superseded_at, old.superseded_reason = new, now, reason
        old.registration = None
        StatusList.objects.filter(pk=old.status_list_id).update(needs_publish=True)
        openbadges.publish_status_list(old.status_list_id)
        audit(
            actor,
            "certificates.reissue",
            new,
            detail={"replaces": old.number, "number": new.number, "reason": reason},
            request=request,
        )
        transaction.on_commit(lambda: selectors.forget_verification(old.code))
    store_pdf(new, printed)
    store_credential(new)
    return new
