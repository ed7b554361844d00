"""Reminders (periodic): the day before each session."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from .. import notices
from ..models import Session
from .common import Status, TStatus, _dedupe, _now, _tell


def send_reminders(now=None) -> int:
    """Periodic job: the day before each session, remind its confirmed participants.

    Each run looks at the sessions starting within the next 24 hours and tells every confirmed
    participant who has not been told yet (someone who accepted an offer this morning too).
    Idempotent: a reminder's outbox key names the registration and the session, and those
    already in the outbox are skipped with one query per session."""
    from ekraf.core.models import OutboxMessage

    now = _now(now)
    sessions = list(
        Session.objects.filter(
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=24),
            training__status__in=(TStatus.PUBLISHED, TStatus.CLOSED),
        ).select_related("training__agency", "space")
    )
    sent = 0
    for session in sessions:
        registrations = list(
            session.training.registrations.filter(status=Status.CONFIRMED).select_related(
                "training__agency", "category", "user"
            )
        )
        event = f"reminder:{session.public_id}"
        keys = {_dedupe(r, event): r for r in registrations}
        done = set(
            OutboxMessage.objects.filter(dedupe_key__in=list(keys)).values_list(
                "dedupe_key", flat=True
            )
        )
        with transaction.atomic():
            for key, registration in keys.items():
                if key in done:
                    continue
                _tell(registration, notices.reminder(registration, session, now), event)
                sent += 1
            if session.reminder_sent_at is None:
                Session.objects.filter(pk=session.pk).update(reminder_sent_at=now)
    return sent
