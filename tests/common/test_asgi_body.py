"""Under ASGI a request body is read up to its path's limit, never spooled whole first."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from trunkshow.common.asgi_body import with_body_limit


def call(app, *, method="POST", headers=(), messages=()):
    sent, received = [], list(messages)
    reads = {"n": 0}

    async def receive():
        reads["n"] += 1
        return received.pop(0) if received else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/api/v1/x", "headers": list(headers)}
    # In a thread of its own: Playwright keeps an event loop in the main thread when the
    # browser tests ran earlier in the session, and asyncio.run refuses such a thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent, reads["n"]


def echo_app():
    seen = {}

    async def app(scope, receive, send):
        # As Django's handler does: read to the end; a disconnect means the client left.
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen["body"] = body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app, seen


def test_a_body_sent_in_chunks_reaches_the_app_whole():
    # Given an app behind the limit, and a body streamed in three parts with no length
    app, seen = echo_app()
    parts = [b'{"a": ', b'"b"', b"}"]
    messages = [
        {"type": "http.request", "body": p, "more_body": i < 2} for i, p in enumerate(parts)
    ]
    # When it is posted
    sent, _reads = call(with_body_limit(app, limit=lambda path: 100), messages=messages)
    # Then the app reads it whole
    assert seen["body"] == b'{"a": "b"}'
    assert sent[0]["status"] == 200


def test_a_streamed_body_over_the_limit_is_413_having_read_no_more_than_that():
    app, seen = echo_app()
    endless = [{"type": "http.request", "body": b"x" * 40, "more_body": True}] * 1000
    sent, reads = call(with_body_limit(app, limit=lambda path: 100), messages=endless)
    assert sent[0]["status"] == 413
    assert b"too_large" in sent[1]["body"]
    assert reads <= 3 and "body" not in seen and len(sent) == 2


def test_a_declared_length_over_the_limit_is_413_before_reading():
    app, seen = echo_app()
    sent, reads = call(
        with_body_limit(app, limit=lambda path: 100), headers=[(b"content-length", b"5000")]
    )
    assert sent[0]["status"] == 413 and reads == 0 and "body" not in seen


def test_a_get_passes_straight_through():
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})

    sent, reads = call(with_body_limit(app, limit=lambda path: 0), method="GET")
    assert sent[0]["status"] == 204 and reads == 0
