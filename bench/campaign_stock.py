"""What it costs the server that every open campaign page follows its drops' stock.

Each page asks `GET /api/v1/campaigns/{slug}/stock?market=..` every 4-6 s (one
answer per campaign and market, made at most every 2 s and shared through the cache).
Against a real `manage.py serve` (ASGI, 2 web processes, no job worker) on the demo
shop, wrk (2 threads, 16 connections, 5 s each, every request from an address of its
own through X-Forwarded-For with TRUSTED_PROXIES, as behind the load balancer) asks:

- `/healthz` (the floor: no database, no view work),
- the stock answer,
- `/api/v1/campaigns/current` (the whole campaign, what a page would otherwise poll).

Prints req/s, latency, server CPU per request from /proc, the ratios, and how many
viewers one core follows at one look every 5 s.

Run alone: .venv/bin/python bench/campaign_stock.py
Database: SQLite unless BENCH_DEMO_DATABASE_URL names a PostgreSQL database (emptied).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment, wait_until_up
from campaign_load import cpu_seconds, tree

LUA = """
request = function()
  local a = math.random(1, 250) .. "." .. math.random(1, 250) .. "." .. math.random(1, 250)
  return wrk.format("GET", nil, { ["X-Forwarded-For"] = "10." .. a })
end
"""
PATHS = {
    "healthz": "/healthz",
    "stock": "/api/v1/campaigns/super-brand-day/stock?market=CN",
    "campaign": "/api/v1/campaigns/current?market=CN&locale=zh-Hans",
}


def wrk(port: int, path: str, script: str) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", "-d5s", "--latency", "-s", script, f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def ms(label: str) -> float:
        found = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", out)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return {"requests": requests, "rate": rate, "p50": ms("50"), "p99": ms("99"),
            "bad": int(bad.group(1)) if bad else 0}  # fmt: skip


def main() -> None:
    env = demo_environment(ROOT)
    env["TRUSTED_PROXIES"] = "127.0.0.1"
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    script.write(LUA)
    script.close()
    port = 18000 + random.randrange(1000)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--no-worker"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        results = {}
        for name, path in PATHS.items():
            wrk(port, path, script.name)  # warm-up (and the first stock answer cached)
            before = cpu_seconds(tree(server.pid))
            figures = wrk(port, path, script.name)
            figures["cpu_ms"] = (
                (cpu_seconds(tree(server.pid)) - before) * 1000 / max(1, figures["requests"])
            )
            results[name] = figures
            print(f"{name:9s} {figures['rate']:7.0f} req/s  p50 {figures['p50']:7.1f} ms  "
                  f"p99 {figures['p99']:7.1f} ms  non-2xx {figures['bad']}  "
                  f"server CPU {figures['cpu_ms']:.2f} ms/request")  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    stock, floor, whole = results["stock"], results["healthz"], results["campaign"]
    print(f"ratio stock/healthz   CPU per request {stock['cpu_ms'] / floor['cpu_ms']:.2f}x, "
          f"req/s {stock['rate'] / floor['rate']:.2f}x")  # fmt: skip
    print(f"ratio stock/campaign  CPU per request {stock['cpu_ms'] / whole['cpu_ms']:.2f}x, "
          f"req/s {stock['rate'] / whole['rate']:.2f}x")  # fmt: skip
    print(f"viewers one core follows at one look every 5 s: {5000 / stock['cpu_ms']:.0f} "
          f"(the whole campaign answer instead: {5000 / whole['cpu_ms']:.0f})")  # fmt: skip


if __name__ == "__main__":
    main()
