"""Send the jobs a retry can redo to the high-volume queue (RQ on Redis, when configured).

Video renders, design previews and e-mails come in floods on campaign day and
carry nothing a second run cannot redo, so with REDIS_URL set they go to RQ
(settings.BULK_TASKS_BACKEND, django-tasks-rq) instead of rows in the
database queue. Jobs that must commit with an order never come here: they
are enqueued on the database queue inside the order's transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def enqueue_bulk(
    task: Task[..., Any], *args: Any, queue_name: str | None = None, priority: int | None = None
) -> None:
    """Enqueue `task` on the bulk backend; on RQ, only once the caller's transaction commits.

    `priority` is the Tasks API's: on the database queue a higher one runs
    first (then the oldest first); on RQ the highest (TASK_MAX_PRIORITY)
    puts the job at the front of its queue, so the newest such job runs first.

    On the embedded database queue the job row commits with the caller's
    transaction, exactly as `task.enqueue` does. RQ cannot join a
    transaction, so the job is sent after the commit (a worker must never
    look for a row not yet visible, nor run for one rolled back). Should
    Redis refuse it then, the job goes on the database queue instead, which
    the database worker also serves: the rows are committed, the job is not lost.
    """
    alias = settings.BULK_TASKS_BACKEND
    if priority is not None:
        task = task.using(priority=priority)
    if alias == task.backend:
        task.enqueue(*args)
        return
    bulk = task.using(backend=alias, queue_name=queue_name or task.queue_name)

    def send() -> None:
        try:
            bulk.enqueue(*args)
        except Exception:  # Redis down or restarting: any error of its client
            logger.warning("Redis refused %s; queued on the database instead", task.name)
            task.enqueue(*args)

    transaction.on_commit(send)
