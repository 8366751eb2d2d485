"""Request bodies under ASGI: read up to the limit for the path, then handed to Django.

Django's ASGI handler spools a whole body (to disk past FILE_UPLOAD_MAX_MEMORY_SIZE)
before any check of its size; a client could fill the disk with one endless chunked
POST. This reads at most `limit(path)` bytes, answers 413 past that (as `wsgi_body`
does under WSGI), and hands what it read to the app as one message. A body sent without
a Content-Length (chunked, HTTP/2) arrives here whole, so Django reads it like any other.
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


def largest_body(path: str) -> int:
    """The most a view at `path` takes: the API's JSON, or a workshop photo with its form."""
    if path.startswith("/api/"):
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
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
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > most:
                await _too_large(send, most)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole: list[Message] = [{"type": "http.request", "body": b"".join(chunks)}]

        async def replay() -> Message:
            return whole.pop() if whole else await receive()

        await app(scope, replay, send)

    return application
