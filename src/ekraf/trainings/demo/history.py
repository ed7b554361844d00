"""What people were told: the messages a real run would have sent (registered, waitlisted,
reminded, completed), written to the outbox as already delivered so nothing is mailed when the
demo loads."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from ekraf.core.models import OutboxMessage

from .. import notices, services
from ..models import Registration

S = Registration.Status


def _at(day: int, hour: int, now: datetime) -> datetime:
    local = timezone.localtime(now).replace(hour=hour, minute=0, second=0, microsecond=0)
    return local + timedelta(days=day)


class _History:
    """Messages people were sent, written to the outbox as already delivered."""

    def __init__(self, now):
        self.now = now
        self.rows: list[OutboxMessage] = []

    def add(self, registration, notice, event, when=None):
        self.rows.append(
            OutboxMessage(
                kind=notice.kind,
                recipient=registration.user,
                to_email=registration.email,
                to_phone=registration.phone,
                subject=notice.subject[:200],
                body=notice.body,
                wa_text=notice.wa_text,
                dedupe_key=services._dedupe(registration, event),
                status=OutboxMessage.Status.SENT,
                sent_at=when or self.now,
            )
        )

    def save(self):
        OutboxMessage.objects.bulk_create(self.rows, batch_size=500)


def _told(history, r, sessions, deadline, first_start):
    """The messages this person would have received, as sent."""
    before = first_start - timedelta(days=10)
    if r.status == S.APPLIED or r.motivation:
        history.add(r, notices.applied(r), "applied", before)
        if r.status == S.CONFIRMED:
            history.add(r, notices.confirmed(r, sessions, deadline), "selected")
        elif r.status == S.REJECTED:
            history.add(r, notices.selection_rejected(r), "rejected")
        return
    if r.offered_at is not None:
        history.add(r, notices.waitlisted(r, 1), "waitlisted", before)
        if r.status == S.OFFERED:
            history.add(r, notices.offer(r), "offer", r.offered_at)
        else:
            history.add(r, notices.confirmed(r, sessions, deadline), "accepted")
        return
    if r.status == S.WAITLISTED:
        history.add(r, notices.waitlisted(r, 1), "waitlisted", before)
        return
    if r.status == S.UNSEATED:
        history.add(r, notices.waitlisted(r, 1), "waitlisted", before)
        history.add(r, notices.registration_closed_waiting(r, 1), "closed", first_start)
        history.add(r, notices.unseated(r), "unseated", r.cancelled_at)
        return
    history.add(r, notices.confirmed(r, sessions, deadline), "confirmed", before)
    if r.status == S.CANCELLED:
        if r.cancel_reason.startswith("Pelatihan dibatalkan"):
            history.add(r, notices.training_cancelled(r, r.training.cancelled_reason), "tcancel")
        else:
            history.add(r, notices.cancelled(r, by_organiser=False), "cancelled")
