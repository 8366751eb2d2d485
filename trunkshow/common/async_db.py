"""Database reads from async code, on executor threads that give their connection back.

A sync_to_async call outside a request runs on one of the executor's
threads, and Django closes a thread's connection only when a request ends,
so each of those threads would keep a connection for good: with psycopg's
pool that starves requests ("couldn't get a connection after 5 s"). Like
Channels' database_sync_to_async, each call ends with close_old_connections(),
which hands a pooled connection back and keeps a persistent one (CONN_MAX_AGE)
for the thread's next read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import close_old_connections

T = TypeVar("T")


def db_read_async(fn: Callable[..., T]) -> Callable[..., Any]:
    """Return an awaitable version of `fn` that runs off the event loop and frees its
    connection afterwards."""

    @wraps(fn)
    def call(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(call, thread_sensitive=False)
