"""Wake a livestream's viewers when its pins or status change: one watch per process.

A viewer's event stream (`stream_events`) sleeps until its stream changes, then reads from
the database what changed after its last sequence; the database stays the record (a
reconnect with Last-Event-ID, the replay). What wakes it:

- with REDIS_URL: a Redis pub/sub message on `CHANNEL{id}`, published once the pin is
  committed, heard by one subscription per web process, so every process delivers a pin
  at once. A message lost (Redis restarting) is caught up by the viewer's next look at the
  database, at most SAFETY_SECONDS later.
- without: one look per process and stream every POLL_SECONDS at the stream's state,
  shared by all the process's viewers of it. 500 viewers each polling for themselves
  took half a core and cut the catalogue's throughput to a fifth (bench/serve_interface.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import DatabaseError

from trunkshow.campaigns.stream_announce import CHANNEL
from trunkshow.campaigns.streams import stream_audience_report, stream_state
from trunkshow.common.async_db import db_read_async

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
SAFETY_SECONDS = 15.0
RETRY_SECONDS = 1.0
REPORT_SECONDS = 2.0
REFRESH_SECONDS = 10.0
PROCESS = f"{socket.gethostname()}:{os.getpid()}"

T = TypeVar("T")


class Watch:
    """The process's watch over the streams its viewers follow, on one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.redis_url = str(getattr(settings, "REDIS_URL", "") or "")
        self._next: dict[int, asyncio.Future[None]] = {}
        self._viewers: dict[int, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._generation: dict[int, int] = {}
        self._reporter: asyncio.Task[None] | None = None
        self._shared: dict[tuple[Any, ...], tuple[float, asyncio.Future[Any]]] = {}

    @property
    def pubsub(self) -> bool:
        return bool(self.redis_url)

    def viewers(self, stream_id: int) -> int:
        return self._viewers.get(stream_id, 0)

    def joined(self, stream_id: int) -> None:
        self._viewers[stream_id] = self._viewers.get(stream_id, 0) + 1
        if self._task is None or self._task.done():
            run = self._listen() if self.pubsub else self._poll()
            self._task = self.loop.create_task(run)
        if self._reporter is None or self._reporter.done():
            self._reporter = self.loop.create_task(self._report())

    def left(self, stream_id: int) -> None:
        count = self._viewers.get(stream_id, 0) - 1
        if count > 0:
            self._viewers[stream_id] = count
        else:
            self._viewers.pop(stream_id, None)
            self._next.pop(stream_id, None)

    def next_change(self, stream_id: int) -> asyncio.Future[None]:
        """A future done at the stream's next change; take it before reading the database,
        so a change made during the read still wakes the viewer."""
        future = self._next.get(stream_id)
        if future is None or future.done():
            future = self._next[stream_id] = self.loop.create_future()
        return future

    def generation(self, stream_id: int) -> int:
        return self._generation.get(stream_id, 0)

    async def shared(
        self, key: tuple[Any, ...], read: Callable[[], Awaitable[T]], *, max_age: float
    ) -> T:
        """Read once for every viewer asking the same (`key[0]` is the stream) within
        `max_age` seconds or until the stream's next change: 500 viewers woken by one pin
        make one read, not 500."""
        now = self.loop.time()
        found = self._shared.get(key)
        if (
            found is None
            or now - found[0] > max_age
            or (found[1].done() and found[1].exception() is not None)
        ):
            if len(self._shared) > 1000:
                self._shared = {k: v for k, v in self._shared.items() if now - v[0] <= 5.0}
            found = (now, asyncio.ensure_future(read()))
            self._shared[key] = found
        # Shielded: a viewer leaving does not cancel the read the others wait for.
        return cast(T, await asyncio.shield(found[1]))

    def wake(self, stream_id: int) -> None:
        self._generation[stream_id] = self._generation.get(stream_id, 0) + 1
        self._shared = {k: v for k, v in self._shared.items() if k[0] != stream_id}
        future = self._next.pop(stream_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    async def _poll(self) -> None:
        seen: dict[int, Any] = {}
        read = db_read_async(stream_state)
        while self._viewers:
            for stream_id in list(self._viewers):
                state = await read(stream_id=stream_id)
                if seen.get(stream_id, state) != state:
                    self.wake(stream_id)
                seen[stream_id] = state
            await asyncio.sleep(POLL_SECONDS)

    async def _report(self) -> None:
        """Write this process's viewer counts for staff to see, when they change and every
        REFRESH_SECONDS (a row not refreshed stops counting: the process is gone)."""
        write = db_read_async(stream_audience_report)
        sent: dict[int, int] = {}
        last = 0.0
        while True:
            counts = dict(self._viewers)
            if counts != sent or self.loop.time() - last > REFRESH_SECONDS:
                try:
                    await write(process=PROCESS, counts={**dict.fromkeys(sent, 0), **counts})
                except DatabaseError:
                    log.warning("Could not report the viewer counts", exc_info=True)
                else:
                    sent, last = counts, self.loop.time()
            if not sent:
                return
            await asyncio.sleep(REPORT_SECONDS)

    async def _listen(self) -> None:
        # The client (about 17 MiB) loads only where REDIS_URL is set and a stream is watched.
        import redis
        import redis.asyncio as aioredis

        while self._viewers:
            client = aioredis.Redis.from_url(self.redis_url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{CHANNEL}*")
                    while self._viewers:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=SAFETY_SECONDS
                        )
                        if message is not None and message["type"] == "pmessage":
                            tail = message["channel"].rsplit(b":", 1)[-1]
                            if tail.isdigit():
                                self.wake(int(tail))
            except (redis.RedisError, OSError):
                log.warning("Lost the stream changes channel; retrying", exc_info=True)
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                with contextlib.suppress(redis.RedisError, OSError):
                    await client.aclose()


_watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Watch] = weakref.WeakKeyDictionary()


def watch() -> Watch:
    """The watch of the running event loop (one per web process in production)."""
    loop = asyncio.get_running_loop()
    found = _watches.get(loop)
    if found is None:
        found = _watches[loop] = Watch(loop)
    return found
