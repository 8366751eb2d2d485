from __future__ import annotations

from django_tasks import task

from trunkshow.common import services


@task()
def record_worker_heartbeat(note: str = "") -> str:
    """Prove, from the worker, that jobs enqueued through the Tasks API run."""
    heartbeat = services.worker_heartbeat_record(note=note)
    return heartbeat.seen_at.isoformat()
