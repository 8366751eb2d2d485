"""A shopper's journey alone, then while one address hoards and another floods (issue 23).

A fresh demo shop (SQLite) is served by Granian (2 workers x 4 threads) with
the production defaults of every rate limit and hold cap. The shopper
speaks from its own loopback address (127.0.0.2): quiz result -> cart ->
add a recommended bag -> checkout with the sandbox card. Its journeys are
timed alone, then again while
- a hoarder from 127.0.0.3 opens carts and tries to hold 10 of every SKU,
  over and over, and
- Debian's wrk (32 connections, pinned to one core with taskset) floods
  POST /api/v1/quizzes/ask-the-designer/result from 127.0.0.1.
Prints both p50/p99, the ratio of the p99s (goal <= 1.5x), whether every
journey completed, and what the attackers were answered. With --ceiling the
flood asks for a static file Granian serves itself, without Python: the ratio
then is the best any refusal in the app could reach on this machine.

    .venv/bin/python bench/abuse.py [--journeys 40] [--seconds 30] [--ceiling]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _load import demo_environment, wait_until_up

ANSWERS = {
    "shoes": "sneakers", "workout": "running", "morning": "coffee", "getaway": "beach",
    "night-out": "gallery", "packing": "carry-on", "saturday": "market", "style": "classic",
}  # fmt: skip
ADDRESS = {
    "region": "上海市", "city": "上海市", "district": "静安区", "line1": "南京西路 1266 号",
    "postal_code": "200040", "country": "CN", "phone": "13800138000",
}  # fmt: skip
SHOPPER, HOARDER = "127.0.0.2", "127.0.0.3"
FLOOD_PATH = "/api/v1/quizzes/ask-the-designer/result"
CEILING_PATH = "/static/quiz/early.js"


class Client:
    """Keep-alive HTTP from one source address."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source = port, source
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                          source_address=(self.source, 0))  # fmt: skip

    def call(self, method: str, path: str, body: object = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict]:  # fmt: skip
        payload = json.dumps(body) if body is not None else None
        sent = (
            {"Content-Type": "application/json", **(headers or {})}
            if payload
            else dict(headers or {})
        )
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=payload, headers=sent)
                answer = self.conn.getresponse()
                data = answer.read()
                return answer.status, (json.loads(data) if data else {})
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = self._connect()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def journey(client: Client, n: int, tally: Counter) -> bool:
    """One shopper's way from the quiz to a paid order; True if it got there."""
    status, result = client.call("POST", "/api/v1/quizzes/ask-the-designer/result", {
        "answers": ANSWERS, "name": f"Lin {n}", "locale": "zh-Hans", "market": "CN",
        "personalised": True,
    })  # fmt: skip
    tally[f"result {status}"] += 1
    if status != 200:
        return False
    skus = [r["sku"] for r in result.get("recommendations", []) if r.get("in_stock", True)]
    status, cart = client.call("POST", "/api/v1/carts", {"market": "CN"})
    tally[f"cart {status}"] += 1
    if status != 201:
        return False
    for sku in skus:
        status, _ = client.call("POST", f"/api/v1/carts/{cart['id']}/lines",
                                {"sku": sku, "quantity": 1})  # fmt: skip
        tally[f"line {status}"] += 1
        if status == 201:
            break
    else:
        return False
    status, order = client.call(
        "POST", f"/api/v1/carts/{cart['id']}/checkout",
        {"email": f"lin{n}@example.com", "name": "林", "address": ADDRESS,
         "payment_token": "sandbox-ok"},
        headers={"Idempotency-Key": f"bench-{n}"},
    )  # fmt: skip
    tally[f"checkout {status}"] += 1
    return status == 201 and order.get("status") == "paid"


def journeys(port: int, count: int, first: int) -> tuple[list[float], int, Counter]:
    client = Client(port, SHOPPER)
    times, done, tally = [], 0, Counter()
    for n in range(first, first + count):
        started = time.perf_counter()
        ok = journey(client, n, tally)
        times.append((time.perf_counter() - started) * 1000)
        done += ok
        time.sleep(0.2)  # a person, not a loop: and it keeps under its own limits
    return times, done, tally


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def hoard(port: int, stop: threading.Event, tally: Counter) -> None:
    client = Client(port, HOARDER)
    _status, products = client.call("GET", "/api/v1/products?market=CN&locale=en")
    skus = [p["sku"] for p in products] if isinstance(products, list) else []
    while not stop.is_set():
        status, cart = client.call("POST", "/api/v1/carts", {"market": "CN"})
        tally[f"cart {status}"] += 1
        if status != 201:
            time.sleep(0.05)
            continue
        for sku in skus:
            if stop.is_set():
                break
            status, body = client.call("POST", f"/api/v1/carts/{cart['id']}/lines",
                                       {"sku": sku, "quantity": 10})  # fmt: skip
            tally[f"line {status} {body.get('code', '')}".strip()] += 1


def flood(port: int, seconds: int, path: str = FLOOD_PATH) -> subprocess.Popen:
    script = Path(tempfile.mkdtemp(prefix="trunkshow-wrk-")) / "flood.lua"
    body = json.dumps({"answers": ANSWERS, "name": "Bot", "locale": "zh-Hans", "market": "CN",
                       "personalised": True}, ensure_ascii=False)  # fmt: skip
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [[{body}]]\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        if path == FLOOD_PATH
        else "",  # --ceiling: a plain GET of a static file
        encoding="utf-8",
    )
    core = str((os.cpu_count() or 2) - 1)
    command = ["taskset", "-c", core, "wrk", "-t1", "-c32", f"-d{seconds}s", "-s", str(script),
               f"http://127.0.0.1:{port}{path}"]  # fmt: skip
    print("flood:", " ".join(command), flush=True)
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--journeys", type=int, default=40)
    parser.add_argument(
        "--seconds",
        type=int,
        default=300,
        help="longest the flood may last; it stops when the shopper is done",
    )
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="the flood asks for a small static file that Granian itself serves (Rust, "
        "no Python): no refusal by the app can cost less, so the ratio measured so is "
        "the best this server and machine allow",
    )
    args = parser.parse_args()
    if not shutil.which("wrk") or not shutil.which("taskset"):
        print("bench/abuse.py needs Debian's wrk and taskset")
        return 1
    env = demo_environment(ROOT)
    port = 8000 + random.Random().randint(1000, 8000)
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "wsgi", "--port", str(port),
         "--workers", os.environ.get("BENCH_WORKERS", "2"),
         "--blocking-threads", os.environ.get("BENCH_THREADS", "4"), "--no-ws",
         "--log-level", "warning",
         *(["--static-path-route", "/static",
            "--static-path-mount", str(Path(env["TRUNKSHOW_VAR_DIR"]) / "static")]
           if args.ceiling else []),
         "trunkshow.wsgi:application"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        journeys(port, 3, 0)  # warm-up: every process has its code and connections
        alone, alone_done, alone_tally = journeys(port, args.journeys, 100)
        print(
            f"alone:        p50 {percentile(alone, 0.5):7.1f} ms  p99 {percentile(alone, 0.99):7.1f} ms"
            f"  completed {alone_done}/{args.journeys}  {dict(alone_tally)}",
            flush=True,
        )

        stop, hoarded = threading.Event(), Counter()
        hoarder = threading.Thread(target=hoard, args=(port, stop, hoarded))
        wrk = flood(port, args.seconds, CEILING_PATH if args.ceiling else FLOOD_PATH)
        hoarder.start()
        time.sleep(3)  # the attack is under way, and past its limits, before the shopper comes
        attacked, attacked_done, attacked_tally = journeys(port, args.journeys, 1000)
        stop.set()
        wrk.send_signal(signal.SIGINT)  # wrk stops and prints what it saw
        hoarder.join()
        out, _ = wrk.communicate(timeout=30)
        print(
            f"under attack: p50 {percentile(attacked, 0.5):7.1f} ms  p99 {percentile(attacked, 0.99):7.1f} ms"
            f"  completed {attacked_done}/{args.journeys}  {dict(attacked_tally)}"
        )
        rps = re.search(r"Requests/sec:\s*([\d.]+)", out or "")
        non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out or "")
        total = re.search(r"(\d+) requests in", out or "")
        print(
            f"flood (wrk): {total.group(1) if total else '?'} requests, "
            f"{rps.group(1) if rps else '?'} req/s, non-2xx {non2xx.group(1) if non2xx else 0}"
        )
        print(f"hoarder answers: {dict(hoarded)}")
        ratio = percentile(attacked, 0.99) / percentile(alone, 0.99)
        met = ratio <= 1.5 and attacked_done == args.journeys and alone_done == args.journeys
        print(
            f"ratio p99 under attack / alone {ratio:.2f}x  (goal <= 1.5x and every journey "
            f"completed: {'MET' if met else 'MISSED'})"
        )
        return 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


if __name__ == "__main__":
    raise SystemExit(main())
