"""A livestream's events for its viewers: Server-Sent Events from an async view.

`GET /api/v1/streams/{id}/events?market=CN&locale=zh-Hans` answers `text/event-stream`:
`event: status` (`{status}`), `event: pin` (`{sku, pinned_at, product: {title, price,
image_url, product_url}}`) and `event: unpin` (`{sku, pinned_at, unpinned_at}`), each
with `id:` the stream's change sequence, so a reconnecting EventSource (which sends
`Last-Event-ID`) gets only what it missed. The first `status` carries the id the
viewer is at (0 for a new one), so every reconnect sends `Last-Event-ID`: a connection
without it is a new viewing, recorded as analytics' "stream watched" (with consent).

The view is async: a waiting viewer is a coroutine asleep until its stream changes, never
a server thread. `stream_fanout` wakes it (Redis pub/sub with REDIS_URL, else one poll
per process); it then asks the pin table one indexed question ("changes after N"). The
connection ends after STREAM_EVENTS_SECONDS and the browser's EventSource reconnects.

Served under WSGI (today's `manage.py serve`), each answer ends after one look at the
table (see `stream_events`): a short-polling fallback that holds no thread while waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from trunkshow.analytics.models import Kind
from trunkshow.analytics.services import record_request_event
from trunkshow.campaigns.stream_fanout import Watch, watch
from trunkshow.campaigns.streams import (
    PinChange,
    pinned_products,
    pins_changed_after,
    stream_state,
)
from trunkshow.common.api_errors import ApiError, resolve_market_and_locale
from trunkshow.common.async_db import db_read_async

HEARTBEAT_SECONDS = 15.0
# How long viewers of one stream share a read of its state when nothing woke them (a
# heartbeat, a new viewer); a change wakes them with fresh reads at once.
SHARED_SECONDS = 0.5


def _read(fn: Any) -> Any:
    # Reads run on the executor's threads, not the one thread sync views share.
    return db_read_async(fn)


def event(kind: str, data: dict[str, Any], *, seq: int | None = None) -> bytes:
    head = f"id: {seq}\n" if seq is not None else ""
    return f"{head}event: {kind}\n".encode() + b"data: " + orjson.dumps(data) + b"\n\n"


def _change_event(change: PinChange, *, market: str, locale: str, base: str) -> bytes:
    data: dict[str, Any] = {"sku": change.sku, "pinned_at": change.pinned_at.isoformat()}
    if change.kind == "unpin":
        data["unpinned_at"] = change.unpinned_at.isoformat() if change.unpinned_at else None
        return event("unpin", data, seq=change.seq)
    product = pinned_products(skus=[change.sku], market_code=market, locale=locale).get(change.sku)
    if product is not None:
        product["product_url"] = base + product["product_url"]
    data["product"] = product
    return event("pin", data, seq=change.seq)


def _changes_after(
    stream_id: int, *, seq: int, market: str, locale: str, base: str
) -> tuple[list[bytes], int]:
    """The events of the stream's changes after `seq`, and the last sequence among them."""
    changes = pins_changed_after(stream_id=stream_id, seq=seq)
    events = [_change_event(c, market=market, locale=locale, base=base) for c in changes]
    return events, changes[-1].seq if changes else seq


async def _shared(fanout: Watch | None, key: tuple[Any, ...], read: Any) -> Any:
    # A short answer (WSGI) has no watch: it reads for itself.
    if fanout is None:
        return await read()
    return await fanout.shared(key, read, max_age=SHARED_SECONDS)


def _watched(request: HttpRequest, stream_id: int, *, market: str, locale: str) -> None:
    """The "stream watched" event, consent-gated like every event (a write in autocommit:
    one that fails is dropped and counted, never the viewer's error)."""
    record_request_event(
        request, Kind.STREAM_WATCHED, market=market, locale=locale, ref=str(stream_id)
    )


async def _events(
    stream_id: int, *, after: int, status: str, market: str, locale: str, base: str, once: bool
) -> AsyncIterator[bytes]:
    fanout = None if once else watch()
    if fanout is not None:
        fanout.joined(stream_id)
    try:
        yield b"retry: 1000\n\n"
        # With an id, even before any pin, so that every reconnect of this EventSource
        # sends Last-Event-ID and is told from a new viewer (see stream_events).
        yield event("status", {"status": status}, seq=after)
        seq = after
        loop = asyncio.get_running_loop()
        ends = loop.time() + float(getattr(settings, "STREAM_EVENTS_SECONDS", 300))
        beat = loop.time() + HEARTBEAT_SECONDS
        while True:
            # Taken before the read: a change committed while reading still wakes us.
            changed = fanout.next_change(stream_id) if fanout is not None else None
            state = await _shared(
                fanout, (stream_id, "state", fanout.generation(stream_id) if fanout else 0),
                lambda: _read(stream_state)(stream_id=stream_id),
            )  # fmt: skip
            if state is not None and state[1] > seq:
                chunks, last = await _shared(
                    fanout, (stream_id, "changes", state, seq, market, locale, base),
                    lambda s=seq: _read(_changes_after)(
                        stream_id, seq=s, market=market, locale=locale, base=base
                    ),
                )  # fmt: skip
                for chunk in chunks:
                    yield chunk
                seq = max(seq, last)
            if state is not None and state[0] != status:
                status = state[0]
                yield event("status", {"status": status})
            now = loop.time()
            if changed is None or state is None or now >= ends:
                return
            if now >= beat:
                beat = now + HEARTBEAT_SECONDS
                yield b": keep-alive\n\n"  # a comment: keeps proxies from closing the line
            await asyncio.wait({changed}, timeout=min(beat, ends) - now)
    finally:
        if fanout is not None:
            fanout.left(stream_id)


def _error(exc: ApiError) -> HttpResponse:
    return JsonResponse(exc.body(), status=exc.status)


async def stream_events(request: HttpRequest, stream_id: int) -> HttpResponseBase:
    """Follow a livestream's pins and status as Server-Sent Events."""
    try:
        market, locale = await _read(resolve_market_and_locale)(
            request.GET.get("market"), request.GET.get("locale")
        )
    except ApiError as exc:
        return _error(exc)
    state = await _read(stream_state)(stream_id=stream_id)
    if state is None:
        return _error(ApiError(404, "unknown_stream", f"No stream {stream_id}."))
    last_id = request.headers.get("Last-Event-ID", "")
    # A new viewer gets every pin still on air (changes from the start, unpinned ones
    # included, so the card ends as it is now); a reconnecting one what it missed.
    after = int(last_id) if last_id.isdigit() and len(last_id) < 19 else 0
    if not last_id:
        # A new viewer (a page opened its EventSource): one "stream watched" event per
        # viewing; the same EventSource's reconnects (every STREAM_EVENTS_SECONDS, or each
        # second under WSGI) send Last-Event-ID and are not counted again.
        await _read(_watched)(request, stream_id, market=market, locale=locale)
    base = request.build_absolute_uri("/").rstrip("/")
    # Under WSGI Django reads an async stream to its end before sending anything, and the
    # wait would hold one of a few threads: there the answer is what changed, then the
    # end; the EventSource comes back after `retry` (1 s) with Last-Event-ID, so a pin
    # still reaches the page within 2 s. Under ASGI the connection stays open.
    events = _events(
        stream_id, after=after, status=state[0], market=market, locale=locale, base=base,
        once=not isinstance(request, ASGIRequest),
    )  # fmt: skip
    response: HttpResponseBase
    if isinstance(request, ASGIRequest):
        response = StreamingHttpResponse(events, content_type="text/event-stream")
    else:
        body = b"".join([chunk async for chunk in events])
        response = HttpResponse(body, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
