"""Which interface `manage.py serve` runs Granian with: WSGI, or ASGI (async views that wait).

Same commit, same fresh demo database, one web process each, in the same run:

1. wrk on the product list API (a sync view): req/s and p99, WSGI against ASGI.
2. With VIEWERS open event streams (`/api/v1/streams/{id}/events`, EventSource-like
   clients that reconnect when the server ends the answer, as browsers do), the same wrk
   run again: the catalogue's p99 while the process holds them, the process's RSS with
   and without them (memory per connection), and its CPU seconds from /proc.

Under WSGI the event view answers at once and ends (a thread must not wait), so its
"viewers" come back every second; under ASGI each is one open connection.
Run alone: .venv/bin/python bench/serve_interface.py [--viewers 500] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment, wait_until_up
from _sse import Audience, cpu_seconds, live_stream, process_tree, rss_mb, wrk

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = "/api/v1/products?market=CN&locale=zh-Hans"
THREADS = 4


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command(interface: str, port: int) -> list[str]:
    if interface == "manage.py serve":
        return [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "1",
                "--no-worker"]  # fmt: skip
    app = "trunkshow.wsgi:application" if interface == "wsgi" else "trunkshow.asgi:application"
    # Django has no ASGI lifespan: "asginl" is Granian's ASGI without it.
    return [sys.executable, "-m", "granian", "--interface",
            "wsgi" if interface == "wsgi" else "asginl", "--port", str(port),
            "--workers", "1", "--blocking-threads", str(THREADS if interface == "wsgi" else 1),
            "--no-ws", "--log-level", "warning", app]  # fmt: skip


def measure(
    interface: str, env: dict[str, str], stream: int, viewers: int, seconds: int
) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(command(interface, port), cwd=ROOT, env=env, start_new_session=True)
    out: dict[str, float] = {"seconds": float(seconds)}
    try:
        wait_until_up(base + "/healthz")
        wrk(base + PRODUCTS, seconds=1)  # warm up
        pids = process_tree(proc.pid)
        out["rss_idle_mb"] = rss_mb(pids)
        cpu = cpu_seconds(pids)
        alone = wrk(base + PRODUCTS, seconds=seconds)
        out["cpu_alone_s"] = cpu_seconds(pids) - cpu
        out |= {f"alone_{k}": v for k, v in alone.items()}
        path = f"/api/v1/streams/{stream}/events?market=CN&locale=zh-Hans"
        with Audience("127.0.0.1", port, path, viewers) as audience:
            time.sleep(2)
            out["rss_viewers_mb"] = rss_mb(pids)
            cpu, connections = cpu_seconds(pids), audience.connections()
            quiet = time.monotonic()
            time.sleep(seconds)  # the viewers alone: what holding them costs
            out["cpu_viewers_only_per_s"] = (cpu_seconds(pids) - cpu) / (time.monotonic() - quiet)
            cpu = cpu_seconds(pids)
            busy = wrk(base + PRODUCTS, seconds=seconds)
            out["cpu_busy_s"] = cpu_seconds(pids) - cpu
            out["reconnects_per_s"] = (audience.connections() - connections) / (2 * seconds)
            out["viewer_errors"] = float(sum(v.errors for v in audience.viewers))
        out |= {f"busy_{k}": v for k, v in busy.items()}
        out["kb_per_viewer"] = (out["rss_viewers_mb"] - out["rss_idle_mb"]) * 1024 / viewers
    finally:
        stop(proc)
    return out


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # still waiting on open streams
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def run(*, viewers: int = 500, seconds: int = 5, interfaces: tuple[str, ...] = ("wsgi", "asgi"),
        env: dict[str, str] | None = None) -> dict[str, dict[str, float]]:  # fmt: skip
    """Measure each interface on one fresh demo database; return the figures by interface."""
    env = dict(env or demo_environment(ROOT))
    env["RATELIMIT_ENABLE"] = "0"  # the server is measured here, not the limits
    stream = int(live_stream(ROOT, env)["stream"])  # type: ignore[call-overload]
    return {name: measure(name, env, stream, viewers, seconds) for name in interfaces}


def report(results: dict[str, dict[str, float]], viewers: int) -> None:
    for name, r in results.items():
        print(
            f"{name:5s} products API alone      {r['alone_rps']:7.0f} req/s  p50 "
            f"{r['alone_p50_ms']:6.1f} ms  p99 {r['alone_p99_ms']:6.1f} ms  non-2xx "
            f"{r['alone_bad']:.0f}  server CPU {r['cpu_alone_s']:.1f} s"
        )
        print(
            f"{name:5s} with {viewers} viewers     {r['busy_rps']:7.0f} req/s  p50 "
            f"{r['busy_p50_ms']:6.1f} ms  p99 {r['busy_p99_ms']:6.1f} ms  non-2xx "
            f"{r['busy_bad']:.0f}  server CPU {r['cpu_busy_s']:.1f} s"
        )
        print(
            f"{name:5s} viewers alone: server CPU {r['cpu_viewers_only_per_s']:.2f} s/s, "
            f"reconnects {r['reconnects_per_s']:.0f}/s, client errors {r['viewer_errors']:.0f}; "
            f"RSS {r['rss_idle_mb']:.0f} MB idle, {r['rss_viewers_mb']:.0f} MB with viewers "
            f"({r['kb_per_viewer']:.1f} KB per viewer)"
        )

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "n/a"

    if {"wsgi", "asgi"} <= results.keys():
        w, a = results["wsgi"], results["asgi"]
        for r in (w, a):
            r["cpu_ms_per_req_alone"] = (
                r["cpu_alone_s"] * 1000 / max(1.0, r["alone_rps"] * r["seconds"])
            )
        print(
            f"ratio asgi/wsgi server CPU per products request {ratio(a['cpu_ms_per_req_alone'], w['cpu_ms_per_req_alone'])}"
        )
        print(
            f"ratio asgi/wsgi products API req/s alone        {ratio(a['alone_rps'], w['alone_rps'])}"
        )
        print(
            f"ratio asgi/wsgi products API p99 alone          {ratio(a['alone_p99_ms'], w['alone_p99_ms'])}"
        )
        print(
            f"ratio asgi/wsgi products API req/s with viewers {ratio(a['busy_rps'], w['busy_rps'])}"
        )
        print(f"ratio asgi/wsgi products API p99 with viewers   {ratio(a['busy_p99_ms'], w['busy_p99_ms'])}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--interfaces", default="wsgi,asgi")
    args = parser.parse_args()
    results = run(viewers=args.viewers, seconds=args.seconds,
                  interfaces=tuple(args.interfaces.split(",")))  # fmt: skip
    report(results, args.viewers)


if __name__ == "__main__":
    main()
