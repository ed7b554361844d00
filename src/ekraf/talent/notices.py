"""What speakers and requesting agencies are told, through the one outbox
(`ekraf.core.notifications.notify`) with a WhatsApp text for the wa.me link. Services decide when;
this module says what. Each notice has a dedupe key, so a retried transaction sends it once.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ekraf.core.notifications import notify
from ekraf.core.templatetags.ekraf import jam, tanggal


def when(booking) -> str:
    return f"{tanggal(booking.starts_at)} {jam(booking.starts_at)}–{jam(booking.ends_at)} WIB"


def _values(booking) -> dict:
    speaker_request = booking.request
    return {
        "name": booking.creator.name,
        "event": speaker_request.event,
        "topic": speaker_request.topic,
        "agency": speaker_request.agency.short_name,
        "when": when(booking),
        "venue": speaker_request.venue or "-",
        "link": settings.BASE_URL + reverse("talent:my_speaking"),
        "manage": settings.BASE_URL
        + reverse("talent:speaker_request", args=[speaker_request.public_id]),
    }


def _to_speaker(booking, kind: str, subject: str, body: str, event: str) -> None:
    notify(
        kind=f"speaker.{kind}",
        subject=subject,
        body=body,
        user=booking.creator.user,
        phone=booking.creator.phone,
        wa_text=body,
        dedupe_key=f"speaker:{booking.public_id}:{event}"[:120],
    )


def _to_agency(booking, kind: str, subject: str, body: str, event: str) -> None:
    requester = booking.request.created_by
    if requester is None:
        return
    notify(
        kind=f"speaker.{kind}",
        subject=subject,
        body=body,
        user=requester,
        wa_text=body,
        dedupe_key=f"speaker:{booking.public_id}:{event}"[:120],
    )


def asked(booking) -> None:
    v = _values(booking)
    body = (
        _(
            "Halo %(name)s, %(agency)s mengundang Anda sebagai pembicara di %(event)s "
            "(topik: %(topic)s), %(when)s, di %(venue)s. Jawab (terima atau tolak) di %(link)s"
        )
        % v
    )
    event = f"asked:{booking.shortlisted_at:%Y%m%d%H%M%S}"
    _to_speaker(booking, "asked", _("Undangan menjadi pembicara: %(event)s") % v, body, event)


def accepted(booking) -> None:
    v = _values(booking)
    body = _("%(name)s menerima undangan sebagai pembicara di %(event)s, %(when)s. %(manage)s") % v
    _to_agency(booking, "accepted", _("Pembicara terkonfirmasi: %(event)s") % v, body, "accepted")
    confirm = (
        _(
            "Terima kasih, %(name)s. Anda terjadwal sebagai pembicara di %(event)s, %(when)s, di %(venue)s."
        )
        % v
    )
    _to_speaker(booking, "booked", _("Jadwal pembicara: %(event)s") % v, confirm, "booked")


def declined(booking) -> None:
    v = _values(booking)
    body = _("%(name)s menolak undangan sebagai pembicara di %(event)s. %(manage)s") % v
    _to_agency(
        booking, "declined", _("Undangan pembicara ditolak: %(event)s") % v, body, "declined"
    )


def reminder(booking) -> None:
    v = _values(booking)
    body = _("Pengingat: besok Anda menjadi pembicara di %(event)s, %(when)s, di %(venue)s.") % v
    _to_speaker(
        booking, "reminder", _("Pengingat jadwal pembicara: %(event)s") % v, body, "reminder"
    )
