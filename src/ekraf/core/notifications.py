"""The one outbox every notification goes through.

A message is written to the outbox in the same transaction as the change it reports, and a
background task sends it after commit; a crash between the two leaves it pending, and
`send_pending` (run by the worker's periodic sweep or by hand) picks it up. Every message
also carries a wa.me link so an organiser can forward it on WhatsApp, the channel most people
actually read.

Bulk work (a certificate run notifies hundreds of holders) queues its messages with
`notify_many`: one insert and one send task for the whole batch, which delivers them over one
mail connection. Each message is still sent as `deliver` does (locked, once, a failure recorded
on it and retried by the sweep): a task per e-mail cost a forked RQ work horse per e-mail.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import quote

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxMessage
from .validation import header_safe

log = logging.getLogger(__name__)

# A failed message is tried again by the sweep after a growing pause (1, 2, 4, 8, 16 … minutes,
# at most BACKOFF_MAX), and given up after MAX_ATTEMPTS: it is then "failed", listed for staff
# at Kelola › Pesan gagal (core.views.failed_messages), who can send it again.
MAX_ATTEMPTS = 8
BACKOFF_MAX = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failed attempt."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), BACKOFF_MAX)


def wa_link(text: str, phone: str = "") -> str:
    """https://wa.me/<E.164 without +>?text=… (no number: the sender picks the contact)."""
    number = (phone or "").lstrip("+")
    return f"https://wa.me/{number}?text={quote(text)}"


def notify(
    *,
    kind: str,
    subject: str,
    body: str,
    user=None,
    email: str = "",
    phone: str = "",
    wa_text: str = "",
    dedupe_key: str = "",
    attach: tuple[str, str] | None = None,
    fresh: bool = False,
    batched: bool = False,
) -> OutboxMessage | None:
    """Queue one message. With `dedupe_key`, the same notice is never queued twice.

    `attach` is (dotted path of a function, its argument); the worker calls it when sending
    and attaches the files it returns, so nothing heavy happens in the user's request.

    `fresh`: the key names something created in this very transaction (a new registration),
    so it cannot exist yet — one INSERT, no look-up first. `batched`: no job of its own; a
    sweep a moment later sends every pending message over one mail connection (see
    `_enqueue_sweep`), so a rush of registrations does not become a rush of worker jobs.
    """
    fields = _fields(
        kind=kind,
        subject=subject,
        body=body,
        user=user,
        email=email,
        phone=phone,
        wa_text=wa_text,
        attach=attach,
    )
    if fields is None:
        return None  # a deleted account is not written to
    if dedupe_key and fresh:
        message = OutboxMessage.objects.create(dedupe_key=dedupe_key, **fields)
    elif dedupe_key:
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key, defaults=fields
        )
        if not created:
            return message
    else:
        message = OutboxMessage.objects.create(**fields)
    if batched:
        transaction.on_commit(_enqueue_sweep)
    else:
        transaction.on_commit(lambda: _enqueue(message.pk))
    return message


SWEEP_DELAY = 2.0  # seconds a batched message may wait for the sweep that sends it
_sweep_until = 0.0  # this process's last enqueued sweep runs at (monotonic clock)


def _enqueue_sweep() -> None:
    """One outbox sweep per SWEEP_DELAY per process, run SWEEP_DELAY from now: every message
    committed before it runs is sent by it (its on_commit came before the sweep was due, or it
    enqueued the next one), in one job over one mail connection."""
    global _sweep_until
    import time

    from .tasks import send_pending_outbox

    now = time.monotonic()
    if now < _sweep_until:
        return
    _sweep_until = now + SWEEP_DELAY
    try:
        send_pending_outbox.using(
            run_after=timezone.now() + timedelta(seconds=SWEEP_DELAY)
        ).enqueue()
    except Exception:  # noqa: BLE001 - the periodic sweep sends them later
        _sweep_until = 0.0
        log.exception("could not enqueue the outbox sweep")


def _fields(
    *,
    kind: str,
    subject: str,
    body: str,
    user=None,
    email: str = "",
    phone: str = "",
    wa_text: str = "",
    attach: tuple[str, str] | None = None,
) -> dict | None:
    """The outbox row's fields for one notice; None when its recipient's account is deleted."""
    if user is not None and not getattr(user, "is_active", True):
        return None
    attach_with, attach_arg = attach or ("", "")
    return {
        "kind": kind,
        "recipient": user,
        "to_email": email or (getattr(user, "email", "") if user is not None else ""),
        "to_phone": phone,
        # A line break in a subject (a training title, a name) makes the e-mail unsendable.
        "subject": header_safe(subject, 200),
        "body": body,
        "wa_text": wa_text or body,
        "attach_with": attach_with,
        "attach_arg": str(attach_arg),
    }


def notify_many(notices: list[dict]) -> list[int]:
    """Queue many messages (each dict holds `notify`'s arguments) with one insert; after commit
    one task sends them all. Every notice needs a `dedupe_key`: a key already queued is not
    queued again, as with `notify`. Returns the ids of the batch's pending messages.
    """
    rows = []
    for notice in notices:
        notice = dict(notice)
        key = notice.pop("dedupe_key", "")
        if not key:
            raise ValueError("notify_many needs a dedupe_key on every notice")
        fields = _fields(**notice)
        if fields is not None:
            rows.append(OutboxMessage(dedupe_key=key, **fields))
    if not rows:
        return []
    # ignore_conflicts: a key queued before stays as it was (PostgreSQL then returns no ids,
    # hence the read-back by key).
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        OutboxMessage.objects.filter(
            dedupe_key__in=[row.dedupe_key for row in rows], status=OutboxMessage.Status.PENDING
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: _enqueue_batch(ids))
    return ids


def _enqueue(message_id: int) -> None:
    from .tasks import send_outbox_message

    try:
        send_outbox_message.enqueue(message_id)
    except Exception:  # noqa: BLE001 - the sweep sends it later; never fail the user's request
        log.exception("could not enqueue outbox message %s", message_id)


def _enqueue_batch(message_ids: list[int]) -> None:
    from .tasks import send_outbox_messages

    try:
        send_outbox_messages.enqueue(message_ids)
    except Exception:  # noqa: BLE001 - the sweep sends them later
        log.exception("could not enqueue %s outbox messages", len(message_ids))


def deliver(message_id: int, connection=None) -> bool:
    """Send one pending message; idempotent (a sent message is never sent again).

    `connection`: an open mail connection to reuse (deliver_many), else one per message.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return False
        message.attempts += 1
        if not message.to_email:
            message.status = OutboxMessage.Status.SKIPPED
            message.error = "no e-mail address"
            message.save(update_fields=["status", "error", "attempts"])
            return False
        try:
            email = EmailMessage(
                subject=header_safe(message.subject, 200),  # rows queued before the check too
                body=message.body,
                to=[message.to_email],
                connection=connection,
            )
            if message.attach_with:
                for filename, content, mimetype in import_string(message.attach_with)(
                    message.attach_arg
                ):
                    email.attach(filename, content, mimetype)
            email.send()
        except Exception as exc:  # noqa: BLE001 - recorded, retried by the sweep
            if connection is not None:
                _drop(connection)  # perhaps broken: the next message opens a fresh one
            message.error = f"{exc.__class__.__name__}: {exc}"[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
                message.next_attempt_at = None
                log.error(
                    "outbox message %s given up after %s attempts", message.pk, message.attempts
                )
            else:
                message.next_attempt_at = timezone.now() + backoff(message.attempts)
            message.save(update_fields=["status", "error", "attempts", "next_attempt_at"])
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.error = ""
        message.save(update_fields=["status", "sent_at", "error", "attempts"])
        return True


def send_pending(limit: int = 500) -> int:
    """Send what is still pending (after a crash or a mail-server outage) and due: a message
    that failed waits out its backoff."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    ids = list(
        OutboxMessage.objects.filter(due, status=OutboxMessage.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return deliver_many(ids)


def deliver_many(message_ids: list[int]) -> int:
    """Send several messages over one mail connection, each exactly as `deliver` does (so one
    failing message is recorded on it and retried by the sweep; the others go). Returns how many
    were sent."""
    if not message_ids:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - each message tries again and records why it failed
        log.warning("mail connection failed; messages stay pending", exc_info=True)
    try:
        return sum(1 for message_id in message_ids if deliver(message_id, connection))
    finally:
        _drop(connection)


def _drop(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - nothing more is sent on it
        log.debug("closing the mail connection failed", exc_info=True)


def failed_messages(limit: int = 200):
    """Messages given up on, newest first (what staff see at Kelola › Pesan gagal)."""
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).order_by("-created_at")[
        :limit
    ]


def retry_failed(message_id: int) -> bool:
    """Staff asked to send a failed message again: pending, attempts from zero."""
    updated = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.FAILED
    ).update(status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=None)
    if updated:
        transaction.on_commit(lambda: _enqueue(message_id))
    return bool(updated)
