"""The front desk: check-in of an approved booking, releasing a no-show, and the reminder the
day before. A booking not checked in 30 minutes after its start may be released by the space
manager; the requester's no-shows are counted (the queue shows them)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import Conflict
from ekraf.core.services import audit

from .. import notices
from ..models import Booking
from .requests import promote_queued

S = Booking.Status
RELEASE_AFTER = timedelta(minutes=30)
CHECKIN_FROM = timedelta(hours=1)  # the desk may check a booking in an hour before it starts


def _require_desk(actor) -> None:
    permissions.require(
        permissions.can_manage_spaces(actor), _("Hanya pengelola ruang yang bisa melakukannya.")
    )


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",)).select_related("space").get(pk=booking.pk)
    )


def check_in(actor, booking: Booking, now=None) -> tuple[Booking, bool]:
    """Mark an approved booking as arrived. Returns (booking, True) the first time; a second
    check-in changes nothing and returns False."""
    _require_desk(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(booking)
        if locked.status != S.APPROVED or locked.source == Booking.Source.TRAINING:
            raise Conflict(
                _("Hanya pemesanan yang disetujui yang bisa check-in."),
                code="illegal_transition",
            )
        if locked.checked_in_at is not None:
            return locked, False
        if now < locked.starts_at - CHECKIN_FROM or now >= locked.ends_at:
            raise Conflict(
                _("Check-in dibuka satu jam sebelum mulai sampai waktu selesai."),
                code="illegal_transition",
            )
        locked.checked_in_at = now
        locked.save(update_fields=["checked_in_at", "updated_at"])
        audit(actor, "room.check_in", locked)
    return locked, True


def can_release(booking: Booking, now=None) -> bool:
    now = now or timezone.now()
    return (
        booking.status == S.APPROVED
        and booking.source != Booking.Source.TRAINING
        and booking.checked_in_at is None
        and booking.starts_at + RELEASE_AFTER <= now < booking.ends_at
    )


def release(actor, booking: Booking, now=None) -> Booking:
    """A no-show: the room is free again for the rest of the slot; counted against the requester."""
    _require_desk(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(booking)
        if not can_release(locked, now):
            raise Conflict(
                _(
                    "Hanya pemesanan disetujui yang belum check-in 30 menit sesudah mulai yang "
                    "bisa dilepas."
                ),
                code="illegal_transition",
            )
        locked.status = S.RELEASED
        locked.reason = _("Tidak check-in 30 menit sesudah mulai.")
        locked.decided_at, locked.decided_by = now, actor
        locked.save(update_fields=["status", "reason", "decided_at", "decided_by", "updated_at"])
        audit(actor, "room.release", locked)
        notices.released(locked, "released")
        promote_queued(locked.space_id, now, locked.until, now=now)
    return locked


def send_reminders(now=None) -> int:
    """Periodic: approved bookings that start tomorrow (WIB) are reminded once."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    start = timezone.make_aware(timezone.datetime.combine(tomorrow, timezone.datetime.min.time()))
    end = start + timedelta(days=1)
    count = 0
    with transaction.atomic():
        due = list(
            Booking.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("space", "requester")
            .filter(
                status=S.APPROVED,
                reminded_at__isnull=True,
                starts_at__gte=start,
                starts_at__lt=end,
            )
            .exclude(source=Booking.Source.TRAINING)
        )
        for booking in due:
            notices.reminder(booking, f"reminder:{booking.starts_at:%Y%m%d%H%M}")
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at"])
            count += 1
    return count
