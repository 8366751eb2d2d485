"""Database helpers shared by services."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_sqlite_writer = threading.Lock()


@contextmanager
def serialized_write() -> Iterator[None]:
    """Queue this process's SQLite writers on a lock instead of SQLite's busy handler.

    SQLite admits one writer at a time; a thread that finds the lock taken
    sleeps in SQLite's busy handler for 1, 2, 5, 10... ms before it looks
    again, so eight threads writing at once spend most of their time asleep.
    A Python lock wakes the next writer the moment the last one commits.
    PostgreSQL needs none of this and takes no lock here.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with _sqlite_writer:
        yield
