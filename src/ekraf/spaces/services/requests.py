"""Asking for a room (a single date or a weekly series), the space manager's direct bookings,
moving a booking, cancelling one, and handing a freed slot on to the queue.

A request that finds its slot free holds it (pending) for the room's hold time; one that finds
it held by another *pending* request is accepted but QUEUED behind it (it holds nothing, and
moves up when the slot is freed); one that finds it taken by an approved booking or a training
is refused with 409 naming the clash. An edit of time or room goes back to pending (unless the
space manager makes it, who is the approver): an edit never skips approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import Conflict, DomainError
from ekraf.core.overlap import Overlap
from ekraf.core.services import audit
from ekraf.core.uploads import accept_pdf

from .. import notices
from ..models import Booking, BookingSeries, UseClass
from .holds import room_of, set_until, write_hold
from .rules import Quote, check_rules, quote

MAX_WEEKS = 26
S = Booking.Status


@dataclass
class BookingInput:
    space: object
    starts_at: datetime
    ends_at: datetime
    title: str
    attendees: int
    use_class: str = UseClass.FREE
    purpose: str = ""
    organisation: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    letter: object = None  # the uploaded request letter (free use)
    weeks: int = 1  # a weekly series: this many occurrences, one row each


def _now(now):
    return now or timezone.now()


def occurrences(data: BookingInput) -> list[tuple[datetime, datetime]]:
    if not 1 <= data.weeks <= MAX_WEEKS:
        raise DomainError(
            _("Seri mingguan 1–%(n)s minggu.") % {"n": MAX_WEEKS}, code="invalid", field="weeks"
        )
    step = timedelta(weeks=1)
    # Weekly in local time: the same wall-clock hour each week (WIB has no daylight saving,
    # but a city elsewhere might).
    start, end = timezone.localtime(data.starts_at), timezone.localtime(data.ends_at)
    return [(start + i * step, end + i * step) for i in range(data.weeks)]


def _check_input(data: BookingInput, *, staff: bool, now) -> tuple[list, Quote]:
    """Every rule for every occurrence, and the quote of the whole request."""
    if not (data.title or "").strip():
        raise DomainError(_("Tulis nama kegiatan."), field="title")
    if data.use_class not in UseClass.values:
        raise DomainError(_("Pilih kelas pemakaian."), field="use_class")
    room = room_of(data.space)
    hours = list(room.hours.all())
    dates = occurrences(data)
    for start, end in dates:
        check_rules(room, start, end, attendees=data.attendees, now=now, staff=staff, hours=hours)
    total = Quote(0, free=data.use_class == UseClass.FREE)
    for start, end in dates:
        part = quote(data.space, data.use_class, start, end)
        total.total += part.total
        total.lines += part.lines
    return dates, total


def quote_request(data: BookingInput, now=None) -> Quote:
    """The price the requester is shown before sending (the rules checked first, so a quote is
    never shown for a booking that would be refused)."""
    return _check_input(data, staff=False, now=_now(now))[1]


def _contact(actor, data: BookingInput) -> dict:
    from ekraf.creators.services import normalise_phone

    try:
        phone = normalise_phone(data.contact_phone)
    except DomainError as exc:
        raise DomainError(exc.message, field="contact_phone") from exc
    return {
        "contact_name": (data.contact_name or getattr(actor, "display_name", "")).strip()[:150],
        "contact_phone": phone,
        "contact_email": (data.contact_email or getattr(actor, "email", "")).strip(),
        "organisation": (data.organisation or "").strip()[:200],
    }


def submit_request(actor, data: BookingInput, *, direct: bool = False, now=None) -> Booking:
    """A request (or, `direct`, the space manager's own booking, approved at once). Returns the
    first occurrence; a series' other occurrences share its `series`."""
    now = _now(now)
    if direct:
        permissions.require(
            permissions.can_manage_spaces(actor),
            _("Hanya pengelola ruang yang bisa memesan langsung."),
        )
    else:
        permissions.require(
            permissions.can_request_booking(actor),
            _("Masuk dengan akun yang emailnya sudah terverifikasi untuk memesan ruang."),
        )
    dates, total = _check_input(data, staff=direct, now=now)
    contact = _contact(actor, data)
    letter = None
    if data.use_class == UseClass.FREE and not direct:
        if not data.letter:
            raise DomainError(
                _("Pemakaian gratis memerlukan surat permohonan (PDF)."),
                code="letter_required",
                field="request_letter",
            )
        letter = accept_pdf(data.letter, "request_letter", field="request_letter")
    room = room_of(data.space)
    approve_now = direct or not room.needs_approval
    with transaction.atomic():
        series = BookingSeries.objects.create(weeks=len(dates)) if len(dates) > 1 else None
        letter_name = ""
        bookings = []
        for start, end in dates:
            booking = Booking(
                space=data.space,
                series=series,
                source=Booking.Source.DIRECT if direct else Booking.Source.REQUEST,
                starts_at=start,
                ends_at=end,
                requester=actor,
                title=data.title.strip()[:200],
                purpose=(data.purpose or "").strip(),
                attendees=data.attendees,
                use_class=data.use_class,
                **contact,
            )
            booking.quoted_price = quote(data.space, data.use_class, start, end).total
            set_until(booking, room)
            if letter is not None:
                if not letter_name:
                    booking.request_letter.save(letter.name, letter.content, save=False)
                    letter_name = booking.request_letter.name
                else:
                    booking.request_letter.name = letter_name
            _place(booking, room, approve_now=approve_now, series=series, now=now, actor=actor)
            bookings.append(booking)
        first = bookings[0]
        audit(
            actor,
            "room.book_direct" if direct else "room.request",
            first,
            detail={
                "space": data.space.code,
                "weeks": len(dates),
                "statuses": [b.status for b in bookings],
                "quoted": total.total,
            },
        )
        notices.received(first, "received")
    return first


def _place(booking: Booking, room, *, approve_now: bool, series, now, actor) -> None:
    """Save a new booking holding its slot if it can: approved at once, pending, or (when the
    slot is held by another pending request, or a series date is taken) queued."""
    if approve_now:
        booking.status = S.APPROVED
        booking.decided_at, booking.decided_by = now, actor
        booking.price, booking.price_frozen_at = booking.quoted_price, now
        write_hold(booking, booking.save, details=permissions.sees_booking_details(actor))
        return
    booking.status = S.PENDING
    booking.expires_at = min(now + timedelta(hours=room.hold_hours), booking.starts_at)
    try:
        write_hold(booking, booking.save, details=False)
    except Overlap as refused:
        clash = refused.clash
        if series is None and (clash is None or clash.status != S.PENDING):
            raise  # the slot is taken for good: refused, 409 with the clash
        booking.pk = None
        booking._state.adding = True
        booking.status = S.QUEUED
        if series is None:
            # It waits for the request ahead of it: when that one is decided, lapses or is
            # cancelled, this one is refused or moves up (with a fresh hold time).
            booking.expires_at = None
        booking.save()


def _require_changeable(actor, booking: Booking) -> None:
    permissions.require(
        permissions.can_change_booking(actor, booking),
        _("Anda tidak bisa mengubah pemesanan ini."),
    )


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",)).select_related("space").get(pk=booking.pk)
    )


def move_booking(actor, booking: Booking, *, space, starts_at, ends_at, now=None) -> Booking:
    """A new time or room. Back to pending (approval again, price unfrozen), unless the space
    manager moves it: they are the approver, so an approved booking stays approved."""
    now = _now(now)
    _require_changeable(actor, booking)
    manager = permissions.can_manage_spaces(actor)
    room = room_of(space)
    check_rules(room, starts_at, ends_at, attendees=booking.attendees, now=now, staff=manager)
    with transaction.atomic():
        locked = _lock(booking)
        if locked.status not in (*Booking.OPEN, S.APPROVED) or locked.starts_at <= now:
            raise Conflict(
                _("Pemesanan ini sudah %(status)s; tidak bisa diubah.")
                % {"status": locked.get_status_display().lower()},
                code="illegal_transition",
            )
        old = (locked.space_id, locked.starts_at, locked.until)
        before = {"space": locked.space.code, "starts_at": locked.starts_at.isoformat()}
        locked.space, locked.starts_at, locked.ends_at = space, starts_at, ends_at
        set_until(locked, room)
        locked.quoted_price = quote(space, locked.use_class, starts_at, ends_at).total
        if not (manager and locked.status == S.APPROVED):
            locked.status = S.PENDING
            locked.expires_at = min(now + timedelta(hours=room.hold_hours), starts_at)
            locked.price = locked.price_frozen_at = None
            locked.decided_at = locked.decided_by = None
        write_hold(locked, locked.save, details=manager)
        audit(
            actor,
            "room.move",
            locked,
            detail={
                "from": before,
                "to": {"space": space.code, "starts_at": starts_at.isoformat()},
            },
        )
        promote_queued(*old, now=now)
    return locked


def cancel_booking(actor, booking: Booking, *, reason: str = "", now=None) -> Booking:
    now = _now(now)
    _require_changeable(actor, booking)
    with transaction.atomic():
        locked = _lock(booking)
        if locked.status not in (*Booking.OPEN, S.APPROVED) or locked.ends_at <= now:
            raise Conflict(
                _("Pemesanan ini sudah %(status)s; tidak bisa dibatalkan.")
                % {"status": locked.get_status_display().lower()},
                code="illegal_transition",
            )
        locked.status = S.CANCELLED
        locked.reason = (reason or "").strip()[:300]
        locked.decided_at, locked.decided_by = now, actor
        locked.save(update_fields=["status", "reason", "decided_at", "decided_by", "updated_at"])
        audit(actor, "room.cancel", locked, detail={"reason": locked.reason})
        if actor is not None and actor.pk != locked.requester_id:
            notices.cancelled(locked, "cancelled")
        promote_queued(locked.space_id, locked.starts_at, locked.until, now=now)
    return locked


def promote_queued(space_id: int, start, until, *, now=None) -> list[Booking]:
    """Queued requests of the room around a freed slot, in the order they came, take it when
    nothing holds it any more (pending, with a fresh hold time). Rows another transaction is
    deciding are skipped; they are decided there."""
    now = _now(now)
    waiting = list(
        Booking.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("space")
        .filter(
            space_id=space_id,
            status=S.QUEUED,
            starts_at__lt=until,
            until__gt=start,
            starts_at__gt=now,
        )
        .order_by("created_at", "pk")
    )
    promoted = []
    for booking in waiting:
        room = room_of(booking.space)
        booking.status = S.PENDING
        booking.expires_at = min(now + timedelta(hours=room.hold_hours), booking.starts_at)
        try:
            write_hold(booking, lambda b=booking: b.save(update_fields=_PROMOTED), details=False)
        except Overlap:
            booking.status = S.QUEUED
            continue
        promoted.append(booking)
    return promoted


_PROMOTED = ["status", "expires_at", "updated_at"]
