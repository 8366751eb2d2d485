"""One write path: a service is one transaction.atomic(), its jobs are rows in it."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from trunkshow.common.models import WorkerHeartbeat
from trunkshow.common.tasks import record_worker_heartbeat


class Abandon(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_exists():
    # Given a transaction that writes a row and queues a job, then fails
    with pytest.raises(Abandon), transaction.atomic():
        WorkerHeartbeat.objects.create(seen_at="2026-01-01T00:00Z", note="rolled back")
        record_worker_heartbeat.enqueue("rolled back")
        raise Abandon

    # Then neither the row nor the job exists
    assert not WorkerHeartbeat.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_committed_transaction_is_run_by_the_worker():
    # Given a job queued inside a transaction that commits
    with transaction.atomic():
        record_worker_heartbeat.enqueue("committed")

    # When the worker runs what is queued
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--interval", "0", "--no-startup-delay"
    )

    # Then the job ran
    assert WorkerHeartbeat.objects.get().note == "committed"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_writers_on_many_threads_queue_for_the_database_instead_of_failing():
    # Given eight threads that each write in their own transactions at once
    # (on SQLite every transaction takes the write lock at BEGIN IMMEDIATE and
    # waits for it; on PostgreSQL they simply run together)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(number: int) -> None:
        try:
            start.wait()
            for step in range(10):
                with transaction.atomic():
                    # A read, then a write: the pattern that fails with
                    # "database is locked" under deferred transactions.
                    WorkerHeartbeat.objects.filter(note=f"{number}-{step - 1}").exists()
                    WorkerHeartbeat.objects.create(
                        seen_at="2026-01-01T00:00Z", note=f"{number}-{step}"
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then every write is stored and none failed
    assert not errors, errors
    assert WorkerHeartbeat.objects.count() == 80


@pytest.mark.django_db(transaction=True)
def test_a_writer_that_fails_or_rolls_back_hands_the_database_on_at_once():
    # Given transactions that roll back, fail at the database, or commit, in turns
    for step in range(3):
        with pytest.raises(Abandon), transaction.atomic():
            WorkerHeartbeat.objects.create(seen_at="2026-01-01T00:00Z", note=f"undone {step}")
            raise Abandon

    # When another thread writes straight after them
    stored: list[str] = []

    def writer() -> None:
        try:
            with transaction.atomic():
                WorkerHeartbeat.objects.create(seen_at="2026-01-01T00:00Z", note="next")
            stored.append("next")
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join(timeout=10)

    # Then it was not kept waiting by a turn nobody gave back
    assert stored == ["next"]
    assert list(WorkerHeartbeat.objects.values_list("note", flat=True)) == ["next"]
