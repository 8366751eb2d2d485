"""A small closed-loop HTTP load generator for the benchmarks (loopback only)."""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> str:
        return (
            f"{self.per_second:8.0f} req/s  p50 {self.percentile(0.5):6.1f} ms  "
            f"p99 {self.percentile(0.99):6.1f} ms  errors {self.errors}"
        )


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def run_load(
    host: str, port: int, path: str, *, clients: int, seconds: float, method: str = "GET",
    body: bytes | Callable[[], bytes] | None = None, headers: dict[str, str] | None = None,
) -> LoadResult:  # fmt: skip
    """Keep `clients` keep-alive connections busy for `seconds`; count what came back.

    `body` may be a function: each request then sends what it returns.
    """
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine: list[float] = []
        ok = errors = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                payload = body() if callable(body) else body
                conn.request(method, path, body=payload, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status >= 500:
                    errors += 1
                else:
                    ok += 1
                    mine.append((time.perf_counter() - started) * 1000)
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["errors"] += errors

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return LoadResult(counts["ok"], counts["errors"], elapsed, latencies)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def demo_environment(root: Path, python: str = sys.executable) -> dict[str, str]:
    """Make a fresh demo shop in a temporary folder; return the env to serve it.

    SQLite unless BENCH_DEMO_DATABASE_URL names a PostgreSQL database, which is
    emptied first (never point it at a database you want to keep). `python` is
    the interpreter of the checkout at `root` (another worktree has its own).
    """
    env = {
        **os.environ,
        "TRUNKSHOW_VAR_DIR": tempfile.mkdtemp(prefix="trunkshow-bench-"),
        "DJANGO_SETTINGS_MODULE": "trunkshow.settings",
    }
    env.pop("DATABASE_URL", None)
    commands = [["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["demo_brand"]]
    if os.environ.get("BENCH_DEMO_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DEMO_DATABASE_URL"]
        ensure_database(env["DATABASE_URL"])
        commands.insert(1, ["flush", "--noinput", "-v0"])
    for command in commands:
        subprocess.run([python, "manage.py", *command], cwd=root, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    return env
