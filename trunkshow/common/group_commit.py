"""Group commit: many requests' small writes share one SQLite transaction.

On a campaign day every quiz result writes three rows (the result, its
video message and the render job). One transaction per request meant the
web server's threads queued on SQLite's single write lock, each paying a
commit; bench/quiz.py measured the endpoint at 0.14x the trivial one, and
0.44x-0.49x with the writes left out.

Here one writer thread per process takes every unit of work waiting, runs
each in its own savepoint inside one transaction, commits once, and then
wakes the requests. A request still returns only after its rows have
committed (nothing is acknowledged that a crash could lose) and a unit that
fails rolls back alone and raises in its own request.

Only for SQLite files: PostgreSQL takes concurrent writers as they come,
and a caller already inside a transaction (a test, a service composing
others) writes in it, as it would without this module.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction

from trunkshow.common.db import holds_write_lock, serialized_write, sqlite_file

T = TypeVar("T")
log = logging.getLogger(__name__)

# A batch is what waited while the last one committed; the cap bounds how
# long the first request in it waits for the others to be written.
MAX_BATCH = 64


class _Unit(Generic[T]):
    __slots__ = ("done", "error", "value", "work")

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None


class _Writer:
    def __init__(self) -> None:
        self.pid = os.getpid()
        self.pending: queue.SimpleQueue[_Unit[Any]] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            batch = [self.pending.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self.pending.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)

    @staticmethod
    def _write(batch: list[_Unit[Any]]) -> None:
        committed = threading.Event()
        try:
            # What a request does at its start and end: a connection past its
            # age or broken is replaced, never used.
            close_old_connections()
            with serialized_write(), transaction.atomic():
                # Django runs on_commit hooks in order after the commit: when
                # this one has run, every unit's rows are stored, whatever a
                # later hook raises.
                transaction.on_commit(committed.set)
                for unit in batch:
                    try:
                        with transaction.atomic():  # a savepoint: a failure undoes this unit only
                            unit.value = unit.work()
                    except Exception as exc:
                        unit.error = exc
                    if connection.needs_rollback:
                        # SQLite dropped the whole transaction (disk full, I/O
                        # error): the units written before are gone too.
                        raise DatabaseError("the batch's transaction was rolled back")
        except BaseException as exc:
            if committed.is_set():
                log.exception("a hook after group commit of %d units failed", len(batch))
            else:  # nothing in the batch stands
                log.exception("group commit of %d units failed", len(batch))
                for unit in batch:
                    if unit.error is None:
                        unit.error = exc
        finally:
            for unit in batch:
                unit.done.set()


_writer: _Writer | None = None
_writer_lock = threading.Lock()


def _current_writer() -> _Writer:
    global _writer
    writer = _writer
    # A forked web worker inherits the parent's object but not its thread.
    if writer is None or writer.pid != os.getpid():
        with _writer_lock:
            writer = _writer
            if writer is None or writer.pid != os.getpid():
                writer = _writer = _Writer()
    return writer


def _groups_commits() -> bool:
    if not getattr(settings, "GROUP_COMMIT", True) or sqlite_file() is None:
        return False
    # Inside a transaction the caller's rows must see (and commit with) ours;
    # a caller holding the write lock would wait for a writer waiting for it.
    return not connection.in_atomic_block and not holds_write_lock()


def write_together(work: Callable[[], T]) -> T:
    """Run `work` (database writes) in a transaction; return what it returns once committed.

    `work` runs on the writer thread: it must take everything it needs as
    arguments, not from the request's thread (language, timezone, user).
    """
    if not _groups_commits():
        with serialized_write(), transaction.atomic():
            return work()
    unit = _Unit(work)
    _current_writer().pending.put(unit)
    unit.done.wait()
    if unit.error is not None:
        raise unit.error
    return unit.value  # type: ignore[return-value]
