"""Database helpers shared by services."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import NOT_PROVIDED, Field, Model
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery

from trunkshow.common.local_cache import cached

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
    wrapper = connections[DEFAULT_DB_ALIAS]
    if wrapper.vendor != "sqlite":
        return None
    name = str(wrapper.settings_dict["NAME"])
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
    depth = getattr(_writer_depth, "value", 0)
    if depth == 0 and connection.in_atomic_block:
        # Already in a transaction, this connection holds SQLite's write lock
        # (transactions BEGIN IMMEDIATE): waiting now for the locks another
        # writer holds while it waits for SQLite's would stall both until
        # SQLite's timeout. This writer is already serialized.
        _writer_depth.value = 1
        try:
            yield
        finally:
            _writer_depth.value = 0
        return
    with _sqlite_writer:
        descriptor = _lock_file(sqlite_file()) if depth == 0 else None
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


def row_values(obj: Model) -> dict[str, Any]:
    """The columns and database values an INSERT of `obj` would write (JSON-ready on SQLite).

    Fills auto_now_add and defaults on `obj` as save() does; leaves out an
    unset auto primary key. With insert_values() it lets a row be written
    later, by another thread or process (trunkshow/common/write_behind.py).
    """
    model = type(obj)
    _sql, fields, _returns_pk = _insert_statement(model, obj, ignore_conflicts=False)
    wrapper = connections[DEFAULT_DB_ALIAS]
    return {
        str(field.column): field.get_db_prep_save(field.pre_save(obj, True), wrapper)
        for field in fields
    }


def row_values_like(
    obj: Model, template: Any, per_row: Iterable[str], seconds: float
) -> dict[str, Any]:
    """row_values(obj), computing only the `per_row` fields: the rest come from the last row
    made under the same `template` key (kept `seconds`).

    The caller's promise: objects with equal `template` keys differ only in
    the `per_row` fields (tests hold it to that against row_values()).
    """
    model = type(obj)
    shared = cached(("row-template", model, template), seconds, lambda: row_values(obj))
    own = {name: _concrete(model, name).pre_save(obj, True) for name in per_row}
    return {**shared, **prepared_values(model, **own)}


def _concrete(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101 - callers name concrete fields
    return field


def prepared_values(model: type[Model], **values: Any) -> dict[str, Any]:
    """Columns and database values for some fields of `model`, as row_values() prepares them."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    prepared = {}
    for name, value in values.items():
        field = _concrete(model, name)
        prepared[str(field.column)] = field.get_db_prep_save(value, wrapper)
    return prepared


_value_statements: dict[
    tuple[str, str, tuple[str, ...], bool], tuple[str, bool, tuple[Field[Any, Any], ...]]
] = {}


def insert_values(
    model: type[Model], values: dict[str, Any], *, ignore_conflicts: bool = False
) -> Any:
    """INSERT a row from row_values(); return its primary key, or None if a conflict skipped it.

    The values must have been prepared for this database (row_values() on it).
    """
    wrapper = connections[DEFAULT_DB_ALIAS]
    columns = tuple(values)
    key = (wrapper.vendor, model._meta.db_table, columns, ignore_conflicts)
    statement = _value_statements.get(key)
    if statement is None:
        statement = _value_statement(wrapper, model, columns, ignore_conflicts)
        _value_statements[key] = statement
    sql, returns_pk, defaulted = statement
    params = list(values.values())
    if defaulted:  # values made before these fields were added (a journal)
        params += [field.get_db_prep_save(field.get_default(), wrapper) for field in defaulted]
    if wrapper.vendor == "sqlite":
        # The write-behind drain's every row: Django's cursor wrapper cost as
        # much as the INSERT.
        with _sqlite3_cursor(wrapper, sql, params) as cursor:
            return _inserted_pk(cursor, model, values, returns_pk, wrapper)
    with wrapper.cursor() as cursor:
        cursor.execute(sql, params)
        return _inserted_pk(cursor, model, values, returns_pk, wrapper)


def _inserted_pk(
    cursor: Any, model: type[Model], values: dict[str, Any], returns_pk: bool, wrapper: Any
) -> Any:
    if returns_pk and wrapper.features.can_return_columns_from_insert:
        row = cursor.fetchone()
        return None if row is None else row[0]
    if cursor.rowcount == 0:
        return None
    return cursor.lastrowid if returns_pk else values[str(model._meta.pk.column)]


def _value_statement(
    wrapper: Any, model: type[Model], given: tuple[str, ...], ignore_conflicts: bool
) -> tuple[str, bool, tuple[Field[Any, Any], ...]]:
    meta = model._meta
    known = {field.column for field in meta.local_concrete_fields}
    unknown = set(given) - known
    if unknown:  # values made by code newer than this (a journal)
        raise KeyError(f"{model.__name__} has no column(s) {sorted(unknown)}")
    # Fields added since the values were made take their defaults, as a
    # migration gave the rows already stored.
    defaulted = tuple(
        field
        for field in meta.local_concrete_fields
        if field.column not in given and field.has_default() and field is not meta.pk
    )
    columns = (*given, *(field.column for field in defaulted))
    quote = wrapper.ops.quote_name
    placeholder = "?" if wrapper.vendor == "sqlite" else "%s"  # sqlite3's own style
    placeholders = ", ".join([placeholder] * len(columns))
    # Only the model's own table and columns (checked above) are interpolated.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({placeholders})"
    )
    if ignore_conflicts:
        # Not SQLite's INSERT OR IGNORE, which also drops a row that breaks
        # NOT NULL or CHECK without a word: only a duplicate is skipped.
        sql += " ON CONFLICT DO NOTHING"
    returns_pk = meta.pk.column not in columns
    if returns_pk and wrapper.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql.strip(), returns_pk, defaulted


_qmark_statements: dict[str, str] = {}


def fetch_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run a read written with %s placeholders; return its rows.

    On SQLite through sqlite3 itself: for reads every quiz result makes,
    Django's cursor wrapper (placeholder rewriting, thread checks) cost
    more than the indexed lookup.
    """
    wrapper = connections[DEFAULT_DB_ALIAS]
    if wrapper.vendor != "sqlite":
        with wrapper.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    qmark = _qmark_statements.get(sql)
    if qmark is None:
        qmark = _qmark_statements[sql] = sql.replace("%s", "?")
    with _sqlite3_cursor(wrapper, qmark, params) as cursor:
        return list(cursor.fetchall())


@contextmanager
def _sqlite3_cursor(wrapper: Any, sql: str, params: list[Any]) -> Iterator[Any]:
    """Execute on sqlite3 itself, in whatever transaction Django has open, with
    its errors turned into Django's (IntegrityError and the rest)."""
    wrapper.ensure_connection()
    with wrapper.wrap_database_errors:
        cursor = wrapper.connection.execute(sql, params)
        try:
            yield cursor
        finally:
            cursor.close()
