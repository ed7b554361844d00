"""What a requester is told about their booking, and the one way it is sent: the outbox
(`ekraf.core.notifications.notify`), inside the transaction of the decision, with a WhatsApp
text for the wa.me link. Services decide when; this module says what.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ekraf.core.notifications import notify
from ekraf.core.templatetags.ekraf import jam, tanggal

from .services.rules import rupiah


def booking_url(booking) -> str:
    return settings.BASE_URL + reverse("spaces:booking", args=[booking.public_id])


def when(booking) -> str:
    return f"{tanggal(booking.starts_at)} {jam(booking.starts_at)}–{jam(booking.ends_at)} WIB"


def _values(booking) -> dict:
    return {
        "name": booking.contact_name or getattr(booking.requester, "display_name", ""),
        "title": booking.title,
        "room": booking.space.name,
        "when": when(booking),
        "link": booking_url(booking),
    }


def _send(booking, kind: str, subject: str, body: str, wa: str, event: str) -> None:
    if booking.requester_id is None and not booking.contact_email:
        return  # a training's hold: the organiser hears through the training
    notify(
        kind=f"room.{kind}",
        subject=subject,
        body=body,
        wa_text=wa,
        user=booking.requester,
        email=booking.contact_email,
        phone=booking.contact_phone,
        dedupe_key=f"room:{booking.public_id}:{event}"[:120],
    )


def received(booking, event: str) -> None:
    v = _values(booking)
    if booking.status == "queued":
        state = _(
            "Slot ini sedang ditahan permohonan lain, jadi permohonan Anda MASUK ANTREAN: bila "
            "permohonan itu tidak disetujui, slotnya beralih kepada Anda."
        )
    elif booking.status == "approved":
        state = _("Pemesanan ini langsung DISETUJUI.")
    else:
        state = _(
            "Slot ini kami tahan untuk Anda sampai %(expires)s WIB sambil menunggu persetujuan "
            "pengelola ruang."
        ) % {"expires": f"{tanggal(booking.expires_at)} {jam(booking.expires_at)}"}
    body = _(
        "Halo %(name)s,\n\nPermohonan pemakaian %(room)s untuk %(title)s pada %(when)s sudah "
        "kami terima.\n%(state)s\n\nStatus: %(link)s"
    ) % {**v, "state": state}
    wa = _("Permohonan %(room)s %(when)s diterima. Status: %(link)s") % v
    _send(booking, "received", _("Permohonan ruang diterima: %(room)s") % v, body, wa, event)


def approved(booking, event: str) -> None:
    v = _values(booking)
    price = _("gratis") if booking.use_class == "sosial" else rupiah(booking.price)
    body = _(
        "Halo %(name)s,\n\nPemakaian %(room)s untuk %(title)s pada %(when)s DISETUJUI.\n"
        "Biaya: %(price)s.\n\nDatang dan check-in di meja depan; pemesanan yang belum check-in "
        "30 menit sesudah mulai dapat dilepas.\nRincian: %(link)s"
    ) % {**v, "price": price}
    wa = _("Pemakaian %(room)s %(when)s disetujui. Biaya %(price)s. %(link)s") % {
        **v,
        "price": price,
    }
    _send(booking, "approved", _("Disetujui: %(room)s, %(when)s") % v, body, wa, event)


def declined(booking, event: str) -> None:
    v = {**_values(booking), "reason": booking.reason}
    body = (
        _(
            "Halo %(name)s,\n\nMohon maaf, permohonan pemakaian %(room)s untuk %(title)s pada "
            "%(when)s DITOLAK.\nAlasan: %(reason)s\n\nRincian: %(link)s"
        )
        % v
    )
    wa = _("Permohonan %(room)s %(when)s ditolak: %(reason)s") % v
    _send(booking, "declined", _("Ditolak: %(room)s, %(when)s") % v, body, wa, event)


def lapsed(booking, event: str) -> None:
    v = _values(booking)
    body = (
        _(
            "Halo %(name)s,\n\nPermohonan pemakaian %(room)s untuk %(title)s pada %(when)s GUGUR "
            "karena belum diputus tepat waktu, dan slotnya dilepas. Anda bisa mengajukan lagi.\n"
            "Rincian: %(link)s"
        )
        % v
    )
    wa = _("Permohonan %(room)s %(when)s gugur; slot dilepas.") % v
    _send(booking, "lapsed", _("Gugur: %(room)s, %(when)s") % v, body, wa, event)


def reminder(booking, event: str) -> None:
    v = _values(booking)
    body = (
        _(
            "Halo %(name)s,\n\nPengingat: besok %(when)s Anda memakai %(room)s untuk %(title)s. "
            "Check-in di meja depan paling lambat 30 menit sesudah mulai.\nRincian: %(link)s"
        )
        % v
    )
    wa = _("Pengingat: besok %(when)s di %(room)s. Check-in di meja depan.") % v
    _send(booking, "reminder", _("Besok: %(room)s, %(when)s") % v, body, wa, event)


def released(booking, event: str) -> None:
    v = _values(booking)
    body = (
        _(
            "Halo %(name)s,\n\nPemakaian %(room)s untuk %(title)s pada %(when)s DILEPAS karena "
            "belum check-in 30 menit sesudah waktu mulai. Ruang diberikan kepada pemakai lain.\n"
            "Rincian: %(link)s"
        )
        % v
    )
    wa = _("Pemakaian %(room)s %(when)s dilepas: belum check-in.") % v
    _send(booking, "released", _("Dilepas: %(room)s, %(when)s") % v, body, wa, event)


def cancelled(booking, event: str) -> None:
    v = {**_values(booking), "reason": booking.reason or "-"}
    body = (
        _(
            "Halo %(name)s,\n\nPemakaian %(room)s untuk %(title)s pada %(when)s DIBATALKAN oleh "
            "pengelola ruang.\nAlasan: %(reason)s\nRincian: %(link)s"
        )
        % v
    )
    wa = _("Pemakaian %(room)s %(when)s dibatalkan: %(reason)s") % v
    _send(booking, "cancelled", _("Dibatalkan: %(room)s, %(when)s") % v, body, wa, event)
