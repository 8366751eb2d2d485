"""Periodic privacy jobs, named in settings.PERIODIC_TASKS (jobs a service enqueues
live beside that service)."""

from __future__ import annotations

from django_tasks import task

from trunkshow.privacy import retention, services


@task()
def sweep_privacy_requests() -> dict[str, int]:
    """Finish what a crashed worker left; delete export files whose link expired."""
    return {
        "resumed": services.privacy_requests_resume(),
        "export_files_purged": services.export_files_purge(),
    }


@task()
def apply_retention() -> dict[str, int]:
    """Remove what shoppers left without buying, past PERSONAL_DATA_RETENTION_DAYS."""
    return retention.retention_apply()
