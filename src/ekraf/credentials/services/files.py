"""A certificate's files: its PDF (drawn, signed and stored after the issuing transaction,
outside any lock, one by one) and its Open Badges credential (signed once), and the holder's
DID the credential may be bound to."""

from __future__ import annotations

import json
import logging
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError
from ekraf.core.ids import random_code
from ekraf.core.services import audit
from ekraf.trainings.models import Training

from .. import codes, openbadges, pdf, signing, tokens
from ..models import (
    Certificate,
)
from .issuance import TrainingPrint, eligible_registrations, new_certificate

log = logging.getLogger(__name__)


# --- the PDF --------------------------------------------------------------------------------------


def pdf_storage_name(cert: Certificate) -> str:
    return f"private/credentials/pdf/{cert.year}/{cert.code}.pdf"


def draw_pdf(cert: Certificate, printed: TrainingPrint | None = None) -> bytes:
    """The signed PDF of a certificate (drawn from its snapshot)."""
    if printed is None:
        printed = TrainingPrint.of(cert.training)
    _url, qr = tokens.qr_for(
        tokens.QrClaims(
            code=cert.code,
            holder_name=cert.holder_name,
            training_title=cert.training_title,
            agency=cert.agency_short_name,
            issued_on=cert.issued_on.isoformat(),
        )
    )
    document = pdf.render(
        cert,
        qr=qr,
        logo_name=printed.logo,
        city_name=cert.city_name,
        verify_url=printed.verify_url,
    )
    return signing.pdf_signer().sign(
        document,
        reason=_("E-sertifikat {number}").format(number=cert.number),
        location=cert.signing_place or cert.city_name,
    )


PREVIEW_MARK = "CONTOH"


def preview_pdf(training: Training) -> bytes:
    """The first qualifying participant's certificate as it will print, watermarked CONTOH and
    without a number or a valid code: not signed, not stored, nothing numbered."""
    import segno

    printed = TrainingPrint.of(training)
    if not printed.signatories:
        raise DomainError(
            _("Belum ada penandatangan. Tambahkan penandatangan perangkat daerah terlebih dahulu.")
        )
    registration = (
        eligible_registrations(training).select_related("user").order_by("full_name", "pk").first()
    )
    if registration is None:
        raise DomainError(_("Belum ada peserta yang memenuhi syarat untuk dijadikan contoh."))
    draft = new_certificate(registration, printed, today=timezone.localdate())
    draft.number = _("CONTOH (nomor diberikan saat terbit)")
    draft.code = PREVIEW_MARK.ljust(codes.LENGTH, "X")[: codes.LENGTH]
    return pdf.render(
        draft,
        qr=segno.make_qr(printed.verify_url, error="m"),
        logo_name=printed.logo,
        city_name=draft.city_name,
        verify_url=printed.verify_url,
        watermark=PREVIEW_MARK,
    )


def store_pdf(cert: Certificate, printed: TrainingPrint | None = None) -> str:
    """Draw, sign and store the PDF unless it exists; record its name. Idempotent."""
    if cert.pdf:
        return cert.pdf
    data = draw_pdf(cert, printed)
    until = signing.timestamped_until(data)
    name = default_storage.save(pdf_storage_name(cert), ContentFile(data))
    stored = Certificate.objects.filter(pk=cert.pk, pdf="").update(
        pdf=name, pdf_timestamped_until=until
    )
    if stored == 0:
        default_storage.delete(name)  # another run stored it first
        cert.refresh_from_db(fields=["pdf", "pdf_timestamped_until"])
        return cert.pdf
    cert.pdf, cert.pdf_timestamped_until = name, until
    return name


# --- the Open Badges credential, signed once -------------------------------------------------------


def openbadge_storage_name(cert: Certificate) -> str:
    # A name of its own each time: re-signing (a DID bound) never overwrites what was served.
    return f"private/credentials/openbadges/{cert.year}/{cert.code}-{random_code(6)}.json"


def jwt_name(json_name: str) -> str:
    return json_name.removesuffix(".json") + ".jwt"


def store_credential(cert: Certificate, *, again: bool = False) -> str:
    """Sign the certificate's Open Badges credential (.json with its Data Integrity proof, and
    the same as a JWT) and store both, unless stored already: every download then serves these
    very bytes, whose proof says when it was made. `again` signs afresh (a DID was bound)."""
    if cert.openbadge and not again:
        return cert.openbadge
    document = openbadges.signed_credential(cert, created=None if again else cert.issued_at)
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    token = openbadges.credential_jwt(document, cert.agency.code).encode()
    name = default_storage.save(openbadge_storage_name(cert), ContentFile(body))
    default_storage.save(jwt_name(name), ContentFile(token))
    old = cert.openbadge
    updated = Certificate.objects.filter(pk=cert.pk, openbadge=old).update(openbadge=name)
    if not updated:  # another run stored one first: serve that one
        for stale in (name, jwt_name(name)):
            default_storage.delete(stale)
        cert.refresh_from_db(fields=["openbadge"])
        return cert.openbadge
    if old:
        for stale in (old, jwt_name(old)):
            transaction.on_commit(lambda stale=stale: default_storage.delete(stale))
    cert.openbadge = name
    return name


DID_PATTERN = re.compile(r"did:[a-z0-9]+:[A-Za-z0-9._:%-]*[A-Za-z0-9._%-]")


def bind_holder_did(user, did: str) -> int:
    """The holder's DID becomes the subject of each of their credentials, re-signed now (an
    empty value removes it). Returns how many credentials were signed again."""
    did = (did or "").strip()
    if did and (len(did) > 300 or not DID_PATTERN.fullmatch(did)):
        raise DomainError(
            _("DID tidak valid. Contoh: did:key:z6Mk… atau did:web:contoh.id."), field="did"
        )
    mine = list(
        Certificate.objects.filter(holder=user)
        .exclude(holder_did=did)
        .select_related("agency", "training", "status_list")
    )
    for cert in mine:
        permissions.require(permissions.can_bind_holder_did(user, cert))
        with transaction.atomic():
            cert.holder_did = did
            cert.save(update_fields=["holder_did"])
            store_credential(cert, again=True)
    if mine:
        audit(user, "certificates.holder_did", user, detail={"count": len(mine)})
    return len(mine)
