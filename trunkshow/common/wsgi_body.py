"""Request bodies sent without a Content-Length (HTTP/1.1 chunked, or HTTP/2).

Django reads exactly CONTENT_LENGTH bytes of a body and takes a missing one
as "no body", so a client that streams its JSON would be told every field
is missing. The server (Granian) has already undone the chunking and marks
such a stream as ending by itself (wsgi.input_terminated); this reads it, up
to the limit for its path, and hands it to Django with its length.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from typing import Any

READ_SIZE = 64 * 1024
IN_MEMORY = 1024 * 1024  # larger bodies are spooled to a temporary file
WITH_BODIES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _streamed(environ: dict[str, Any]) -> bool:
    if environ.get("CONTENT_LENGTH") or environ.get("REQUEST_METHOD") not in WITH_BODIES:
        return False
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked or bool(environ.get("wsgi.input_terminated"))


def with_streamed_bodies(app: WsgiApp, *, limit: Callable[[str], int]) -> WsgiApp:
    """Wrap a WSGI app; a streamed body longer than `limit(path)` bytes is answered 413
    (only that much is read of it)."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not _streamed(environ):
            return app(environ, start_response)
        most = limit(environ.get("PATH_INFO", ""))
        stream = environ["wsgi.input"]
        spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 - handed on
        size = 0
        try:
            while size <= most and (chunk := stream.read(min(READ_SIZE, most + 1 - size))):
                size += len(chunk)
                spool.write(chunk)
        except BaseException:
            spool.close()
            raise
        if size > most:
            spool.close()
            start_response("413 Content Too Large", [("Content-Type", "application/json")])
            message = f"The request body is larger than {most} bytes."
            return [b'{"code": "too_large", "message": "' + message.encode() + b'"}']
        spool.seek(0)
        environ["wsgi.input"] = spool
        environ["CONTENT_LENGTH"] = str(size)
        return app(environ, start_response)

    return application
