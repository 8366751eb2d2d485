"""At most N ordinary requests of one web process run their sync code at once.

Under ASGI, Django runs each request's sync view on a thread of its own, so
a thousand shoppers arriving at once become a thousand threads asking
psycopg's pool (DATABASE_POOL_MAX_SIZE connections) for a connection: past
the pool's timeout they fail with 503s, and SQLite's one writer sees them all
queue on its lock. Here the surplus waits as a coroutine (no thread, no
connection) for a turn, first come first served, the way WSGI's fixed thread
count bounded it. Requests that wait by design (event streams) are async
views and never take a turn.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from trunkshow.common.asgi_body import AsgiApp, Receive, Send

# The instant a request reached the process, before it waited for a turn (seconds since
# the epoch): a drop's waiting room ranks its tickets by it, so the wait for a turn
# under load does not reorder shoppers who arrived a few milliseconds apart.
RECEIVED_AT = "trunkshow.received_at"

# Paths served by async views: they hold a connection for minutes, not a thread.
ASYNC_PATHS = re.compile(r"^/api/v1/streams/[^/]+/events/?$")


def with_sync_limit(app: AsgiApp, *, limit: Callable[[], int]) -> AsgiApp:
    """Wrap an ASGI app so at most `limit()` sync requests run at once in this process."""
    turns: asyncio.Semaphore | None = None

    async def application(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        nonlocal turns
        scope.setdefault(RECEIVED_AT, time.time())
        if scope["type"] != "http" or ASYNC_PATHS.match(scope.get("path", "")):
            await app(scope, receive, send)
            return
        if turns is None:  # made on the server's loop, at the first request
            turns = asyncio.Semaphore(max(1, limit()))
        async with turns:
            await app(scope, receive, send)

    return application


def sync_request_limit() -> int:
    """How many sync requests a web process runs at once (settings.WEB_SYNC_CONCURRENCY)."""
    from django.conf import settings

    return int(getattr(settings, "WEB_SYNC_CONCURRENCY", 8))


def received_at(request: Any) -> datetime | None:
    """When a request reached this process under ASGI (None under WSGI or in tests)."""
    scope = getattr(request, "scope", None)
    stamp = scope.get(RECEIVED_AT) if isinstance(scope, dict) else None
    return datetime.fromtimestamp(stamp, tz=UTC) if isinstance(stamp, float) else None
