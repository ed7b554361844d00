"""Training sessions held in a room hold it through the bookings table, with the same
no-overlap guarantee as every booking: a training and a booking (or two trainings) can never
take the same room at once, buffer included.

The trainings app calls `sync_training_holds(training)` whenever it saves a training's
sessions (and when it cancels the training), inside its own transaction: a clash raises
`Overlap` (a 409 naming the clash) and the training's change is rolled back with it.
Holds follow their session: moved with it, gone with its room, cancelled with the training.
They are not held to the booking rules (opening hours, horizon): only to no overlap.
"""

from __future__ import annotations

from .. import availability
from ..models import Booking
from .holds import room_of, set_until, write_hold

S = Booking.Status


def _apply(hold: Booking, session, training) -> None:
    hold.space_id = session.space_id
    hold.starts_at, hold.ends_at = session.starts_at, session.ends_at
    hold.title = (training.title + (f": {session.title}" if session.title else ""))[:200]
    hold.organisation = training.agency.short_name if training.agency_id else ""
    hold.attendees = max(1, sum(c.seats for c in training.categories.all()) or 1)
    hold.status = S.APPROVED
    set_until(hold, room_of(session.space))


def _unchanged(hold: Booking, session) -> bool:
    return (
        hold.status == S.APPROVED
        and hold.space_id == session.space_id
        and hold.starts_at == session.starts_at
        and hold.ends_at == session.ends_at
    )


def sync_training_holds(training) -> None:
    """Make the room holds of `training` match its sessions (call after saving them)."""
    sessions = list(training.sessions.select_related("space__room"))
    holding = training.status != "cancelled"
    wanted = {s.pk: s for s in sessions if s.space_id and holding}
    holds = {h.session_id: h for h in Booking.objects.filter(session__training=training)}
    gone = [h.pk for sid, h in holds.items() if sid not in wanted]
    moving = [h for sid, h in holds.items() if sid in wanted and not _unchanged(h, wanted[sid])]
    # Free every hold that goes or moves first, so two sessions may swap rooms or times.
    Booking.objects.filter(pk__in=gone).delete()
    Booking.objects.filter(pk__in=[h.pk for h in moving]).update(status=S.CANCELLED)
    availability.changed()  # an update() sends no signal
    for session in sorted(wanted.values(), key=lambda s: s.starts_at):
        hold = holds.get(session.pk)
        if hold is not None and _unchanged(hold, session):
            continue
        if hold is None:
            hold = Booking(session=session, source=Booking.Source.TRAINING)
        _apply(hold, session, training)
        write_hold(hold, hold.save, details=True)


def release_training_holds(training) -> None:
    """A cancelled training frees its rooms."""
    Booking.objects.filter(session__training=training).delete()
