"""Pin-to-screen latency over many livestream viewers, and memory per viewer (issue 22).

A real `manage.py serve` (2 web processes, no job worker) on a fresh demo database; VIEWERS
EventSource-like clients follow one live stream's events; staff pin a product PINS times
with an API token. For each pin: the time from sending the POST to each viewer's reading
the `pin` event (goal: p99 <= 2 s at 500 viewers). The server's RSS with 0 and with
VIEWERS viewers gives memory per viewer; its CPU seconds come from /proc.

Baselines in the same run: one viewer on the same server, and the previous configuration
(`serve --interface wsgi`, where the event view answers at once and browsers come back
every second). With REDIS_URL set, the ASGI server is also measured with pins fanned out
through Redis pub/sub.

Run alone: .venv/bin/python bench/campaign_stream.py [--viewers 500] [--pins 5]
Another script may call run(...) and read the dict it returns.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment, wait_until_up
from _sse import Audience, cpu_seconds, live_stream, process_tree, rss_mb

ROOT = Path(__file__).resolve().parent.parent
GOAL_P99_MS = 2000.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _staff_call(base: str, token: str, method: str, path: str, body: bytes | None = None) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base + path,
        data=body,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _pins(audience: Audience, base: str, token: str, stream: int, skus: list[str], pins: int):
    latencies: list[float] = []
    missed = refused = 0
    for i in range(pins):
        sku = skus[i % len(skus)]
        sent = time.time()
        body = f'{{"sku": "{sku}"}}'.encode()
        try:
            _staff_call(base, token, "POST", f"/api/v1/streams/{stream}/pins", body)
        except OSError:  # a server too busy to take the pin (a timeout, a 5xx)
            refused += 1
            missed += audience.count
            continue
        deadline = time.monotonic() + 10
        while len(audience.arrivals(sku)) < audience.count and time.monotonic() < deadline:
            time.sleep(0.05)
        arrived = [a for a in audience.arrivals(sku) if a >= sent]
        missed += audience.count - len(arrived)
        latencies.extend((a - sent) * 1000 for a in arrived)
        with contextlib.suppress(OSError):
            _staff_call(base, token, "DELETE", f"/api/v1/streams/{stream}/pins/{sku}")
        for viewer in audience.viewers:
            viewer.pins.pop(sku, None)
        time.sleep(1.0)
    return latencies, missed, refused


def measure(
    label: str, env: dict[str, str], setup: dict[str, Any], *, viewers: int, pins: int,
    interface: str = "asgi",
) -> dict[str, float]:  # fmt: skip
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "2",
           "--no-worker", "--interface", interface]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL)  # fmt: skip
    stream, token = int(setup["stream"]), str(setup["token"])
    out: dict[str, float] = {"viewers": float(viewers)}
    try:
        wait_until_up(base + "/healthz")
        path = f"/api/v1/streams/{stream}/events?market=CN&locale=zh-Hans"
        with Audience("127.0.0.1", port, path, 1):
            pass  # warm both processes' first request
        time.sleep(1)
        pids = process_tree(proc.pid)
        out["rss_0_mb"] = rss_mb(pids)
        with Audience("127.0.0.1", port, path, viewers) as audience:
            time.sleep(2)
            out["rss_mb"] = rss_mb(pids)
            cpu, started = cpu_seconds(pids), time.monotonic()
            time.sleep(5)
            out["cpu_hold_per_s"] = (cpu_seconds(pids) - cpu) / (time.monotonic() - started)
            cpu = cpu_seconds(pids)
            latencies, missed, refused = _pins(
                audience, base, token, stream, list(setup["skus"]), pins
            )
            out["cpu_per_pin_s"] = (cpu_seconds(pids) - cpu) / pins
            out["viewer_errors"] = float(sum(v.errors for v in audience.viewers))
        out["p50_ms"] = _percentile(latencies, 0.5)
        out["p99_ms"] = _percentile(latencies, 0.99)
        out["max_ms"] = max(latencies) if latencies else float("nan")
        out["mean_ms"] = statistics.fmean(latencies) if latencies else float("nan")
        out["missed"] = float(missed)
        out["pins_refused"] = float(refused)
        out["kb_per_viewer"] = (out["rss_mb"] - out["rss_0_mb"]) * 1024 / viewers
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    print(_line(label, out), flush=True)
    return out


def _line(label: str, r: dict[str, float]) -> str:
    return (
        f"{label:28s} {r['viewers']:4.0f} viewers  pin-to-screen p50 {r['p50_ms']:7.1f} ms  "
        f"p99 {r['p99_ms']:7.1f} ms  missed {r['missed']:.0f} (pins refused "
        f"{r['pins_refused']:.0f})  RSS {r['rss_0_mb']:.0f} -> "
        f"{r['rss_mb']:.0f} MB ({r['kb_per_viewer']:.1f} KB/viewer)  CPU holding "
        f"{r['cpu_hold_per_s']:.2f} s/s, {r['cpu_per_pin_s']:.2f} s/pin"
    )


def run(
    *, viewers: int = 500, pins: int = 5, env: dict[str, str] | None = None,
    redis_url: str | None = None, baselines: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """Measure pin-to-screen latency and memory per viewer; return the figures by setup.

    `env` serves an existing demo database (default: a fresh one); `redis_url` adds a run
    with pins through Redis pub/sub (default: $REDIS_URL if set).
    """
    env = dict(env or demo_environment(ROOT))
    env["RATELIMIT_ENABLE"] = "0"  # the server is measured here, not the limits
    env.pop("REDIS_URL", None)
    setup = live_stream(ROOT, env)
    redis_url = redis_url if redis_url is not None else os.environ.get("REDIS_URL", "")
    results: dict[str, Any] = {}
    results["asgi"] = measure("asgi (database poll)", env, setup, viewers=viewers, pins=pins)
    if redis_url:
        results["asgi_redis"] = measure(
            "asgi (Redis pub/sub)", {**env, "REDIS_URL": redis_url}, setup, viewers=viewers,
            pins=pins,
        )  # fmt: skip
    if baselines:
        results["asgi_1"] = measure("asgi, one viewer", env, setup, viewers=1, pins=pins)
        results["wsgi"] = measure(
            "wsgi (before: short answers)", env, setup, viewers=viewers, pins=pins,
            interface="wsgi",
        )  # fmt: skip
    best = results.get("asgi_redis", results["asgi"])
    results["goal_p99_ms"] = GOAL_P99_MS
    results["goal_met"] = bool(best["p99_ms"] <= GOAL_P99_MS and best["missed"] == 0)
    return results


def report(results: dict[str, Any]) -> None:
    a = results["asgi"]
    if "asgi_1" in results:
        one = results["asgi_1"]
        print(f"ratio p99 {a['viewers']:.0f} viewers / 1 viewer (asgi)      {a['p99_ms'] / one['p99_ms']:.2f}x")  # fmt: skip
    if "wsgi" in results:
        w = results["wsgi"]
        print(f"ratio p99 asgi / wsgi                          {a['p99_ms'] / w['p99_ms']:.2f}x")
        print(f"ratio CPU holding viewers asgi / wsgi          {a['cpu_hold_per_s'] / max(w['cpu_hold_per_s'], 1e-3):.2f}x")  # fmt: skip
    if "asgi_redis" in results:
        r = results["asgi_redis"]
        print(f"ratio p99 Redis pub/sub / database poll        {r['p99_ms'] / a['p99_ms']:.2f}x")
    met = "met" if results["goal_met"] else "MISSED"
    print(f"goal pin-to-screen p99 <= {GOAL_P99_MS:.0f} ms at {a['viewers']:.0f} viewers: {met}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=int, default=500)
    parser.add_argument("--pins", type=int, default=5)
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args()
    report(run(viewers=args.viewers, pins=args.pins, baselines=not args.no_baselines))


if __name__ == "__main__":
    main()
