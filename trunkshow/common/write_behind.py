"""Write-behind journal: a request appends its rows to a log and answers; a thread stores them.

On a campaign day every quiz result writes three rows (the result, its
video message and the render job). Written in the request, they cost the
endpoint four times what the rest of it costs (bench/quiz.py), most of it
threads of two processes queueing for SQLite's one write lock. Here the
request appends one line to its process's journal file and answers; a
thread per process stores the lines waiting, many per transaction, every
DRAIN_INTERVAL seconds.

Nothing acknowledged is lost: the line is in the operating system's hands
before the request answers, which is the promise SQLite itself makes with
`synchronous=NORMAL` (a crashed process loses nothing; a power cut may lose
the last moments). Lines are stored exactly once: the journal's offset is
kept in the database and moves in the same transaction as the rows. A line
that cannot be stored (its quiz version deleted since) is set aside in
`rejected.jsonl` beside the journals and logged, never dropped.

Readers that look a row up by an id the shopper was just given (a result
link, a video token) call `drain_pending()` on a miss: every journal is
stored at once, whichever process wrote it. A process that died leaves its
journal behind; the next process to run (`manage.py serve` at start, any
drain thread within ORPHAN_SCAN seconds) stores it and deletes it.

Only for SQLite files: that is one machine, so every process sees every
journal. On PostgreSQL (several machines) and inside a transaction (tests,
services composing others) the caller writes directly.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)

from trunkshow.common.db import holds_write_lock, serialized_write, sqlite_file
from trunkshow.common.ids import token_time

try:
    import fcntl
except ImportError:  # Windows: no journal, callers write directly
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# Seconds between a line's arrival and the transaction that stores it with
# the others that arrived meanwhile (readers by id never wait for it).
DRAIN_INTERVAL = 0.05
# How often each process looks for journals whose writer has gone.
ORPHAN_SCAN = 1.0
# A journal is closed and a new one started past this size; the old one is
# deleted once stored.
ROTATE_BYTES = 8 << 20
# A reader's miss stores the journals only for ids made this recently: the
# drain threads store every line within moments unless the database is down.
JOURNALED_AT_MOST = 15 * 60
# Bytes read per transaction: bounds how long one holds the write lock.
CHUNK_BYTES = 1 << 20
SUFFIX = ".jsonl"
OPENING = ".opening"
REJECTED = "rejected.jsonl"

Store = Callable[[list[dict[str, Any]]], None]
_stores: dict[str, Store] = {}


def register(kind: str, store: Store) -> None:
    """`store(records)` writes records of `kind` inside the drain's transaction.

    It must not commit on its own: the rows and the journal's offset commit
    together, which is what stores each record exactly once.
    """
    _stores[kind] = store


def journal_dir() -> Path | None:
    database = sqlite_file()
    if database is None or fcntl is None:
        return None
    return _journal_dir(database, getattr(settings, "WRITE_BEHIND_DIR", None))


@lru_cache(maxsize=8)
def _journal_dir(database: str, configured: str | None) -> Path:
    return Path(configured) if configured else Path(f"{database}.journal")


def enabled() -> bool:
    """True where a caller should append() rather than write in its request."""
    if not getattr(settings, "WRITE_BEHIND", True):
        return False
    # Inside a transaction the caller's rows must see (and commit with) ours;
    # a caller holding the write lock writes with it.
    wrapper = connections[DEFAULT_DB_ALIAS]
    if wrapper.vendor != "sqlite" or wrapper.in_atomic_block or holds_write_lock():
        return False
    return journal_dir() is not None


class _Closed(Exception):
    """A journal stop() closed: the line goes to the process's next journal."""


class _Journal:
    """This process's journal file: appended by request threads, stored by one thread."""

    def __init__(self, directory: Path) -> None:
        self.pid = os.getpid()
        self.directory = directory
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.stopping = False
        self.closed = False
        directory.mkdir(parents=True, exist_ok=True)
        self._open()
        self.thread = threading.Thread(target=self._run, name="write-behind", daemon=True)
        self.thread.start()

    def _open(self) -> None:
        path = self.directory / f"{self.pid}-{secrets.token_hex(6)}{SUFFIX}"
        # Made under a name the scan for orphans does not list, locked, and
        # only then given its name: a scan can never take (and delete) a
        # journal its writer has not locked yet.
        opening = path.with_name(path.name + OPENING)
        self.fd = os.open(opening, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o600)
        # Held while this process lives: a journal nobody holds is an orphan.
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        os.rename(opening, path)
        self.path = path
        self.size = 0

    def append(self, line: bytes) -> None:
        """Raises _Closed once stop() has closed this journal."""
        with self.lock:
            if self.closed:
                raise _Closed
            written = os.write(self.fd, line)
            self.size += written
            if written != len(line):
                # Disk full halfway: end the fragment so the next line stays whole.
                os.write(self.fd, b"\n")
                raise OSError(f"journal {self.path.name}: wrote {written} of {len(line)} bytes")
            if self.size >= ROTATE_BYTES:
                previous = self.fd
                self._open()
                os.close(previous)  # drops its lock: the scan stores and deletes it
        self.wake.set()

    def stop(self) -> None:
        """Stop the thread, store what is left, and close the journal (deleted once stored)."""
        self.stopping = True
        self.wake.set()
        self.thread.join(timeout=30)
        with self.lock:
            self.closed = True
            os.close(self.fd)
        close_old_connections()
        _drain(self.path)

    def _run(self) -> None:
        last_scan = 0.0
        while not self.stopping:
            self.wake.wait(ORPHAN_SCAN)
            self.wake.clear()
            if self.stopping:
                return
            time.sleep(DRAIN_INTERVAL)  # let the lines arriving meanwhile join this transaction
            try:
                close_old_connections()
                _drain(self.path)
                if time.monotonic() - last_scan >= ORPHAN_SCAN:
                    last_scan = time.monotonic()
                    _store_orphans(self.directory)
            except Exception:
                log.exception("write-behind: storing the journal failed; retrying")
                time.sleep(ORPHAN_SCAN)


_journal: _Journal | None = None
_journal_lock = threading.Lock()


def _forget_in_child() -> None:
    """A forked child starts its own journal and must not hold its parent's open:
    while any process holds the file, a dead parent's journal would never be
    taken for an orphan."""
    global _journal, _journal_lock
    journal, _journal = _journal, None
    _journal_lock = threading.Lock()  # another thread may have held it at the fork
    if journal is not None:
        with contextlib.suppress(OSError):
            os.close(journal.fd)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def _current_journal(directory: Path) -> _Journal:
    global _journal
    journal = _journal
    if journal is None or journal.pid != os.getpid() or journal.directory != directory:
        with _journal_lock:
            journal = _journal
            if journal is None or journal.pid != os.getpid() or journal.directory != directory:
                journal = _journal = _Journal(directory)
    return journal


def shutdown() -> None:
    """Store what this process journaled and stop its thread (at exit; tests between cases)."""
    global _journal
    with _journal_lock:
        journal, _journal = _journal, None
    if journal is not None and journal.pid == os.getpid():
        journal.stop()
        _store_orphans(journal.directory)


def _at_exit() -> None:
    try:
        shutdown()
    except Exception:  # the next process to start stores what is left
        log.exception("write-behind: storing the journal at exit failed")


atexit.register(_at_exit)


def append(kind: str, record: dict[str, Any]) -> None:
    """Journal one record for the drain thread; when this returns, it will be stored.

    Raises OSError if the line could not be written (the caller answers
    with an error: nothing was promised).
    """
    if kind not in _stores:
        raise LookupError(f"no store registered for {kind!r}")
    directory = journal_dir()
    if directory is None:
        raise RuntimeError("append() needs a SQLite file database (check enabled() first)")
    line = orjson.dumps([kind, record]) + b"\n"
    while True:
        try:
            _current_journal(directory).append(line)
            return
        except _Closed:  # shut down meanwhile: a new journal takes the line
            continue


def drain_pending(fresh_id: str = "") -> bool:
    """Store every journal's waiting lines now; True if the caller should look again.

    A reader that missed a row by an id it was given calls this: the row
    may be stored now, or by a drain thread since the first look. Ids that
    start with the time (common.ids.sortable_token) say whether they can
    still be journaled: an old or made-up one costs nothing. A database too
    busy to store now is logged, not raised: the reader answers 404 and the
    shopper's next look finds the row.
    """
    directory = journal_dir()
    if directory is None or not directory.is_dir():
        return False
    if fresh_id:
        made = token_time(fresh_id)
        if made is None or not -60 < time.time() - made < JOURNALED_AT_MOST:
            return False
    try:
        stored = _stored_offsets()  # read without the write lock: most looks end here
        for path in _journals(directory):
            try:
                size = path.stat().st_size
            except FileNotFoundError:
                continue
            if size > stored.get(path.name, 0):
                _drain(path)
    except DatabaseError:
        log.warning("write-behind: storing journals for a reader failed", exc_info=True)
    return True


def _journals(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix == SUFFIX and p.name != REJECTED)


def _drain(path: Path) -> int:
    """Store the complete lines of one journal past its stored offset; return how many."""
    stored = 0
    one_by_one = 0  # lines left of a chunk that failed
    while True:
        if one_by_one:
            one_by_one -= 1
            try:
                count, more = _store_chunk(path, single=True)
            except OperationalError:
                raise  # the database, not the line (locked, disk full): retried later
            except Exception as exc:
                count, more = _reject_line(path, exc)
        else:
            try:
                count, more = _store_chunk(path, single=False)
            except Exception:
                # One bad line fails its whole chunk (a foreign key only at
                # the commit): take that chunk's lines one per transaction.
                one_by_one = _lines_waiting(path)
                log.warning("write-behind: a chunk of %s failed; storing its %d lines one by one",
                            path.name, one_by_one)  # fmt: skip
                count, more = 0, one_by_one > 0
        stored += count
        if not more:
            return stored


def _lines_waiting(path: Path) -> int:
    """Complete lines in the next chunk of the journal."""
    try:
        with path.open("rb") as handle:
            handle.seek(_stored_offset(path.name))
            return handle.read(CHUNK_BYTES).count(b"\n")
    except FileNotFoundError:
        return 0


def _store_chunk(path: Path, *, single: bool) -> tuple[int, bool]:
    """Store the next chunk of complete lines (or one line) in one transaction.

    Returns the lines stored and whether more may follow.
    """
    with serialized_write(), transaction.atomic():
        # Opened under the write lock: a journal deleted meanwhile is gone,
        # never read again from offset 0.
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return 0, False
        with handle:
            offset = _stored_offset(path.name)
            handle.seek(offset)
            chunk = handle.read(CHUNK_BYTES)
        end = (chunk.find(b"\n") if single else chunk.rfind(b"\n")) + 1
        if end > 0:
            _store_lines(chunk[:end].splitlines())
            offset += end
            _set_stored_offset(path.name, offset)
    lines = chunk[:end].count(b"\n")
    return lines, lines > 0 and (single or len(chunk) == CHUNK_BYTES)


def _reject_line(path: Path, error: Exception) -> tuple[int, bool]:
    """Set the next line aside in rejected.jsonl and move past it."""
    with serialized_write(), transaction.atomic():
        offset = _stored_offset(path.name)
        try:
            with path.open("rb") as handle:
                handle.seek(offset)
                line = handle.readline()
        except FileNotFoundError:
            return 0, False
        if not line.endswith(b"\n"):
            return 0, False
        log.error("write-behind: %s: a record could not be stored (%s); kept in %s",
                  path.name, error, REJECTED)  # fmt: skip
        entry = {"journal": path.name, "error": str(error)[:500],
                 "line": line[:-1].decode(errors="replace")}  # fmt: skip
        with (path.parent / REJECTED).open("a", encoding="utf-8") as rejected:
            rejected.write(json.dumps(entry, ensure_ascii=False) + "\n")
        offset += len(line)
        _set_stored_offset(path.name, offset)
    return 1, True


def _stored_offsets() -> dict[str, int]:
    table, journal, offset = _offset_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {journal}, {offset} FROM {table}")  # noqa: S608
        return {name: int(value) for name, value in cursor.fetchall()}


# The offset row is read and written on every transaction of the drain: two
# prepared statements (SQLite only, like the journal), not ORM queries.
@lru_cache(maxsize=1)
def _offset_table() -> tuple[str, str, str]:
    from trunkshow.common.models import JournalOffset

    quote = connection.ops.quote_name
    return quote(JournalOffset._meta.db_table), quote("journal"), quote("offset")


def _stored_offset(name: str) -> int:
    table, journal, offset = _offset_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {offset} FROM {table} WHERE {journal} = %s", [name])  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _set_stored_offset(name: str, value: int) -> None:
    table, journal, offset = _offset_table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({journal}, {offset}) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT ({journal}) DO UPDATE SET {offset} = excluded.{offset}",
            [name, value],
        )


def _parse(line: bytes) -> tuple[str, dict[str, Any]]:
    kind, record = orjson.loads(line)
    if kind not in _stores or not isinstance(record, dict):
        raise ValueError(f"unknown record kind {kind!r}")
    return kind, record


def _store_lines(lines: Iterable[bytes]) -> None:
    batch: list[dict[str, Any]] = []
    batch_kind = ""
    for line in lines:
        kind, record = _parse(line)
        if kind != batch_kind and batch:
            _stores[batch_kind](batch)
            batch = []
        batch_kind = kind
        batch.append(record)
    if batch:
        _stores[batch_kind](batch)


def _store_orphans(directory: Path) -> None:
    """Store and delete the journals no live process holds."""
    for opening in directory.glob(f"*{SUFFIX}{OPENING}"):
        # A writer died between making and naming it (it is empty). A young
        # one is being opened right now, not yet locked: left alone.
        try:
            if time.time() - opening.stat().st_mtime > 60:
                _delete_if_unheld(opening)
        except FileNotFoundError:
            continue
    from trunkshow.common.models import JournalOffset

    for path in _journals(directory):
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its writer is alive
            _drain(path)
            with serialized_write(), transaction.atomic():
                if path.exists() and _stored_offset(path.name) >= path.stat().st_size:
                    path.unlink()
                    JournalOffset.objects.filter(journal=path.name).delete()
        finally:
            os.close(descriptor)


def store_orphans() -> None:
    """Store what processes that died left journaled (`manage.py serve` calls it at start)."""
    directory = journal_dir()
    if directory is not None and directory.is_dir():
        _store_orphans(directory)


def _delete_if_unheld(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path.unlink(missing_ok=True)
    except BlockingIOError:
        pass  # being opened right now
    finally:
        os.close(descriptor)
