"""A player's card segment answered before Django: on campaign day it costs a file read.

Hundreds of players reach their card while the render queue is behind; each
asks for `/v/<token>/card.ts` (and asks again when it replays). Through
Django each request is the whole middleware stack, a database read and a
streamed file, on the same cores as the catalogue. Here it is one or two
`open()`s, in front of the WSGI and ASGI applications:

- the shopper's own card, once rendered, from the message's folder (the
  same unguessable token is the only key, as for every file of a message;
  the token's characters cannot name another folder);
- until then, the nameless card of the same profile, which the playlist
  names in the card's address (`card.ts?nameless=<key>`, see
  `message_files.fallback_card_key`): a shared file, no shopper's data in it.

Anything else (a range request, a HEAD, a missing file, a nameless card not
drawn yet) goes on to Django's view, which answers as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings

from trunkshow.common.asgi_body import AsgiApp, Receive, Send

CARD_PATH = re.compile(r"^/v/([0-9A-Za-z_-]{10,32})/card\.ts$")
NAMELESS = re.compile(r"(?:^|&)nameless=([0-9a-f]{32})(?:&|$)")
# A card is 30-60 kB; anything larger is not one of ours.
MAX_BYTES = 4 * 1024 * 1024
# The token names this exact render, which never changes.
OWN_CACHE = "public, max-age=31536000, immutable"
# The nameless card stands in only until the shopper's own is rendered.
NAMELESS_CACHE = "no-store"

Answer = tuple[bytes, str]


def _read(path: Path) -> bytes | None:
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return body if len(body) <= MAX_BYTES else None


def card_answer(path: str, query: str) -> Answer | None:
    """The card's bytes and Cache-Control for a GET of `path`?`query`; None: ask Django."""
    match = CARD_PATH.match(path)
    if match is None:
        return None
    video = Path(settings.MEDIA_ROOT) / "video"
    own = _read(video / "messages" / match.group(1) / "card.ts")
    if own is not None:
        return own, OWN_CACHE
    nameless = NAMELESS.search(query)
    if nameless is None:
        return None
    body = _read(video / "clips" / f"card-{nameless.group(1)}.ts")
    return (body, NAMELESS_CACHE) if body is not None else None


def _headers(body: bytes, cache: str) -> list[tuple[str, str]]:
    return [
        ("Content-Type", "video/mp2t"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", cache),
        ("Accept-Ranges", "bytes"),
        ("X-Content-Type-Options", "nosniff"),
    ]


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def with_card_segments_wsgi(app: WsgiApp) -> WsgiApp:
    """Wrap a WSGI app: card segments that are files are answered here."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") == "GET"
            and "HTTP_RANGE" not in environ
            and environ.get("PATH_INFO", "").startswith("/v/")
        ):
            answer = card_answer(environ["PATH_INFO"], environ.get("QUERY_STRING", ""))
            if answer is not None:
                body, cache = answer
                start_response("200 OK", _headers(body, cache))
                return [body]
        return app(environ, start_response)

    return application


def with_card_segments_asgi(app: AsgiApp) -> AsgiApp:
    """Wrap an ASGI app: card segments that are files are answered here.

    The read is a small file the render has just written (in the page
    cache): done on the event loop, it costs less than handing it to a thread.
    """

    async def application(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("method") == "GET"
            and scope.get("path", "").startswith("/v/")
            and not any(name == b"range" for name, _value in scope.get("headers", ()))
        ):
            query = scope.get("query_string", b"").decode("latin-1")
            answer = card_answer(scope["path"], query)
            if answer is not None:
                body, cache = answer
                headers = [(k.lower().encode(), v.encode()) for k, v in _headers(body, cache)]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return application
