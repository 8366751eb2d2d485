"""Group commit: writes arriving together share a transaction; each fails or succeeds alone."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from trunkshow.common.db import insert_row, serialized_write
from trunkshow.common.group_commit import _current_writer, _Unit, _Writer, write_together
from trunkshow.common.ids import sortable_token, sortable_uuid
from trunkshow.video.models import VideoMessage


def message(key: str, name: str = "Lin") -> VideoMessage:
    return VideoMessage(composition_key=key, name=name, locale="en", card_title="Traveller")


@pytest.mark.django_db(transaction=True)
def test_a_failing_write_fails_alone_and_the_others_in_its_batch_commit():
    # Given a row already taken, and writers arriving together
    insert_row(message("taken".ljust(64, "x")))
    outcomes: dict[str, object] = {}
    start = threading.Barrier(6)

    def writer(key: str) -> None:
        start.wait()
        try:
            outcomes[key] = write_together(lambda: insert_row(message(key.ljust(64, "x"))))
        except IntegrityError as exc:
            outcomes[key] = exc

    keys = ["taken", "one", "two", "three", "four", "five"]
    threads = [threading.Thread(target=writer, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then the duplicate raised in its own caller, and every other row committed
    assert isinstance(outcomes["taken"], IntegrityError)
    assert all(outcomes[key] is True for key in keys[1:])
    assert VideoMessage.objects.count() == 6


@pytest.mark.django_db
def test_inside_a_transaction_the_write_joins_it():
    # Given a caller already in a transaction (a service composing others)
    assert connection.in_atomic_block

    # When it writes together
    written = write_together(lambda: insert_row(message("inside".ljust(64, "x"))))

    # Then the row is in its transaction, visible to it at once
    assert written is True
    assert VideoMessage.objects.filter(composition_key="inside".ljust(64, "x")).exists()


@given(st.integers(min_value=1, max_value=20))
def test_sortable_ids_are_unique_and_later_ones_sort_after(count):
    earlier = [sortable_token() for _ in range(count)]
    earlier_uuids = [sortable_uuid() for _ in range(count)]
    time.sleep(0.002)
    later, later_uuid = sortable_token(), sortable_uuid()
    assert len(set(earlier)) == count and all(len(token) == 32 for token in earlier)
    assert max(earlier) < later
    assert max(u.bytes for u in earlier_uuids) < later_uuid.bytes
    assert later_uuid.version == 7


@pytest.mark.django_db(transaction=True)
def test_in_one_batch_a_failed_unit_is_undone_and_raises_while_the_rest_commit():
    # Given one batch of three writes, the middle one failing halfway through its work
    def half_then_fail() -> None:
        insert_row(message("half".ljust(64, "x")))
        raise IntegrityError("second row refused")

    batch = [
        _Unit(lambda: insert_row(message("first".ljust(64, "x")))),
        _Unit(half_then_fail),
        _Unit(lambda: insert_row(message("third".ljust(64, "x")))),
    ]

    # When the writer writes it
    _Writer._write(batch)

    # Then the first and third committed, the failed one left nothing and knows why
    assert all(unit.done.is_set() for unit in batch)
    assert batch[0].value is True and batch[2].value is True
    assert isinstance(batch[1].error, IntegrityError)
    names = set(VideoMessage.objects.values_list("composition_key", flat=True))
    assert names == {"first".ljust(64, "x"), "third".ljust(64, "x")}


@pytest.mark.django_db(transaction=True)
def test_a_caller_holding_the_write_lock_writes_itself_instead_of_waiting_for_the_writer():
    outcome: list[object] = []

    def caller() -> None:
        # Given a caller already holding the write lock, outside any transaction
        with serialized_write():
            outcome.append(write_together(lambda: insert_row(message("held".ljust(64, "x")))))

    # When it writes together
    thread = threading.Thread(target=caller, daemon=True)
    thread.start()
    thread.join(timeout=15)

    # Then it neither deadlocks (the writer would wait for its lock) nor loses the row
    assert not thread.is_alive(), "deadlocked: the caller waited for a writer waiting for it"
    assert outcome == [True]
    assert VideoMessage.objects.filter(composition_key="held".ljust(64, "x")).exists()


@pytest.mark.django_db(transaction=True)
def test_when_sqlite_drops_the_whole_transaction_no_unit_is_told_it_was_saved():
    # Given a batch where the database throws the transaction away halfway
    def lose_the_transaction() -> None:
        insert_row(message("second".ljust(64, "x")))
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")  # what SQLite does itself on a full disk or I/O error
        raise DatabaseError("disk I/O error")

    batch = [
        _Unit(lambda: insert_row(message("first".ljust(64, "x")))),
        _Unit(lose_the_transaction),
        _Unit(lambda: insert_row(message("third".ljust(64, "x")))),
    ]

    # When the writer writes it
    _Writer._write(batch)

    # Then every unit reports an error (none of their rows is stored)
    assert all(unit.error is not None for unit in batch)
    assert not VideoMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_hook_failing_after_the_commit_does_not_fail_the_units_whose_rows_are_stored():
    def write_with_failing_hook(key: str) -> bool:
        def queue_down() -> None:
            raise ConnectionError("queue down")

        transaction.on_commit(queue_down)
        return insert_row(message(key.ljust(64, "x")))

    batch = [
        _Unit(lambda: write_with_failing_hook("a")),
        _Unit(lambda: write_with_failing_hook("b")),
    ]

    _Writer._write(batch)

    assert [unit.error for unit in batch] == [None, None]
    assert [unit.value for unit in batch] == [True, True]
    assert VideoMessage.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL writes each result itself")
@pytest.mark.django_db(transaction=True)
def test_writes_that_wait_together_are_committed_by_the_writer_in_one_batch(monkeypatch):
    batches: list[int] = []
    threads_seen: set[str] = set()
    real_write = _Writer._write

    def recording(batch):
        batches.append(len(batch))
        real_write(batch)

    monkeypatch.setattr(_Writer, "_write", staticmethod(recording))

    def work(key: str):
        def write() -> bool:
            threads_seen.add(threading.current_thread().name)
            return insert_row(message(key.ljust(64, "x")))

        return write

    # Given the writer busy (this thread holds the write lock it needs)
    writers = [threading.Thread(target=write_together, args=(work(f"w{n}"),)) for n in range(4)]
    with serialized_write():
        for thread in writers:
            thread.start()
        # When all four have arrived (the writer holding the batch it took,
        # waiting for the lock, the others queued behind it)
        deadline = time.monotonic() + 10
        while sum(batches) + _current_writer().pending.qsize() < 4:
            assert time.monotonic() < deadline, "the writes never reached the writer"
            time.sleep(0.01)
    for thread in writers:
        thread.join(timeout=15)

    # Then the writer thread wrote them, those that waited together in one transaction
    assert threads_seen == {"group-commit"}
    assert sum(batches) == 4 and len(batches) <= 2 and max(batches) >= 2
    assert VideoMessage.objects.count() == 4
