"""Database helpers shared by services."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import NOT_PROVIDED, Field, Model
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery

try:
    import fcntl
except ImportError:  # Windows: threads still queue; processes fall back on SQLite's wait
    fcntl = None  # type: ignore[assignment]

# Re-entrant: a service that writes may call another that does.
_sqlite_writer = threading.RLock()
_writer_depth = threading.local()
# One lock file per SQLite database, opened once per process.
_lock_files: dict[str, int] = {}


def sqlite_file() -> str | None:
    """The path of this connection's SQLite database; None for PostgreSQL or one in memory."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    return None if not name or name == ":memory:" or name.startswith("file:") else name


def _lock_file(database: str | None) -> int | None:
    if fcntl is None or database is None:
        return None
    descriptor = _lock_files.get(database)
    if descriptor is None:
        descriptor = os.open(f"{database}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
        _lock_files[database] = descriptor
    return descriptor


@contextmanager
def serialized_write() -> Iterator[None]:
    """Queue SQLite writers on locks that wake the next one at once, not on SQLite's busy handler.

    SQLite admits one writer at a time; a writer that finds the lock taken
    sleeps in SQLite's busy handler for 1, 2, 5, 10... ms before it looks
    again, so several threads and processes writing at once spend most of
    their time asleep (bench/quiz.py: the server's CPU half idle while the
    result endpoint queued). Threads of one process queue on a Python lock;
    processes (the web server's workers) on an exclusive lock on a file
    beside the database, which the kernel hands to the next waiter the
    moment the last writer commits. PostgreSQL needs none of this.

    The wait for the file lock has no timeout (SQLite's own gave up after
    20 s): polling for it instead of blocking let one process take it again
    and again while the other starved (p99 200+ ms, bench/quiz.py). Every
    holder is a write transaction, and a process that dies drops its lock.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with _sqlite_writer:
        depth = getattr(_writer_depth, "value", 0)
        # Already in a transaction, this connection holds SQLite's write lock
        # (transactions BEGIN IMMEDIATE): taking the file lock now would take
        # the two locks in the other order than every other writer.
        outermost = depth == 0 and not connection.in_atomic_block
        descriptor = _lock_file(sqlite_file()) if outermost else None
        if descriptor is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        _writer_depth.value = depth + 1
        try:
            yield
        finally:
            _writer_depth.value = depth
            if descriptor is not None:
                fcntl.flock(descriptor, fcntl.LOCK_UN)


def holds_write_lock() -> bool:
    """True inside serialized_write() on this thread."""
    return getattr(_writer_depth, "value", 0) > 0


# SQL compiled once per (model, backend, conflict rule): the hot write paths
# (a quiz result on campaign day) spend most of an ORM INSERT compiling SQL
# that never changes.
_insert_statements: dict[
    tuple[type[Model], str, bool, bool], tuple[str, tuple[Field[Any, Any], ...], bool]
] = {}
_statements_lock = threading.Lock()


def _insert_statement(
    model: type[Model], obj: Model, *, ignore_conflicts: bool
) -> tuple[str, tuple[Field[Any, Any], ...], bool]:
    meta = model._meta
    auto = meta.auto_field
    returns_pk = auto is not None and obj.pk is None
    key = (model, connection.vendor, ignore_conflicts, returns_pk)
    statement = _insert_statements.get(key)
    if statement is not None:
        return statement
    fields = tuple(
        field
        for field in meta.local_concrete_fields
        if not field.generated and not (returns_pk and field is auto)
    )
    for field in fields:
        if getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError(f"{model.__name__}.{field.name} has a database default")
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
    query.insert_values(list(fields), [obj])
    compiler = query.get_compiler(connection=connection)
    can_return = returns_pk and connection.features.can_return_columns_from_insert
    compiler.returning_fields = [auto] if can_return and auto is not None else None
    sql, _params = compiler.as_sql()[0]
    with _statements_lock:
        _insert_statements[key] = (sql, fields, returns_pk)
    return sql, fields, returns_pk


def insert_row(obj: Model, *, ignore_conflicts: bool = False) -> bool:
    """INSERT one model instance (the same row Model.save would write); False if ignored.

    Fills auto_now_add and defaults as save() does and sets the new primary
    key on `obj`. No signals are sent. With ignore_conflicts a row that
    breaks a unique constraint is skipped instead of raising.
    """
    model = type(obj)
    sql, fields, returns_pk = _insert_statement(model, obj, ignore_conflicts=ignore_conflicts)
    # The thread's own connection, looked up once: each use of the proxy
    # `connection` is a context-local lookup, and every field asks for it.
    wrapper = connections[DEFAULT_DB_ALIAS]
    params = [field.get_db_prep_save(field.pre_save(obj, True), wrapper) for field in fields]
    auto = model._meta.auto_field
    with wrapper.cursor() as cursor:
        cursor.execute(sql, params)
        if returns_pk and wrapper.features.can_return_columns_from_insert:
            # With RETURNING the row count is only known after the fetch.
            row = cursor.fetchone()
            if row is None:
                return False
            new_pk = row[0]
        elif cursor.rowcount == 0:
            return False
        elif returns_pk:
            new_pk = cursor.lastrowid
        if returns_pk and auto is not None:
            setattr(obj, auto.attname, new_pk)
    obj._state.adding = False
    obj._state.db = wrapper.alias
    return True
