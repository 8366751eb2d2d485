"""A shopper's journey alone, then while one address hoards and another floods (issue 23).

A fresh demo shop (SQLite) is served by Granian as `manage.py serve` serves
it (2 workers, ASGI; --interface wsgi for 4 threads each), with the
production defaults of every rate limit and hold cap. The shopper speaks
from its own loopback address (127.0.0.2): quiz result -> cart -> add a
recommended bag -> checkout with the sandbox card. Its journeys are timed
alone, then again while
- a hoarder from 127.0.0.3 opens carts and tries to hold 10 of every SKU,
  over and over, and
- Debian's wrk (32 connections, pinned to one core with taskset) floods
  POST /api/v1/quizzes/ask-the-designer/result from 127.0.0.1.

On a shared, noisy machine one alone/attack pair decides nothing, so the
pair is repeated --rounds times (alone, attack, alone, attack, ...), and
with --baseline another checkout (e.g. a worktree of the base commit, with
its own .venv) is served too, its rounds taking turns with this tree's in
the same minutes. Per tree it prints each round's p50/p99 and ratio of the
p99s, then the median of the per-round ratios (the goal: <= 1.5x) with its
min and max, the p99s of all rounds' journeys pooled, whether every journey
completed, and what the attackers were answered. With --ceiling the flood
asks for a static file Granian serves itself, without Python: the ratio then
is the best any refusal in the app could reach on this machine.

    .venv/bin/python bench/abuse.py [--rounds 4] [--journeys 25] [--baseline WORKTREE]
                                    [--interface asgi|wsgi] [--ceiling]
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
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
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


@dataclass
class Tree:
    """One checkout served for the run: this tree, or a baseline's worktree."""

    label: str
    root: Path
    port: int = 0
    server: subprocess.Popen | None = None
    alone: list[float] = field(default_factory=list)
    attacked: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    done: Counter = field(default_factory=Counter)
    floods: list[str] = field(default_factory=list)
    hoarded: Counter = field(default_factory=Counter)


def serve(tree: Tree, interface: str, ceiling: bool) -> None:
    python = str(tree.root / ".venv" / "bin" / "python")
    env = demo_environment(tree.root, python)
    tree.port = 8000 + random.Random().randint(1000, 8000)
    app = (
        ["--interface", "asginl", "trunkshow.asgi:application"]
        if interface == "asgi"
        else ["--interface", "wsgi", "--blocking-threads", os.environ.get("BENCH_THREADS", "4"),
              "trunkshow.wsgi:application"]
    )  # fmt: skip
    static = Path(env["TRUNKSHOW_VAR_DIR"]) / "static"
    tree.server = subprocess.Popen(
        [python, "-m", "granian", "--port", str(tree.port),
         "--workers", os.environ.get("BENCH_WORKERS", "2"), "--no-ws", "--log-level", "warning",
         *(["--static-path-route", "/static", "--static-path-mount", str(static)]
           if ceiling else []),
         *app],
        cwd=tree.root, env=env, start_new_session=True,
    )  # fmt: skip
    wait_until_up(f"http://127.0.0.1:{tree.port}/healthz")
    journeys(tree.port, 3, 0)  # warm-up: every process has its code and connections


def attack_phase(tree: Tree, count: int, first: int, ceiling: bool) -> list[float]:
    """The shopper's journeys while the hoarder and wrk's flood run; the attack
    starts 3 s before the shopper, so it is past its limits when the shopper comes."""
    stop = threading.Event()
    hoarder = threading.Thread(target=hoard, args=(tree.port, stop, tree.hoarded))
    wrk = flood(tree.port, 600, CEILING_PATH if ceiling else FLOOD_PATH)
    hoarder.start()
    time.sleep(3)
    times, done, tally = journeys(tree.port, count, first)
    stop.set()
    wrk.send_signal(signal.SIGINT)  # wrk stops and prints what it saw
    hoarder.join()
    out, _ = wrk.communicate(timeout=30)
    tree.done["attacked"] += done
    rps = re.search(r"Requests/sec:\s*([\d.]+)", out or "")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out or "")
    total = re.search(r"(\d+) requests in", out or "")
    tree.floods.append(
        f"{total.group(1) if total else '?'} requests, {rps.group(1) if rps else '?'} req/s, "
        f"non-2xx {non2xx.group(1) if non2xx else 0}"
    )
    if done != count:
        print(f"  {tree.label}: under attack {count - done} journeys failed: {dict(tally)}")
    return times


def p(values: list[float], q: float) -> float:
    return percentile(values, q) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4,
                        help="alone/attack pairs per tree, interleaved (ABAB)")  # fmt: skip
    parser.add_argument("--journeys", type=int, default=25, help="journeys per phase")
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="WORKTREE",
        help="another checkout (with its own .venv) measured in the same run, its rounds "
        "taking turns with this tree's; e.g. a `git worktree` of the base commit",
    )
    parser.add_argument("--interface", choices=["asgi", "wsgi"], default="asgi",
                        help="as `manage.py serve --interface` (asgi is its default)")  # fmt: skip
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
    trees = [Tree(_label(ROOT), ROOT)] + [
        Tree(_label(Path(b).resolve()), Path(b).resolve()) for b in args.baseline
    ]
    try:
        for tree in trees:
            serve(tree, args.interface, args.ceiling)
        n = 100
        for round_ in range(args.rounds):
            # Trees take turns, and which goes first alternates, so a burst of the
            # machine's other load falls on each about as often.
            order = trees if round_ % 2 == 0 else trees[::-1]
            for tree in order:
                alone, done, tally = journeys(tree.port, args.journeys, n)
                n += args.journeys
                tree.done["alone"] += done
                if done != args.journeys:
                    print(f"  {tree.label}: alone {args.journeys - done} failed: {dict(tally)}")
                attacked = attack_phase(tree, args.journeys, n, args.ceiling)
                n += args.journeys
                tree.alone += alone
                tree.attacked += attacked
                ratio = p(attacked, 0.99) / p(alone, 0.99)
                tree.ratios.append(ratio)
                print(
                    f"round {round_ + 1} {tree.label:>8}: alone p50 {p(alone, 0.5):6.0f} "
                    f"p99 {p(alone, 0.99):6.0f} ms | attack p50 {p(attacked, 0.5):6.0f} "
                    f"p99 {p(attacked, 0.99):6.0f} ms | ratio {ratio:5.2f}x | "
                    f"flood {tree.floods[-1]}",
                    flush=True,
                )
        print(f"\n{args.rounds} rounds x {args.journeys} journeys per phase, "
              f"interface {args.interface}{' (ceiling)' if args.ceiling else ''}")  # fmt: skip
        total = args.rounds * args.journeys
        for tree in trees:
            ratios = sorted(tree.ratios)
            pooled = p(tree.attacked, 0.99) / p(tree.alone, 0.99)
            every = tree.done["alone"] == total and tree.done["attacked"] == total
            met = statistics.median(ratios) <= 1.5 and every
            print(
                f"{tree.label:>8}: pooled alone p50 {p(tree.alone, 0.5):6.0f} p99 "
                f"{p(tree.alone, 0.99):6.0f} ms | attack p50 {p(tree.attacked, 0.5):6.0f} p99 "
                f"{p(tree.attacked, 0.99):6.0f} ms | pooled p99 ratio {pooled:.2f}x | "
                f"per-round ratio median {statistics.median(ratios):.2f}x "
                f"(min {ratios[0]:.2f}x, max {ratios[-1]:.2f}x) | completed "
                f"{tree.done['alone']}/{total} alone, {tree.done['attacked']}/{total} attacked | "
                f"goal median <= 1.5x and every journey: {'MET' if met else 'MISSED'}"
            )
            print(f"{'':>8}  hoarder answers: {dict(tree.hoarded)}")
        if len(trees) > 1:
            now, base = trees[0], trees[1]
            print(
                f"{now.label} vs {base.label}: median per-round ratio "
                f"{statistics.median(now.ratios):.2f}x vs {statistics.median(base.ratios):.2f}x; "
                f"attacked p99 {p(now.attacked, 0.99) / p(base.attacked, 0.99):.2f}x of base's"
            )
        return 0
    finally:
        for tree in trees:
            if tree.server is not None:
                os.killpg(tree.server.pid, signal.SIGTERM)
                try:
                    tree.server.wait(timeout=15)
                except subprocess.TimeoutExpired:  # keep-alive connections hold it open
                    os.killpg(tree.server.pid, signal.SIGKILL)
                    tree.server.wait(timeout=15)


def _label(root: Path) -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                          capture_output=True, text=True, check=False).stdout.strip()  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                           capture_output=True, text=True, check=False).stdout.strip()  # fmt: skip
    return head + ("+" if dirty else "")


if __name__ == "__main__":
    raise SystemExit(main())
