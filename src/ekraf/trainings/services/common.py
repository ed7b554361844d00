"""Helpers every use case of the trainings services shares: the clock, how a participant
is told (through the outbox, with the ticket attached to a confirmation), the organiser check,
and the two dates several use cases derive from a training (first session, cancellation
deadline).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.notifications import notify

from .. import notices
from ..models import Registration, Training

Status = Registration.Status
TStatus = Training.Status


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _dedupe(registration: Registration, event: str) -> str:
    """Outbox key naming the training and registration, so the organiser's pages can list
    each participant's messages (with their wa.me links) in one query."""
    return f"trn:{registration.training.public_id}:{registration.public_id}:{event}"[:120]


def _tell(
    registration: Registration,
    notice: notices.Notice,
    event: str,
    *,
    fresh: bool = False,
    batched: bool = False,
) -> None:
    # A confirmation carries the ticket itself (QR image and PDF), built by the worker.
    with_ticket = registration.status == Status.CONFIRMED and event in TICKET_EVENTS
    notify(
        kind=notice.kind,
        subject=notice.subject,
        body=notice.body,
        wa_text=notice.wa_text,
        user=registration.user,
        email=registration.email,
        phone=registration.phone,
        dedupe_key=_dedupe(registration, event),
        attach=("ekraf.trainings.tickets.email_attachments", registration.public_id)
        if with_ticket
        else None,
        fresh=fresh,
        batched=batched,
    )


# Events whose message confirms a seat: these e-mails carry the ticket.
TICKET_EVENTS = frozenset({Status.CONFIRMED.value, "promoted", "accepted"})


def require_manager(actor, training: Training) -> None:
    permissions.require(
        permissions.can_manage_training(actor, training),
        _("Pelatihan ini milik perangkat daerah lain; Anda tidak bisa mengelolanya."),
    )


def _first_start(training: Training) -> datetime | None:
    return training.sessions.aggregate(first=Min("starts_at"))["first"]


def cancellation_deadline(training: Training, first_start=None) -> datetime | None:
    """Until when a participant may cancel themselves: the set deadline, else the first session."""
    if training.cancellation_deadline:
        return training.cancellation_deadline
    return first_start if first_start is not None else _first_start(training)
