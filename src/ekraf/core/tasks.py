"""Background jobs of the platform core."""

from django_tasks import task

from . import notifications


@task()
def send_outbox_message(message_id: int) -> bool:
    return notifications.deliver(message_id)


@task()
def send_outbox_messages(message_ids: list[int]) -> int:
    """A batch queued by notify_many: one task (one RQ work horse) for the whole batch."""
    return notifications.deliver_many(message_ids)


@task()
def send_pending_outbox() -> int:
    return notifications.send_pending()
