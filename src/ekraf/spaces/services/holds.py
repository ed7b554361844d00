"""Every write that makes a booking hold a room, or moves a hold, goes through `write_hold`:
the shared no-overlap mechanism (`ekraf.core.overlap.write_without_overlap`) with this app's
clash query, its wording and its 409 body.

Requests, direct bookings, approvals, edits, promotions from the queue and training sessions all
come here, so there is one rule: two rows of `Booking` in a holding status (pending, approved)
of one room never share a moment of [starts_at, until), where until = end + the room's buffer.
On PostgreSQL the exclusion constraint `booking_no_overlap` refuses a racing write that passed
the check; on SQLite the check runs inside the serialised write transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from ekraf.core.overlap import clashes, write_without_overlap
from ekraf.core.templatetags.ekraf import jam, tanggal

from ..models import Booking, Room

CONSTRAINT = "booking_no_overlap"


def room_of(space) -> Room:
    """The room's rules (every Space has one: see models.py)."""
    try:
        return space.room
    except Room.DoesNotExist:
        room, _created = Room.objects.get_or_create(space=space)
        return room


def set_until(booking: Booking, room: Room) -> None:
    booking.until = booking.ends_at + room.buffer


def holding(space_id: int):
    return Booking.objects.filter(space_id=space_id, status__in=Booking.HOLDING)


def find_clash(space_id: int, start, until, exclude: Iterable[int] = ()) -> Booking | None:
    """The earliest holding booking of the room that [start, until) would overlap."""
    return (
        clashes(holding(space_id).exclude(pk__in=list(exclude)), start=start, until=until)
        .select_related("space", "session__training")
        .order_by("starts_at", "pk")
        .first()
    )


def clash_message(details: bool) -> Callable[[Booking], str]:
    """Words for a refused slot. With `details` (the space manager, an organiser placing a
    session) a training's title is named; a requester only learns that the room is taken."""

    def message(clash: Booking) -> str:
        if clash is None:
            return _("Waktu ini bertabrakan dengan jadwal lain.")
        values = {
            "room": clash.space.name,
            "date": tanggal(clash.starts_at),
            "start": jam(clash.starts_at),
            "end": jam(clash.ends_at),
        }
        if clash.source == Booking.Source.TRAINING and details and clash.session_id:
            values["title"] = clash.session.training.title
            return _("%(room)s sudah dipakai %(title)s pada %(date)s %(start)s–%(end)s.") % values
        if clash.until > clash.ends_at:
            values["buffer"] = int((clash.until - clash.ends_at).total_seconds() // 60)
            return (
                _(
                    "%(room)s sudah dipesan pada %(date)s %(start)s–%(end)s, ditambah jeda "
                    "%(buffer)s menit sesudahnya."
                )
                % values
            )
        return _("%(room)s sudah dipesan pada %(date)s %(start)s–%(end)s.") % values

    return message


def describe_clash(details: bool) -> Callable[[Booking], dict]:
    """The 409 body's `clash`: when and which booking; who and what only for the manager."""

    def describe(clash: Booking) -> dict:
        data = {
            "id": clash.public_id,
            "space": clash.space.code,
            "starts_at": clash.starts_at.isoformat(),
            "ends_at": clash.ends_at.isoformat(),
            "until": clash.until.isoformat(),
            "status": clash.status,
            "source": clash.source,
        }
        if details:
            data["title"] = clash.title
            data["organisation"] = clash.organisation
        return data

    return describe


def write_hold(
    booking: Booking,
    write: Callable[[], object],
    *,
    details: bool,
    exclude: Iterable[int] = (),
):
    """Run `write` (which saves `booking` holding [starts_at, until)) unless another holding
    booking of the room is in the way: then `Overlap` (409) naming it."""
    skip = [pk for pk in (booking.pk, *exclude) if pk is not None]
    return write_without_overlap(
        write,
        lambda: find_clash(booking.space_id, booking.starts_at, booking.until, skip),
        constraint=CONSTRAINT,
        message=clash_message(details),
        describe=describe_clash(details),
    )
