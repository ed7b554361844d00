"""The outbox: queued with the change, sent by the worker once, retried after failures."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ekraf.core import notifications
from ekraf.core.models import OutboxMessage
from tests import factories

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


def _backoff_over():
    """A failed message waits before its next attempt (the outbox backs off); end the wait."""
    OutboxMessage.objects.filter(next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now()
    )


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
    _backoff_over()
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


def _notices(users, key="batch"):
    return [
        {
            "kind": "t",
            "subject": f"Halo {n}",
            "body": "Isi pesan",
            "user": user,
            "dedupe_key": f"{key}:{n}",
        }
        for n, user in enumerate(users)
    ]


def test_a_batch_is_queued_once_and_sent_by_one_task(django_capture_on_commit_callbacks):
    users = [factories.user("penerima") for _ in range(3)]
    gone = factories.user("dihapus")
    gone.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        ids = notifications.notify_many(_notices([*users, gone]))
    assert len(ids) == 3  # a deleted account is not written to
    tasks = DBTaskResult.objects.all()
    assert [(t.task_path, t.args_kwargs["args"]) for t in tasks] == [
        ("ekraf.core.tasks.send_outbox_messages", [ids])
    ]
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_many(_notices(users))  # the same keys: nothing new
    assert OutboxMessage.objects.count() == 3
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    run_worker()  # the repeated batch task finds them sent
    assert len(mail.outbox) == 3
    with pytest.raises(ValueError, match="dedupe_key"):
        notifications.notify_many([{"kind": "t", "subject": "s", "body": "b", "user": users[0]}])


def test_a_failure_in_a_batch_is_recorded_on_its_message_and_the_rest_go(monkeypatch):
    users = [factories.user("penerima") for _ in range(3)]
    ids = notifications.notify_many(_notices(users))
    real = notifications.EmailMessage.send

    def refuses_second(self, *args, **kwargs):
        if self.to == [users[1].email]:
            raise ConnectionResetError("smtp putus")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(notifications.EmailMessage, "send", refuses_second)
    assert notifications.deliver_many(ids) == 2
    failed = OutboxMessage.objects.get(to_email=users[1].email)
    assert (failed.status, failed.attempts) == ("pending", 1) and "smtp putus" in failed.error
    monkeypatch.undo()
    _backoff_over()
    assert notifications.send_pending() == 1  # the sweep retries only that one
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
