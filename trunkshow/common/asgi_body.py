"""Request bodies under ASGI: no more than the limit for the path is read.

Django's ASGI handler spools a whole body (to disk past FILE_UPLOAD_MAX_MEMORY_SIZE)
before any check of its size; a client could fill the disk with one endless chunked
POST. This lets Django read at most `limit(path)` bytes and answers 413 past that, as
`wsgi_body` does under WSGI. A body sent without a Content-Length (chunked, HTTP/2)
is read whole by Django's handler, so a view reads it like any other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from django.conf import settings

WITH_BODIES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]


# The admin takes video files: designer clips and livestream recordings (checked there).
ADMIN_UPLOAD_MAX_BYTES = 2 * 1024 * 1024 * 1024


def largest_body(path: str) -> int:
    """The most a view at `path` takes: the API's JSON, a workshop photo with its form, or a
    video uploaded in the admin."""
    if path.startswith("/api/"):
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if path.startswith("/admin/"):
        return ADMIN_UPLOAD_MAX_BYTES
    return max(int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), int(settings.ATELIER_PHOTO_MAX_BYTES)) + (
        256 * 1024
    )


async def _too_large(send: Send, most: int) -> None:
    message = f"The request body is larger than {most} bytes."
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send(
        {
            "type": "http.response.body",
            "body": b'{"code": "too_large", "message": "' + message.encode() + b'"}',
        }
    )


def with_body_limit(app: AsgiApp, *, limit: Callable[[str], int]) -> AsgiApp:
    """Wrap an ASGI app; a body longer than `limit(path)` bytes is answered 413."""

    async def application(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in WITH_BODIES:
            await app(scope, receive, send)
            return
        most = limit(scope.get("path", ""))
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > most:
            await _too_large(send, most)
            return
        size, too_large = 0, False

        async def counted() -> Message:
            # Django spools what it is handed (to disk past FILE_UPLOAD_MAX_MEMORY_SIZE); past
            # the limit it is told the client left, so it stops reading and answers nothing.
            nonlocal size, too_large
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > most:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        await app(scope, counted, send)
        if too_large:
            await _too_large(send, most)

    return application
