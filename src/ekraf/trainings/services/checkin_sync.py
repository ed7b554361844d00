"""Check-in that survives the venue's Wi-Fi: the ticket list a door phone keeps, and the sync
of the scans it accepted while offline.

The phone keeps only what the door needs to answer as the server would: each ticket's code,
the holder's name, the category, the refusal text when the ticket must not get in, and when it
was checked in at this session. No NIK, phone, e-mail or birth year. Tickets of other trainings
with a session the same day are listed by code and training title only, so "another training"
is answered offline too.

Sync is idempotent and merges: each scan carries the time the phone accepted it; a ticket
checked in by two phones (or twice by one) counts once, at the earliest time. A client time is
trusted only within bounds: not before the session's day began and not after the server's now
(plus a small clock skew, clamped to now) and not more than OFFLINE_DAYS back. A scan outside
those bounds is refused on its own; the rest of the batch is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.core.errors import DomainError

from ..models import Attendance, Registration, Session
from .checkin import _checkin_refusal, ticket_code_of
from .common import Status, _now, require_manager

MAX_SYNC_SCANS = 500  # one request; a door phone syncs far fewer at a time
CLOCK_SKEW = timedelta(minutes=5)
OFFLINE_DAYS = timedelta(days=3)  # how long a door phone may stay offline with unsent scans


def _day_bounds(session: Session) -> tuple[datetime, datetime]:
    start = timezone.localtime(session.starts_at).replace(hour=0, minute=0, second=0, microsecond=0)
    end = timezone.localtime(session.ends_at).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, end + timedelta(days=1)


def offline_ticket_list(actor, session: Session, now=None) -> dict:
    """What the door phone keeps for `session` (see the module's docstring). Three queries."""
    require_manager(actor, session.training)
    attended = dict(
        Attendance.objects.filter(session=session).values_list(
            "registration__ticket_code", "checked_in_at"
        )
    )
    tickets = {}
    rows = (
        Registration.objects.filter(training_id=session.training_id)
        .select_related("category", "training")
        .only(
            "ticket_code",
            "full_name",
            "status",
            "training_id",
            "training__title",
            "category__name",
        )
    )
    for registration in rows:
        refusal = _checkin_refusal(registration, session)
        at = attended.get(registration.ticket_code)
        tickets[registration.ticket_code] = {
            "name": registration.full_name,
            "category": registration.category.name,
            "refusal": refusal.message if refusal is not None else "",
            "at": at.isoformat() if at else None,
        }
    start, end = _day_bounds(session)
    others = dict(
        Registration.objects.filter(
            status=Status.CONFIRMED,
            training__sessions__starts_at__lt=end,
            training__sessions__ends_at__gte=start,
        )
        .exclude(training_id=session.training_id)
        .values_list("ticket_code", "training__title")
        .distinct()[:5000]
    )
    return {
        "session": session.public_id,
        "generated_at": _now(now).isoformat(),
        "tickets": tickets,
        "others": others,
        "texts": {
            "checked_in": _("%(name)s berhasil check-in pukul %(time)s."),
            "already": _("%(name)s sudah check-in pukul %(time)s."),
            "unknown": _("Kode tiket %(code)s tidak dikenal."),
            "other": _("Tiket ini untuk pelatihan lain: %(title)s."),
        },
    }


@dataclass
class SyncedScan:
    code: str
    outcome: str  # "checked_in" | "already" | "earlier" (moved to this earlier time) | "refused"
    checked_in_at: datetime | None = None
    message: str = ""


def _parse_time(value, lower: datetime, upper: datetime, now: datetime) -> datetime:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            at = datetime.fromtimestamp(value / 1000, tz=UTC)  # epoch milliseconds
        except (OverflowError, OSError, ValueError) as exc:
            raise DomainError(_("Waktu pindai tidak sah."), field="at") from exc
    elif isinstance(value, str) and len(value) <= 40:
        try:
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise DomainError(_("Waktu pindai tidak sah."), field="at") from exc
        if at.tzinfo is None:
            raise DomainError(_("Waktu pindai tanpa zona waktu."), field="at")
    else:
        raise DomainError(_("Waktu pindai tidak sah."), field="at")
    if at < lower or at > upper + CLOCK_SKEW:
        raise DomainError(_("Waktu pindai tidak masuk akal."), field="at")
    return min(at, now)


def sync_check_ins(actor, session: Session, scans: list, *, now=None) -> list[SyncedScan]:
    """Record scans a door phone accepted offline: [{"code": …, "at": ISO 8601 or epoch ms}].
    Idempotent: re-sending a batch changes nothing; a ticket already checked in later is moved
    to the earlier time. Refused tickets are reported, not recorded."""
    require_manager(actor, session.training)
    now = _now(now)
    if not isinstance(scans, list) or len(scans) > MAX_SYNC_SCANS:
        raise DomainError(
            _("Kirim paling banyak %(n)s pindaian sekaligus.") % {"n": MAX_SYNC_SCANS},
            field="scans",
        )
    lower, upper = now - OFFLINE_DAYS, now
    earliest: dict[str, datetime] = {}
    results = []
    for scan in scans:
        if not isinstance(scan, dict):
            raise DomainError(_("Pindaian tidak sah."), field="scans")
        code = ticket_code_of(str(scan.get("code") or ""))
        if not code:
            raise DomainError(_("Pindaian tanpa kode tiket."), field="code")
        try:
            at = _parse_time(scan.get("at"), lower, upper, now)
        except DomainError as exc:
            results.append(SyncedScan(code, "refused", message=exc.message))
            continue
        if code not in earliest or at < earliest[code]:
            earliest[code] = at
    registrations = {
        r.ticket_code: r
        for r in Registration.objects.select_related("training", "category").filter(
            ticket_code__in=list(earliest)
        )
    }
    existing = {
        a.registration_id: a
        for a in Attendance.objects.filter(
            session=session, registration__in=[r.pk for r in registrations.values()]
        )
    }
    for code, at in earliest.items():
        registration = registrations.get(code)
        if registration is None:
            message = _("Kode tiket %(code)s tidak dikenal.") % {"code": code}
            results.append(SyncedScan(code, "refused", message=message))
            continue
        attendance = existing.get(registration.pk)
        if attendance is None:
            refusal = _checkin_refusal(registration, session)
            if refusal is not None:
                results.append(SyncedScan(code, "refused", message=refusal.message))
                continue
            attendance = Attendance(
                registration=registration,
                session=session,
                checked_in_at=at,
                method=Attendance.Method.SCAN,
                checked_in_by=actor,
            )
            try:
                with transaction.atomic():
                    attendance.save()
                results.append(SyncedScan(code, "checked_in", at))
                continue
            except IntegrityError:  # another phone's sync counted it just now
                attendance = Attendance.objects.get(registration=registration, session=session)
        # Count it once, at the earliest time: a conditional UPDATE, so two syncs racing
        # leave the minimum whatever their order.
        moved = Attendance.objects.filter(pk=attendance.pk, checked_in_at__gt=at).update(
            checked_in_at=at
        )
        results.append(
            SyncedScan(code, "earlier" if moved else "already", min(at, attendance.checked_in_at))
        )
    return results
