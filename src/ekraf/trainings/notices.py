"""The words of every message a participant receives about a training.

Services decide *when* to tell someone; this module says *what*. Each function returns a
`Notice` (subject, e-mail body, a shorter WhatsApp text) that services pass to
`ekraf.core.notifications.notify` inside the transaction of the change. Texts are built before
a seat lock is taken, so nothing slow happens while other registrations wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from ekraf.core.ids import group
from ekraf.core.templatetags.ekraf import jam, tanggal

TICKET_LINK_SALT = "ekraf.trainings.ticket-link"
OFFER_SALT = "ekraf.trainings.offer"


@dataclass(frozen=True)
class Notice:
    kind: str
    subject: str
    body: str
    wa_text: str


def display_code(code: str) -> str:
    """A ticket code as people read and type it: two groups (ABCDE-FGHJK; the older
    8-symbol codes ABCD-EFGH). Check-in ignores the hyphen."""
    return group(code, 5 if len(code) % 5 == 0 else 4)


def absolute(path: str) -> str:
    return settings.BASE_URL + path


def ticket_link(registration) -> str:
    """A link to the ticket (QR, code, PDF) that works without signing in, as in the e-mail."""
    token = signing.dumps(registration.public_id, salt=TICKET_LINK_SALT)
    return absolute(reverse("trainings:ticket_link", args=[token]))


def offer_token(registration) -> str:
    """Signed for this registration *and this offer* (its expiry), so an old link is void."""
    expires = int(registration.offer_expires_at.timestamp())
    return signing.dumps({"r": registration.public_id, "x": expires}, salt=OFFER_SALT)


def place_of(session, *, reveal_link: bool = True) -> str:
    """Where a session happens. The online link is for participants only, so public pages
    and the public calendar file say just "daring"."""
    parts = []
    if session.space_id:
        parts.append(session.space.name)
    if session.address:
        parts.append(session.address)
    if session.online_url:
        if reveal_link:
            parts.append(_("daring: %(url)s") % {"url": session.online_url})
        else:
            parts.append(_("daring"))
    return "; ".join(parts) or _("tempat menyusul")


def session_line(session) -> str:
    return f"{tanggal(session.starts_at)} {jam(session.starts_at)}–{jam(session.ends_at)} WIB, {place_of(session)}"


def schedule(sessions) -> str:
    return "\n".join(f"- {session_line(s)}" for s in sessions)


def _sign_off(training) -> str:
    return f"\n\n{training.agency.name}"


def confirmed(registration, sessions, deadline) -> Notice:
    t = registration.training
    body = _(
        "Halo %(name)s,\n\nPendaftaran Anda untuk %(title)s (kategori %(category)s) "
        "TERKONFIRMASI.\n\nKode tiket: %(code)s\nJadwal:\n%(schedule)s\n\n"
        "Tunjukkan QR tiket di pintu masuk: %(link)s\n"
        "Jika berhalangan, batalkan paling lambat %(deadline)s agar kursi Anda bisa diberikan "
        "kepada peserta lain."
    ) % {
        "name": registration.full_name,
        "title": t.title,
        "category": registration.category.name,
        "code": display_code(registration.ticket_code),
        "schedule": schedule(sessions),
        "link": ticket_link(registration),
        "deadline": f"{tanggal(deadline)} {jam(deadline)} WIB" if deadline else "-",
    }
    wa = _("Pendaftaran %(title)s terkonfirmasi. Kode tiket %(code)s. Tiket: %(link)s") % {
        "title": t.title,
        "code": display_code(registration.ticket_code),
        "link": ticket_link(registration),
    }
    return Notice(
        "training.confirmed",
        _("Terkonfirmasi: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        wa,
    )


def waitlisted(registration, position: int) -> Notice:
    return waitlisted_at(registration)(position)


def waitlisted_at(registration):
    """The waiting-list notice with everything but the position filled in, so that
    `register` builds it before the seat lock and only puts the number in under it."""
    t = registration.training
    values = {
        "name": registration.full_name,
        "category": registration.category.name,
        "title": t.title,
        "link": ticket_link(registration),
    }
    body = _(
        "Halo %(name)s,\n\nKursi kategori %(category)s untuk %(title)s sudah penuh. Anda masuk "
        "DAFTAR TUNGGU pada urutan ke-%(position)s.\n\nJika ada kursi yang dilepas, kami "
        "menawarkannya kepada Anda lewat email ini, dengan tautan untuk menerima atau menolak."
        "\nStatus pendaftaran: %(link)s"
    )
    wa = _("Anda di daftar tunggu %(title)s, urutan ke-%(position)s.")
    subject = _("Daftar tunggu: %(title)s") % {"title": t.title}
    sign_off = _sign_off(t)

    def at(position: int) -> Notice:
        return Notice(
            "training.waitlisted",
            subject,
            body % {**values, "position": position} + sign_off,
            wa % {"title": t.title, "position": position},
        )

    return at


def registration_closed_waiting(registration, position: int) -> Notice:
    """Registration closed while this person waits: where they stand, and what comes next."""
    t = registration.training
    body = _(
        "Halo %(name)s,\n\nPendaftaran %(title)s sudah ditutup. Anda masih di daftar tunggu "
        "kategori %(category)s, urutan ke-%(position)s. Jika ada peserta yang membatalkan "
        "sebelum pelatihan, kursinya kami tawarkan kepada Anda lewat email ini. Jika tidak ada "
        "kursi yang dilepas, Anda tidak mendapat kursi kali ini; kami kabari saat pelatihan "
        "selesai.\nStatus pendaftaran: %(link)s"
    ) % {
        "name": registration.full_name,
        "title": t.title,
        "category": registration.category.name,
        "position": position,
        "link": ticket_link(registration),
    }
    return Notice(
        "training.registration_closed",
        _("Pendaftaran ditutup: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        _("Pendaftaran %(title)s ditutup. Anda masih di daftar tunggu, urutan ke-%(position)s.")
        % {"title": t.title, "position": position},
    )


def unseated(registration) -> Notice:
    """The training finished and this person, still waiting, did not get a seat."""
    t = registration.training
    body = _(
        "Halo %(name)s,\n\n%(title)s sudah selesai. Mohon maaf, tidak ada kursi yang "
        "dilepas untuk Anda dari daftar tunggu, jadi Anda tidak mendapat kursi kali ini. "
        "Terima kasih atas minat Anda; pelatihan berikutnya kami umumkan di %(site)s."
    ) % {"name": registration.full_name, "title": t.title, "site": absolute("/pelatihan/")}
    return Notice(
        "training.unseated",
        _("Tidak mendapat kursi: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        _("Mohon maaf, Anda tidak mendapat kursi di %(title)s. Terima kasih atas minat Anda.")
        % {"title": t.title},
    )


def organiser_message(registration, subject: str, text: str) -> Notice:
    t = registration.training
    body = _("Halo %(name)s,\n\n%(text)s") % {"name": registration.full_name, "text": text}
    return Notice(
        "training.message",
        f"{subject} · {t.title}"[:200],
        body + _sign_off(t),
        f"{t.title}: {text}",
    )


def applied(registration) -> Notice:
    t = registration.training
    body = _(
        "Halo %(name)s,\n\nPendaftaran Anda untuk %(title)s sudah kami terima dan MENUNGGU "
        "SELEKSI oleh penyelenggara. Hasilnya kami kirim lewat email.\nStatus: %(link)s"
    ) % {"name": registration.full_name, "title": t.title, "link": ticket_link(registration)}
    wa = _("Pendaftaran %(title)s diterima, menunggu seleksi.") % {"title": t.title}
    return Notice(
        "training.applied",
        _("Pendaftaran diterima: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        wa,
    )


def offer(registration) -> Notice:
    t = registration.training
    token = offer_token(registration)
    accept = absolute(reverse("trainings:offer", args=[token, "terima"]))
    decline = absolute(reverse("trainings:offer", args=[token, "tolak"]))
    expires = registration.offer_expires_at
    body = _(
        "Halo %(name)s,\n\nAda kursi yang dilepas untuk %(title)s (kategori %(category)s) dan "
        "kursi itu kami TAWARKAN kepada Anda. Kursi ini kami tahan untuk Anda sampai "
        "%(expires)s WIB.\n\nTerima kursi: %(accept)s\nTolak (kursi diberikan ke peserta "
        "berikutnya): %(decline)s\n\nJika tidak dijawab sampai batas waktu, tawaran berakhir dan "
        "kursi ditawarkan kepada peserta berikutnya di daftar tunggu."
    ) % {
        "name": registration.full_name,
        "title": t.title,
        "category": registration.category.name,
        "expires": f"{tanggal(expires)} {jam(expires)}",
        "accept": accept,
        "decline": decline,
    }
    wa = _("Kursi %(title)s ditawarkan untuk Anda sampai %(expires)s WIB. Terima: %(accept)s") % {
        "title": t.title,
        "expires": f"{tanggal(expires)} {jam(expires)}",
        "accept": accept,
    }
    return Notice(
        "training.offer",
        _("Kursi tersedia untuk Anda: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        wa,
    )


def offer_expired(registration) -> Notice:
    t = registration.training
    body = _(
        "Halo %(name)s,\n\nTawaran kursi %(title)s tidak dijawab sampai batas waktu, sehingga "
        "kursi itu kami tawarkan kepada peserta berikutnya. Anda bisa mendaftar lagi bila "
        "pendaftaran masih dibuka."
    ) % {"name": registration.full_name, "title": t.title}
    return Notice(
        "training.offer_expired",
        _("Tawaran kursi berakhir: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        _("Tawaran kursi %(title)s sudah berakhir.") % {"title": t.title},
    )


def cancelled(registration, by_organiser: bool) -> Notice:
    t = registration.training
    if by_organiser:
        text = _("Pendaftaran Anda untuk %(title)s dibatalkan oleh penyelenggara.")
    else:
        text = _("Pembatalan pendaftaran Anda untuk %(title)s sudah kami catat. Terima kasih.")
    text = text % {"title": t.title}
    reason = registration.cancel_reason
    body = _("Halo %(name)s,\n\n") % {"name": registration.full_name} + text
    if reason:
        body += "\n" + _("Keterangan: %(reason)s") % {"reason": reason}
    return Notice(
        "training.cancelled",
        _("Pendaftaran dibatalkan: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        text,
    )


def training_cancelled(registration, reason: str) -> Notice:
    t = registration.training
    body = _(
        "Halo %(name)s,\n\nDengan menyesal kami sampaikan bahwa %(title)s DIBATALKAN.\n"
        "Alasan: %(reason)s\n\nMohon maaf atas ketidaknyamanan ini."
    ) % {"name": registration.full_name, "title": t.title, "reason": reason}
    return Notice(
        "training.training_cancelled",
        _("Pelatihan dibatalkan: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        _("%(title)s dibatalkan. Alasan: %(reason)s") % {"title": t.title, "reason": reason},
    )


def selection_rejected(registration) -> Notice:
    t = registration.training
    body = _(
        "Halo %(name)s,\n\nTerima kasih atas minat Anda pada %(title)s. Mohon maaf, Anda belum "
        "terpilih sebagai peserta kali ini. Nantikan pelatihan berikutnya."
    ) % {"name": registration.full_name, "title": t.title}
    return Notice(
        "training.rejected",
        _("Hasil seleksi: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        _("Hasil seleksi %(title)s: belum terpilih.") % {"title": t.title},
    )


def schedule_changed(registration, sessions) -> Notice:
    t = registration.training
    body = _(
        "Halo %(name)s,\n\nJadwal atau tempat %(title)s BERUBAH. Jadwal terbaru:\n%(schedule)s"
        "\n\nJika Anda tidak bisa hadir pada jadwal baru, batalkan lewat tautan tiket agar kursi "
        "bisa dipakai peserta lain: %(link)s"
    ) % {
        "name": registration.full_name,
        "title": t.title,
        "schedule": schedule(sessions),
        "link": ticket_link(registration),
    }
    return Notice(
        "training.schedule_changed",
        _("Perubahan jadwal: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        _("Jadwal %(title)s berubah:\n%(schedule)s")
        % {"title": t.title, "schedule": schedule(sessions)},
    )


def day_word(moment, now) -> str:
    """ "hari ini", "besok" or the date, by the calendar of the city (not "within 24 hours"): a
    reminder sent at 07.00 for a session at 14.00 the same day must not say "besok"."""
    from django.utils import timezone

    days = (timezone.localtime(moment).date() - timezone.localtime(now).date()).days
    if days == 0:
        return _("hari ini")
    if days == 1:
        return _("besok")
    return tanggal(moment)


def reminder(registration, session, now=None) -> Notice:
    from django.utils import timezone

    t = registration.training
    when_word = day_word(session.starts_at, now or timezone.now())
    body = _(
        "Halo %(name)s,\n\nPengingat: %(title)s dimulai %(when)s.\nTempat: %(place)s\n"
        "Kode tiket: %(code)s\nTiket (QR): %(link)s\n\nJika berhalangan, batalkan lewat "
        "tautan tiket agar kursi bisa dipakai peserta lain."
    ) % {
        "name": registration.full_name,
        "title": t.title,
        "when": f"{tanggal(session.starts_at)} {jam(session.starts_at)} WIB",
        "place": place_of(session),
        "code": display_code(registration.ticket_code),
        "link": ticket_link(registration),
    }
    wa = _("Pengingat: %(title)s %(when)s di %(place)s. Kode tiket %(code)s.") % {
        "title": t.title,
        "when": f"{tanggal(session.starts_at)} {jam(session.starts_at)} WIB",
        "place": place_of(session),
        "code": display_code(registration.ticket_code),
    }
    return Notice(
        "training.reminder",
        _("Pengingat: %(title)s %(day)s") % {"title": t.title, "day": when_word},
        body + _sign_off(t),
        wa,
    )


def completed(registration) -> Notice:
    t = registration.training
    body = _(
        "Halo %(name)s,\n\nSelamat! Anda dinyatakan LULUS %(title)s (%(reason)s). "
        "E-sertifikat akan diterbitkan oleh penyelenggara dan muncul di halaman sertifikat Anda."
    ) % {"name": registration.full_name, "title": t.title, "reason": registration.completion_reason}
    return Notice(
        "training.completed",
        _("Selamat, Anda lulus: %(title)s") % {"title": t.title},
        body + _sign_off(t),
        _("Selamat, Anda lulus %(title)s.") % {"title": t.title},
    )
