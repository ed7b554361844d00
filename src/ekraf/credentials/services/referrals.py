"""Professional-certification referrals and the holder's personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.models import Agency
from ekraf.core.notifications import notify
from ekraf.core.services import audit
from ekraf.creators.services import normalise_phone
from ekraf.trainings.models import Registration

from ..models import Certificate, Referral, ReferralEvent

# --- professional-certification referrals ------------------------------------------------------------


def referral_agency() -> Agency:
    agency = Agency.objects.filter(code=settings.REFERRAL_AGENCY_CODE).first()
    if agency is None:
        raise NotFound(_("Perangkat daerah penerima rujukan belum terdaftar."))
    return agency


def training_record(user) -> list[dict]:
    """The person's trainings as the platform knows them, for a referral."""
    registrations = (
        Registration.objects.filter(user=user, status=Registration.Status.CONFIRMED)
        .select_related("training__agency", "certificate")
        .order_by("created_at")
    )
    record = []
    for reg in registrations:
        cert = getattr(reg, "certificate", None)
        record.append(
            {
                "training": reg.training.title,
                "agency": reg.training.agency.short_name,
                "hours": reg.training.hours,
                "completed": reg.completed,
                "post_test": str(reg.post_test_score) if reg.post_test_score is not None else None,
                "certificate_number": cert.number if cert else None,
                "certificate_code": cert.code if cert else None,
                "certificate_revoked": bool(cert and cert.revoked_at),
            }
        )
    return record


def request_referral(user, *, scheme: str, motivation: str = "", phone: str = "") -> Referral:
    permissions.require(permissions.can_request_referral(user))
    scheme = validation.line(scheme, field="scheme", max_length=200)
    motivation = validation.text(motivation, field="motivation", max_length=2000)
    if not scheme:
        raise DomainError(
            _("Sebutkan bidang atau skema sertifikasi yang diminati."), field="scheme"
        )
    # E.164, as everywhere else: staff contact the person through a wa.me link, which needs
    # the country code ("0812…" or "+62" alone made a link to nobody).
    phone = normalise_phone(phone)
    agency = referral_agency()
    with transaction.atomic():
        if Referral.objects.filter(user=user, status__in=Referral.OPEN).exists():
            raise Conflict(
                _("Anda masih punya rujukan yang sedang diproses. Tunggu hingga selesai.")
            )
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    user=user,
                    agency=agency,
                    full_name=user.display_name,
                    email=user.email,
                    phone=phone,
                    scheme=scheme[:200],
                    motivation=(motivation or "").strip()[:2000],
                    training_record=training_record(user),
                )
        except IntegrityError:
            raise Conflict(
                _("Anda masih punya rujukan yang sedang diproses. Tunggu hingga selesai.")
            ) from None
        ReferralEvent.objects.create(
            referral=referral,
            status=Referral.Status.RECEIVED,
            note=_("Permintaan diterima dan diteruskan ke {agency}.").format(
                agency=agency.short_name
            ),
            actor=user,
        )
        _notify_referral_staff(referral)
        notify(
            kind="referral_received",
            subject=_("Rujukan sertifikasi profesi Anda diterima"),
            body=_(
                "Permintaan sertifikasi profesi ({scheme}) sudah diterima {agency}. Ikuti "
                "perkembangannya di {url}"
            ).format(
                scheme=referral.scheme,
                agency=agency.short_name,
                url=f"{settings.BASE_URL}/sertifikasi-profesi/",
            ),
            user=user,
            phone=referral.phone,
            dedupe_key=f"referral:{referral.pk}:received",
        )
    return referral


def _notify_referral_staff(referral: Referral) -> None:
    from ekraf.accounts.models import AGENCY_ROLES, User

    staff = User.objects.filter(
        is_active=True,
        role_grants__agency=referral.agency,
        role_grants__role__in=[r.value for r in AGENCY_ROLES],
    ).distinct()
    for person in staff:
        notify(
            kind="referral_new",
            subject=_("Rujukan sertifikasi baru: {name}").format(name=referral.full_name),
            body=_("{name} meminta rujukan sertifikasi profesi ({scheme}). Buka {url}").format(
                name=referral.full_name,
                scheme=referral.scheme,
                url=f"{settings.BASE_URL}/kelola/rujukan/{referral.public_id}/",
            ),
            user=person,
            dedupe_key=f"referral:{referral.pk}:staff:{person.pk}",
        )


def advance_referral(
    actor,
    referral: Referral,
    *,
    status: str,
    note: str = "",
    lsp_name: str = "",
    scheduled_for=None,
) -> Referral:
    """Move a referral one step (or add a note without moving it); the creator is told."""
    permissions.require(
        permissions.can_work_referrals(actor, referral.agency_id),
        _("Hanya staf perangkat daerah penerima yang dapat memproses rujukan ini."),
    )
    note = validation.text(note, field="note", max_length=2000)
    lsp_name = validation.line(lsp_name, field="lsp_name", max_length=200)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if status == referral.status:
            if not note:
                raise DomainError(_("Tulis catatan, atau pilih status berikutnya."), field="note")
        elif status not in Referral.NEXT[Referral.Status(referral.status)]:
            raise Conflict(
                _("Status tidak dapat diubah dari {current} ke {new}.").format(
                    current=referral.get_status_display(),
                    new=Referral.Status(status).label if status in Referral.Status else status,
                )
            )
        if status == Referral.Status.FORWARDED and not (lsp_name or referral.lsp_name):
            raise DomainError(_("Sebutkan LSP tujuan."), field="lsp_name")
        if status == Referral.Status.SCHEDULED and not (scheduled_for or referral.scheduled_for):
            raise DomainError(_("Isi jadwal uji kompetensi."), field="scheduled_for")
        if status == Referral.Status.DECLINED and not note:
            raise DomainError(_("Jelaskan alasannya kepada pemohon."), field="note")
        if lsp_name:
            referral.lsp_name = lsp_name.strip()[:200]
        if scheduled_for:
            referral.scheduled_for = scheduled_for
        changed = status != referral.status
        referral.status = status
        referral.save()
        event = ReferralEvent.objects.create(
            referral=referral, status=status, note=note[:2000], actor=actor
        )
        label = referral.get_status_display()
        notify(
            kind="referral_update",
            subject=_("Rujukan sertifikasi Anda: {status}").format(status=label),
            body=_(
                "Status rujukan sertifikasi profesi ({scheme}): {status}.\n{note}\n{url}"
            ).format(
                scheme=referral.scheme,
                status=label,
                note=note,
                url=f"{settings.BASE_URL}/sertifikasi-profesi/",
            ),
            user=referral.user,
            phone=referral.phone,
            dedupe_key=f"referral-event:{event.pk}",
        )
        audit(actor, "referrals.update" if changed else "referrals.note", referral)
    return referral


# --- personal data ---------------------------------------------------------------------------------


def export_personal_data(user) -> dict:
    certificates = [
        {
            "number": c.number,
            "code": c.code,
            "training": c.training_title,
            "agency": c.agency_name,
            "kind": c.kind,
            "holder_name": c.holder_name,
            "issued_on": c.issued_on.isoformat(),
            "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
            "revoked_reason": c.revoked_reason,
        }
        for c in Certificate.objects.filter(holder=user).order_by("issued_at")
    ]
    referrals = [
        {
            "scheme": r.scheme,
            "motivation": r.motivation,
            "phone": r.phone,
            "status": r.status,
            "lsp": r.lsp_name,
            "scheduled_for": r.scheduled_for.isoformat() if r.scheduled_for else None,
            "created_at": r.created_at.isoformat(),
            "training_record": r.training_record,
            "events": [
                {"at": e.at.isoformat(), "status": e.status, "note": e.note} for e in r.events.all()
            ],
        }
        for r in Referral.objects.filter(user=user).prefetch_related("events")
    ]
    return {"certificates": certificates, "referrals": referrals}


def erase_personal_data(user) -> None:
    """Referrals lose their contact details and free text; certificates are kept.

    A certificate is a public record that verifiers rely on (the name printed on a PDF someone
    holds must keep verifying), so deleting an account does not delete or alter it.
    """
    Referral.objects.filter(user=user).update(
        full_name=_("Akun dihapus"), email="", phone="", motivation="", training_record=[]
    )
