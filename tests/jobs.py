"""Run what the background worker would run, in the test's own thread and database."""

from __future__ import annotations

from django.core.management import call_command


def run_queued_jobs(queue: str = "*") -> None:
    """Run every job queued on `queue` until none is left ("orders": what paying sets going)."""
    call_command(
        "db_worker", "--batch", "--queue-name", queue, "--interval", "0", "--no-startup-delay"
    )
