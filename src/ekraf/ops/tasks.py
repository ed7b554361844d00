"""A trivial task that proves a worker is taking work off the queue (tests, `healthz`-style
checks by an operator: `python -m ekraf shell -c "from ekraf.ops.tasks import ping; …"`)."""

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def ping(text: str = "") -> str:
    log.info("ping %s", text)
    return f"pong:{text}"
