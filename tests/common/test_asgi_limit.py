"""Under ASGI a crowd of ordinary requests takes turns; event streams never wait for one."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from trunkshow.common.asgi_limit import RECEIVED_AT, received_at, with_sync_limit


def crowd(paths: list[str], *, limit: int) -> tuple[int, list[str]]:
    """Run one request per path at once through the limit; the most that ran together
    and the order they finished in."""
    running = 0
    most = 0
    finished: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1
        finished.append(scope["path"])

    limited = with_sync_limit(app, limit=lambda: limit)

    async def main() -> None:
        async def nothing() -> dict[str, Any]:
            return {"type": "http.request", "body": b""}

        async def ignore(message: Any) -> None:
            return None

        await asyncio.gather(
            *(limited({"type": "http", "path": p}, nothing, ignore) for p in paths)
        )

    # On a loop of its own, in a thread of its own (a browser test earlier in the run may
    # have left the main thread's loop running).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result()
    return most, finished


def test_a_crowd_of_shoppers_runs_no_more_than_the_limit_at_once_in_arrival_order():
    # Given 50 shoppers' requests arriving together at a process allowed 8 at once
    paths = [f"/api/v1/products?n={n}" for n in range(50)]
    # When they are served
    most, finished = crowd(paths, limit=8)
    # Then never more than 8 ran together, every one was answered, first come first served
    assert most == 8
    assert sorted(finished) == sorted(paths)
    assert finished[:8] == paths[:8]


def test_event_stream_viewers_do_not_take_a_turn():
    # Given 20 viewers holding event streams and a limit of 2
    paths = [f"/api/v1/streams/{n}/events" for n in range(20)]
    # When they connect
    most, _finished = crowd(paths, limit=2)
    # Then all of them are in at once: a waiting viewer holds no thread
    assert most == 20


def test_a_request_keeps_the_instant_it_reached_the_process_not_its_turn():
    # Given requests that wait for a turn behind others (a limit of 1)
    seen: dict[str, float] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen[scope["path"]] = scope[RECEIVED_AT]
        await asyncio.sleep(0.02)

    limited = with_sync_limit(app, limit=lambda: 1)

    async def main() -> None:
        async def nothing() -> dict[str, Any]:
            return {"type": "http.request", "body": b""}

        async def ignore(message: Any) -> None:
            return None

        await asyncio.gather(
            *(limited({"type": "http", "path": f"/p{n}"}, nothing, ignore) for n in range(5))
        )

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result()
    # Then each carries when it arrived, in arrival order
    stamps = [seen[f"/p{n}"] for n in range(5)]
    assert stamps == sorted(stamps)
    # And a view reads it as an aware instant; without ASGI there is none
    request = SimpleNamespace(scope={RECEIVED_AT: stamps[0]})
    assert received_at(request) == datetime.fromtimestamp(stamps[0], tz=UTC)
    assert received_at(SimpleNamespace()) is None
