"""Event-stream viewers for the benchmarks: many EventSource-like clients on one asyncio loop.

Each viewer behaves as a browser's EventSource does: it keeps the connection open while
the server does, and when the server ends it, comes back after the `retry:` the server
asked for, sending `Last-Event-ID`. A viewer notes the moment each `pin` event reaches it.
Plain asyncio streams, no client library: 500 idle sockets cost the loop next to nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Viewer:
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    last_id: str = ""
    connections: int = 0
    errors: int = 0
    # sku -> time.time() the pin event arrived (the latest one for that sku)
    pins: dict[str, float] = field(default_factory=dict)


async def _follow(viewer: Viewer, host: str, port: int, path: str, stop: asyncio.Event) -> None:
    retry = 1.0
    while not stop.is_set():
        writer = None
        try:
            reader, writer = await asyncio.open_connection(host, port)
            head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
            if viewer.last_id:
                head += f"Last-Event-ID: {viewer.last_id}\r\n"
            writer.write((head + "\r\n").encode())
            await writer.drain()
            status = await reader.readline()
            if b" 200 " not in status:
                viewer.errors += 1
                raise ConnectionError(status.decode(errors="replace"))
            chunked, length = False, -1
            while (line := await reader.readline()) not in (b"\r\n", b""):
                lower = line.lower()
                if lower.startswith(b"transfer-encoding:") and b"chunked" in lower:
                    chunked = True
                if lower.startswith(b"content-length:"):
                    length = int(lower.split(b":")[1])
            if length >= 0:
                # A whole answer (the WSGI fallback): its end is the stream's end, as an
                # EventSource takes it, although the connection itself stays open.
                reader = _Body(await reader.readexactly(length))
            viewer.connections += 1
            viewer.connected.set()
            kind, data = "", ""
            while not stop.is_set():
                line = await reader.readline()
                if not line:
                    break
                if (
                    chunked
                    and line.rstrip(b"\r\n")
                    and all(c in b"0123456789abcdefABCDEF" for c in line.rstrip(b"\r\n"))
                ):
                    continue  # a chunk size; events never start with a bare hex line
                text = line.decode().rstrip("\r\n")
                if text.startswith("retry:"):
                    retry = int(text[6:].strip()) / 1000
                elif text.startswith("id:"):
                    viewer.last_id = text[3:].strip()
                elif text.startswith("event:"):
                    kind = text[6:].strip()
                elif text.startswith("data:"):
                    data = text[5:].strip()
                elif text == "" and kind:
                    if kind == "pin":
                        viewer.pins[json.loads(data)["sku"]] = time.time()
                    kind, data = "", ""
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            viewer.errors += 1
        finally:
            if writer is not None:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
        if not stop.is_set():
            await asyncio.sleep(retry)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.lines = data.splitlines(keepends=True)

    async def readline(self) -> bytes:
        return self.lines.pop(0) if self.lines else b""


class Audience:
    """`count` viewers of one event stream, run on a loop in a thread of their own."""

    def __init__(self, host: str, port: int, path: str, count: int) -> None:
        self.host, self.port, self.path, self.count = host, port, path, count
        self.loop = asyncio.new_event_loop()
        self.viewers: list[Viewer] = []
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> Audience:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=30)
        return self

    async def _start(self) -> None:
        self._stop = asyncio.Event()
        self.viewers = [Viewer() for _ in range(self.count)]
        self._tasks = []
        for viewer in self.viewers:
            self._tasks.append(
                asyncio.create_task(_follow(viewer, self.host, self.port, self.path, self._stop))
            )
            await asyncio.sleep(0.002)  # not all 500 in the same millisecond: a backlog
        await asyncio.wait_for(
            asyncio.gather(*(v.connected.wait() for v in self.viewers)), timeout=60
        )

    async def _end(self) -> None:
        assert self._stop is not None
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._end(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    def arrivals(self, sku: str) -> list[float]:
        return [v.pins[sku] for v in self.viewers if sku in v.pins]

    def connections(self) -> int:
        return sum(v.connections for v in self.viewers)


# --- the server's processes, from /proc ---------------------------------------


def process_tree(root: int) -> list[int]:
    """`root` and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / tick


def rss_mb(pids: Iterable[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


# --- a live stream to watch, in the demo database the benchmark serves ----------

SETUP_STREAM = """
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from trunkshow.campaigns.models import Campaign, Stream
from trunkshow.campaigns.streams import staff_token_create, stream_set_status
from trunkshow.catalog.selectors import sellable_skus
campaign = Campaign.objects.get(slug="super-brand-day")
stream = campaign.streams.filter(status="live").first() or Stream.objects.create(
    campaign=campaign, scheduled_at=timezone.now(), hls_url="https://example.com/live.m3u8"
)
stream_set_status(stream_id=stream.pk, status="live")
user, _ = get_user_model().objects.get_or_create(username="bench-host", defaults={"is_staff": True})
_row, token = staff_token_create(user=user, name="bench")
print(json.dumps({"stream": stream.pk, "token": token, "skus": sorted(sellable_skus(market_code="CN"))[:20]}))
"""


def live_stream(root: Path, env: dict[str, str]) -> dict[str, object]:
    """Return {stream, token, skus}: a live stream of the demo campaign and a staff token."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP_STREAM],
        cwd=root, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def wrk(url: str, *, seconds: int = 5, connections: int = 16, threads: int = 2) -> dict[str, float]:
    """Run Debian's wrk; return req/s, p50 and p99 in ms, and non-2xx/3xx answers."""
    import re
    import subprocess

    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip

    def ms(label: str) -> float:
        found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "bad": float(bad.group(1)) if bad else 0.0,
        "socket_errors": float(sum(int(g) for g in errors.groups())) if errors else 0.0,
    }
