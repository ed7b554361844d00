"""Log lines written while a background task runs carry an id, as request log lines do.

The worker has no request, so the task's own id takes the request id's place on every line
the task logs (`request_id` in JSON logs). The web process logs "task enqueued" with the
task id under the request's id, which links a request to the work it queued. Both the
database worker and RQ's worker send django_tasks' started/finished signals.
"""

import logging

from django_tasks.signals import task_enqueued, task_finished, task_started

from ekraf.core.middleware import bind_request_id

log = logging.getLogger("ekraf.tasks")


def task_log_id(task_id) -> str:
    return f"task-{task_id}"[:64]


def _enqueued(sender, task_result, **kwargs):
    log.info(
        "task enqueued %s",
        task_result.task.module_path,
        extra={"task_id": str(task_result.id), "task": task_result.task.module_path},
    )


def _started(sender, task_result, **kwargs):
    bind_request_id(task_log_id(task_result.id))
    log.info(
        "task started %s",
        task_result.task.module_path,
        extra={"task_id": str(task_result.id), "task": task_result.task.module_path},
    )


def _finished(sender, task_result, **kwargs):
    log.info(
        "task finished %s: %s",
        task_result.task.module_path,
        task_result.status,
        extra={"task_id": str(task_result.id), "task": task_result.task.module_path},
    )
    bind_request_id(None)


def connect() -> None:
    task_enqueued.connect(_enqueued, dispatch_uid="ekraf.ops.tasklog.enqueued")
    task_started.connect(_started, dispatch_uid="ekraf.ops.tasklog.started")
    task_finished.connect(_finished, dispatch_uid="ekraf.ops.tasklog.finished")
