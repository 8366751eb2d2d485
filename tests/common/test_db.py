"""The hot-path writers: pre-compiled INSERTs and jobs that commit with their rows."""

from __future__ import annotations

import fcntl
import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from trunkshow.common.db import insert_row, serialized_write
from trunkshow.common.jobs import enqueue_in_transaction
from trunkshow.common.models import WorkerHeartbeat
from trunkshow.common.tasks import record_worker_heartbeat
from trunkshow.video.models import VideoMessage

pytestmark = pytest.mark.django_db


def message(key: str, name: str = "Lin") -> VideoMessage:
    return VideoMessage(composition_key=key, name=name, locale="zh-Hans", card_title="旅人",
                        clip_ids=[3, 1, 2])  # fmt: skip


def comparable(row: VideoMessage) -> dict[str, object]:
    values = VideoMessage.objects.filter(pk=row.pk).values().get()
    for volatile in ("id", "token", "composition_key", "created_at"):
        values.pop(volatile)
    return values


def test_insert_row_writes_what_save_writes():
    # Given one message saved by the ORM and one inserted on the hot path
    saved = message("a" * 64)
    saved.save()
    inserted = message("b" * 64)

    # When it is inserted
    assert insert_row(inserted) is True

    # Then it has its key, its defaults and its timestamp, like the saved one
    assert inserted.pk and inserted.pk != saved.pk and inserted.created_at is not None
    assert comparable(inserted) == comparable(saved)
    assert VideoMessage.objects.get(pk=inserted.pk).clip_ids == [3, 1, 2]


def test_a_conflicting_row_is_skipped_when_asked():
    assert insert_row(message("c" * 64)) is True
    duplicate = message("c" * 64, name="Mei")
    assert insert_row(duplicate, ignore_conflicts=True) is False
    assert VideoMessage.objects.get(composition_key="c" * 64).name == "Lin"


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_runs():
    class Abandon(Exception):
        pass

    # Given a transaction that writes a row and queues its job, then fails
    with pytest.raises(Abandon), serialized_write(), transaction.atomic():
        insert_row(message("d" * 64))
        enqueue_in_transaction(record_worker_heartbeat, "rolled back")
        raise Abandon

    # Then neither the row nor the job exists
    assert not VideoMessage.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_committed_transaction_is_run_by_the_worker():
    with serialized_write(), transaction.atomic():
        enqueue_in_transaction(record_worker_heartbeat, "committed")

    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--interval", "0", "--no-startup-delay"
    )

    assert WorkerHeartbeat.objects.get().note == "committed"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def _lock_path() -> str:
    return f"{connection.settings_dict['NAME']}.writer-lock"


def taken_by_someone_else() -> bool:
    # A second open file stands for another process (flock is per open file).
    other = os.open(_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(other, fcntl.LOCK_UN)
        return False
    finally:
        os.close(other)


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL takes concurrent writers without a lock file"
)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_holds_the_databases_lock_file_so_other_processes_queue_behind_it():
    # While a writer writes (nested writes included) the lock is held; after, it is free
    with serialized_write():
        with serialized_write():
            assert taken_by_someone_else()
        assert taken_by_someone_else()
    assert not taken_by_someone_else()


@sqlite_only
def test_inside_a_transaction_the_lock_file_is_not_taken_a_second_time():
    # Given a transaction (it holds SQLite's own write lock from its BEGIN)
    assert connection.in_atomic_block
    # Then a write in it does not reach for the lock file in the other order
    with serialized_write():
        assert not taken_by_someone_else()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_write_inside_a_transaction_never_waits_for_a_writer_waiting_for_it():
    # Given another thread of this process inside serialized_write (as the
    # write-behind drain is every few milliseconds)
    import threading

    holding, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        with serialized_write():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=other_writer)
    thread.start()
    holding.wait(5)
    entered = threading.Event()

    def in_transaction() -> None:
        # When a thread already in a transaction writes
        with transaction.atomic(), serialized_write():
            entered.set()
        connection.close()

    writer = threading.Thread(target=in_transaction)
    writer.start()
    try:
        # Then it goes on at once: it holds SQLite's lock, which the other
        # writer would be waiting for
        assert entered.wait(5)
    finally:
        release.set()
        thread.join()
        writer.join()
