"""The outbox: queued with the change, sent by the worker once, retried after failures."""

import pytest
from django.core import mail
from django.core.management import call_command

from ekraf.core import notifications
from ekraf.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_message_is_sent_by_the_worker_exactly_once(
    creator_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notifications.notify(
            kind="test", subject="Halo", body="Isi pesan", user=creator_user, phone="+6281234567890"
        )
    assert message.status == OutboxMessage.Status.PENDING
    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [[creator_user.email]]
    assert not notifications.deliver(message.pk)  # never twice
    assert len(mail.outbox) == 1
    assert message.wa_url == "https://wa.me/6281234567890?text=Isi%20pesan"


def test_dedupe_key_queues_a_notice_once(creator_user):
    first = notifications.notify(
        kind="t", subject="s", body="b", user=creator_user, dedupe_key="k1"
    )
    second = notifications.notify(
        kind="t", subject="s", body="b", user=creator_user, dedupe_key="k1"
    )
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_failure_is_recorded_and_the_sweep_retries(creator_user, settings, monkeypatch):
    message = notifications.notify(kind="t", subject="s", body="b", user=creator_user)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notifications.EmailMessage, "send", broken)
    assert notifications.send_pending() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert "smtp down" in message.error
    monkeypatch.undo()
    assert notifications.send_pending() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_deleted_accounts_are_not_written_to(creator_user):
    creator_user.is_active = False
    assert notifications.notify(kind="t", subject="s", body="b", user=creator_user) is None


def build_attachments(arg):
    return [(f"lampiran-{arg}.txt", b"isi", "text/plain")]


def test_attachments_are_built_by_the_worker_when_sending(creator_user):
    message = notifications.notify(
        kind="t",
        subject="s",
        body="b",
        user=creator_user,
        attach=("tests.core.test_notifications.build_attachments", "X1"),
    )
    assert not mail.outbox
    assert notifications.deliver(message.pk)
    assert mail.outbox[0].attachments == [("lampiran-X1.txt", "isi", "text/plain")]
