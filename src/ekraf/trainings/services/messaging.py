"""A message from the organiser to a group of a training's participants (confirmed,
waitlisted, attended, completed), through the outbox like every notice, with the wa.me links
the organiser may open (contact consent decides whose, see selectors.hide_contacts)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ekraf.core import validation
from ekraf.core.errors import DomainError
from ekraf.core.services import audit

from .. import notices
from ..models import Registration, Training
from .common import Status, _now, _tell, require_manager


def message_groups():
    return [
        ("confirmed", _("Peserta terkonfirmasi")),
        ("waitlisted", _("Daftar tunggu")),
        ("attended", _("Yang hadir (sedikitnya satu sesi)")),
        ("completed", _("Yang lulus")),
    ]


def group_members(training: Training, group: str):
    qs = training.registrations.select_related("training__agency", "category", "user")
    if group == "confirmed":
        return qs.filter(status=Status.CONFIRMED)
    if group == "waitlisted":
        return qs.filter(status=Status.WAITLISTED)
    if group == "attended":
        return qs.filter(status=Status.CONFIRMED, attendances__isnull=False).distinct()
    if group == "completed":
        return qs.filter(status=Status.CONFIRMED, completed=True)
    raise DomainError(_("Pilih kelompok penerima."), field="group")


def message_group(
    actor, training: Training, group: str, subject: str, body: str, now=None
) -> list[Registration]:
    """Queue the message for everyone in the group (e-mail and the WhatsApp text), once: the
    same send repeated within the same second is not queued twice."""
    require_manager(actor, training)
    subject = validation.line(subject, field="subject", max_length=150)
    body = validation.text(body, field="body", max_length=5000)
    if not subject or not body:
        raise DomainError(_("Tulis judul dan isi pesan."), field="body")
    members = list(group_members(training, group))
    if not members:
        raise DomainError(_("Tidak ada peserta di kelompok ini."), field="group")
    event = f"msg{int(_now(now).timestamp())}"
    with transaction.atomic():
        for registration in members:
            notice = notices.organiser_message(registration, subject, body)
            _tell(registration, notice, event)
        audit(actor, "training.message", training, detail={"group": group, "n": len(members)})
    return members
