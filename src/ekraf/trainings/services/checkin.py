"""Check-in at the door: ticket scans by the organiser and participants' self check-in
with the projected, rotating QR code.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ekraf.core.errors import Conflict, NotFound
from ekraf.core.ids import normalise
from ekraf.core.services import audit
from ekraf.core.templatetags.ekraf import jam

from ..models import Attendance, Registration, Session
from .common import Status, _now, require_manager


@dataclass
class CheckinResult:
    outcome: str  # "checked_in" | "already"
    message: str
    registration: Registration
    attendance: Attendance


class CheckinRefused(Conflict):
    """A ticket that must not get in: message says why (another training, cancelled, …)."""


def _checkin_refusal(registration: Registration, session: Session) -> CheckinRefused | None:
    if registration.training_id != session.training_id:
        return CheckinRefused(
            _("Tiket ini untuk pelatihan lain: %(title)s.")
            % {"title": registration.training.title},
            code="other_training",
        )
    messages = {
        Status.CANCELLED: (_("Tiket ini sudah dibatalkan."), "cancelled"),
        Status.WAITLISTED: (
            _("Pemegang tiket ini masih di daftar tunggu, belum mendapat kursi."),
            "waitlisted",
        ),
        Status.OFFERED: (_("Pemegang tiket ini belum menerima tawaran kursinya."), "offered"),
        Status.APPLIED: (_("Pemegang tiket ini belum lolos seleksi."), "applied"),
        Status.REJECTED: (_("Pemegang tiket ini tidak lolos seleksi."), "rejected"),
        Status.UNSEATED: (_("Pemegang tiket ini tidak mendapat kursi."), "unseated"),
    }
    if registration.status in messages:
        text, code = messages[registration.status]
        return CheckinRefused(f"{registration.full_name}: {text}", code=code)
    return None


def _already(attendance: Attendance, registration: Registration) -> CheckinResult:
    return CheckinResult(
        "already",
        _("%(name)s sudah check-in pukul %(time)s.")
        % {"name": registration.full_name, "time": jam(attendance.checked_in_at)},
        registration,
        attendance,
    )


def _record_attendance(registration, session, method, actor, now) -> CheckinResult:
    attendance = Attendance(
        registration=registration,
        session=session,
        checked_in_at=now,
        method=method,
        checked_in_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            attendance.save()
            audit(
                actor,
                "training.checkin",
                registration,
                detail={"session": session.public_id, "method": method},
            )
    except IntegrityError:
        # Two phones scanned the same ticket at once: the other one counted it.
        existing = Attendance.objects.get(registration=registration, session=session)
        return _already(existing, registration)
    return CheckinResult(
        "checked_in",
        _("%(name)s berhasil check-in pukul %(time)s.")
        % {"name": registration.full_name, "time": jam(now)},
        registration,
        attendance,
    )


def ticket_code_of(raw: str) -> str:
    """The ticket code in what was typed or scanned (a code, or a link ending in one)."""
    code = normalise((raw or "").replace("\x00", ""))
    if "/" in code:  # a scanned link: the code is its last part
        code = code.rstrip("/").rsplit("/", 1)[-1]
    return code[:16]


def check_in(
    actor, session: Session, code: str, *, method=Attendance.Method.TYPED, now=None
) -> CheckinResult:
    """Check a ticket in at a session. A second scan changes nothing and says when the first
    was; a ticket that does not belong here raises CheckinRefused with the reason."""
    require_manager(actor, session.training)
    now = _now(now)
    code = ticket_code_of(code)
    registration = (
        Registration.objects.select_related("training", "category").filter(ticket_code=code).first()
        if code
        else None
    )
    if registration is None:
        raise NotFound(
            _("Kode tiket %(code)s tidak dikenal.") % {"code": code or "—"}, code="unknown_ticket"
        )
    refusal = _checkin_refusal(registration, session)
    if refusal is not None:
        raise refusal
    existing = Attendance.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return _already(existing, registration)
    return _record_attendance(registration, session, method, actor, now)


def undo_check_in(actor, attendance: Attendance) -> None:
    require_manager(actor, attendance.session.training)
    audit(
        actor,
        "training.checkin.undo",
        attendance.registration,
        detail={"session": attendance.session.public_id},
    )
    attendance.delete()


SELF_CHECKIN_WINDOW = 30  # seconds each projected code is valid (plus the previous one)


def self_checkin_code(session: Session, now=None, *, window_offset: int = 0) -> str:
    """The code in the projected QR: HMAC of the session's secret and the 30-second window."""
    window = math.floor(_now(now).timestamp() / SELF_CHECKIN_WINDOW) + window_offset
    digest = hmac.new(
        session.checkin_secret.encode(), f"{session.public_id}:{window}".encode(), hashlib.sha256
    ).hexdigest()
    return digest[:16]


def set_self_checkin(actor, session: Session, enabled: bool) -> Session:
    require_manager(actor, session.training)
    session.self_checkin = enabled
    if enabled and not session.checkin_secret:
        session.checkin_secret = secrets.token_hex(32)
    session.save(update_fields=["self_checkin", "checkin_secret"])
    return session


def self_check_in(user, session: Session, code: str, now=None) -> CheckinResult:
    """A participant scans the projector's QR: valid in its window and the one before it, so a
    photo sent home is useless a minute later."""
    now = _now(now)
    if not session.self_checkin or not session.checkin_secret:
        raise Conflict(_("Presensi mandiri tidak aktif untuk sesi ini."), code="self_checkin_off")
    valid = {self_checkin_code(session, now), self_checkin_code(session, now, window_offset=-1)}
    if not any(hmac.compare_digest(code or "", v) for v in valid):
        raise Conflict(
            _("Kode QR ini sudah berganti. Pindai lagi QR yang tampil di layar."), code="stale_code"
        )
    if not session.starts_at - timedelta(hours=1) <= now <= session.ends_at:
        raise Conflict(_("Presensi mandiri hanya selama sesi berlangsung."), code="outside_session")
    registration = (
        Registration.objects.select_related("training", "category")
        .filter(training_id=session.training_id, user=user, status__in=Registration.ACTIVE)
        .first()
    )
    if registration is None:
        raise NotFound(_("Anda tidak terdaftar di pelatihan ini."), code="not_registered")
    refusal = _checkin_refusal(registration, session)
    if refusal is not None:
        raise refusal
    existing = Attendance.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return _already(existing, registration)
    return _record_attendance(registration, session, Attendance.Method.SELF, user, now)
