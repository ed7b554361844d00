"""The one outbox every notification goes through.

A message is written to the outbox in the same transaction as the change it reports, and a
background task sends it after commit; a crash between the two leaves it pending, and
`send_pending` (run by the worker's periodic sweep or by hand) picks it up. Every message
also carries a wa.me link so an organiser can forward it on WhatsApp, the channel most people
actually read.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxMessage

log = logging.getLogger(__name__)


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
) -> OutboxMessage | None:
    """Queue one message. With `dedupe_key`, the same notice is never queued twice.

    `attach` is (dotted path of a function, its argument); the worker calls it when sending
    and attaches the files it returns, so nothing heavy happens in the user's request.
    """
    attach_with, attach_arg = attach or ("", "")
    email = email or (getattr(user, "email", "") if user is not None else "")
    if user is not None and not getattr(user, "is_active", True):
        return None  # a deleted account is not written to
    if dedupe_key:
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "kind": kind,
                "recipient": user,
                "to_email": email,
                "to_phone": phone,
                "subject": subject[:200],
                "body": body,
                "wa_text": wa_text or body,
                "attach_with": attach_with,
                "attach_arg": str(attach_arg),
            },
        )
        if not created:
            return message
    else:
        message = OutboxMessage.objects.create(
            kind=kind,
            recipient=user,
            to_email=email,
            to_phone=phone,
            subject=subject[:200],
            body=body,
            wa_text=wa_text or body,
            attach_with=attach_with,
            attach_arg=str(attach_arg),
        )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int) -> None:
    from .tasks import send_outbox_message

    try:
        send_outbox_message.enqueue(message_id)
    except Exception:  # noqa: BLE001 - the sweep sends it later; never fail the user's request
        log.exception("could not enqueue outbox message %s", message_id)


def deliver(message_id: int) -> bool:
    """Send one pending message; idempotent (a sent message is never sent again)."""
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
            email = EmailMessage(subject=message.subject, body=message.body, to=[message.to_email])
            if message.attach_with:
                for filename, content, mimetype in import_string(message.attach_with)(
                    message.attach_arg
                ):
                    email.attach(filename, content, mimetype)
            email.send()
        except Exception as exc:  # noqa: BLE001 - recorded, retried by the sweep
            message.error = f"{exc.__class__.__name__}: {exc}"[:500]
            if message.attempts >= 5:
                message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["status", "error", "attempts"])
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.error = ""
        message.save(update_fields=["status", "sent_at", "error", "attempts"])
        return True


def send_pending(limit: int = 500) -> int:
    """Send what is still pending (after a crash or a mail-server outage)."""
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for message_id in ids if deliver(message_id))
