"""A client already past an API rate limit is answered before Django runs.

Under a flood (bench/abuse.py: wrk's 32 connections from one address), each
refused request still cost Django's whole request handling up to
ApiRateLimitMiddleware: the request object, the request_started/finished
signals and their database-connection housekeeping, and under ASGI a turn
of the process's few sync slots (asgi_limit), where the flood's requests
queued ahead of real shoppers'. This outermost layer reads the same counts
ApiRateLimitMiddleware keeps (one cache read per scope; `refused_early`) and
answers the 429 itself. It counts nothing: whatever it lets through is
counted, and refused once past a limit, by the middleware as before.

Under ASGI the read runs on the event loop: it is one local SQLite read
(diskcache) or one Redis round trip on the same machine, shorter than
handing the request to a thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from trunkshow.common.asgi_body import AsgiApp, Receive, Send

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_stores: list[Any] = []


def _store() -> Any:
    """One handle on the counts' cache for the process. Django's `caches[...]` is
    per context under ASGI: each request's task would open the store anew."""
    if not _stores:
        from django.conf import settings
        from django.core.cache import caches

        _stores.append(caches.create_connection(settings.RATELIMIT_USE_CACHE))
    return _stores[0]


def _refused(method: str, path: str, meta: Any) -> int:
    from trunkshow.common.ratelimits import refused_early

    return refused_early(method, path, meta, _store())


def _answer(retry_after: int) -> tuple[bytes, list[tuple[str, str]]]:
    from django.conf import settings

    from trunkshow.common.ratelimits import limited_body

    body = limited_body(retry_after)
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Retry-After", str(retry_after)),
        ("Cache-Control", "private, no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", str(settings.SECURE_REFERRER_POLICY)),
    ]
    return body, headers


def with_early_refusal_wsgi(app: WsgiApp) -> WsgiApp:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        wait = _refused(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""),
                        environ)  # fmt: skip
        if not wait:
            return app(environ, start_response)
        body, headers = _answer(wait)
        start_response("429 Too Many Requests", headers)
        return [body]

    return application


class _Meta:
    """The two environ keys client_ip_of reads, from an ASGI scope."""

    def __init__(self, scope: dict[str, Any]) -> None:
        self.scope = scope

    def get(self, key: str, default: object = None) -> object:
        if key == "REMOTE_ADDR":
            client = self.scope.get("client")
            return client[0] if client else default
        if key == "HTTP_X_FORWARDED_FOR":
            values = [v.decode("latin-1") for k, v in self.scope.get("headers", [])
                      if k.lower() == b"x-forwarded-for"]  # fmt: skip
            return ",".join(values) if values else default
        return default


def with_early_refusal_asgi(app: AsgiApp) -> AsgiApp:
    async def application(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        wait = _refused(scope.get("method", ""), path, _Meta(scope))
        if not wait:
            await app(scope, receive, send)
            return
        body, headers = _answer(wait)
        await send({
            "type": "http.response.start", "status": 429,
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        })  # fmt: skip
        await send({"type": "http.response.body", "body": body})

    return application
