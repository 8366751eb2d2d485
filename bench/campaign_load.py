"""The campaign-day journey under locust against `manage.py serve` (issue 28).

Starts the site as operators run it (`manage.py serve`: 2 web processes x 4
threads and its workers) on a fresh demo shop, on SQLite (the embedded
default) and, when PostgreSQL and Redis answer, on the scale-out
configuration (DATABASE_URL + REDIS_URL, RQ workers); runs
bench/load/locustfile.py headless for a bounded time and prints per journey
step: requests/s, p50/p95/p99, error rate; the server's CPU seconds per
completed journey (web and workers, from /proc); and the peak RSS of every
web and worker process, sampled through the run (goals: web <= 150 MiB,
worker <= 300 MiB, a render included). The ratio printed is the scale-out
configuration's journeys/s against the embedded default's, same users.

Run alone: .venv/bin/python bench/campaign_load.py [--users 20] [--seconds 40]
The highest rate within p99 <= 500 ms and 0 errors (scale-out configuration, users
rising on one server): .venv/bin/python bench/campaign_load.py --steps 1,2,4,8 --seconds 30
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment, wait_until_up

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/trunkshow_bench_load"
REDIS_DEFAULT = "redis://127.0.0.1:6379/7"
MIB = 1024 * 1024


def tree(root: int) -> list[int]:
    """The pids of `root` and all its descendants (serve's children have sessions of their own)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # Own time and that of children already waited for (RQ's forked job processes).
        total += sum(int(value) for value in fields[11:15]) / tick
    return total


def free_port() -> int:
    """A port nobody listens on (a random one may be another server's on a shared machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def role(pid: int) -> str | None:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    if "granian" in cmd:
        return "web"
    if "db_worker" in cmd or "rqworker" in cmd:
        return "worker"
    return None


class Sampler(threading.Thread):
    """Keep, per process of the server's tree, the largest resident set seen."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peaks, self.running = root, {}, True

    def run(self) -> None:
        while self.running:
            for pid in tree(self.root):
                kind = role(pid)
                if kind is None:
                    continue
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                hwm = next((int(line.split()[1]) * 1024 for line in status.splitlines()
                            if line.startswith("VmHWM:")), 0)  # fmt: skip
                self.peaks[pid] = (kind, max(hwm, self.peaks.get(pid, (kind, 0))[1]))
            time.sleep(0.5)


def run(label: str, env: dict[str, str], users: int, seconds: int) -> float:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    wait_until_up(f"http://127.0.0.1:{port}/healthz", timeout=90)
    sampler = Sampler(server.pid)
    sampler.start()
    prefix = Path(tempfile.mkdtemp(prefix="trunkshow-locust-")) / "run"
    try:
        cpu0 = cpu_seconds(tree(server.pid))
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/load/locustfile.py"),
             "--headless", "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
             "--loglevel", "ERROR", "--stop-timeout", "10"],
            cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(3)  # the renders queued last
        cpu = cpu_seconds(tree(server.pid)) - cpu0
    finally:
        sampler.running = False
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print(f"\n{label}: {users} users, {seconds} s")
    print(f"{'step':22} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>7}")
    journeys = 0
    for row in rows:
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        if row["Type"] == "JOURNEY" and row["Name"] == "complete":
            journeys = count
        name = f"{row['Type']} {row['Name']}" if row["Type"] == "JOURNEY" else row["Name"]
        print(f"{name:22} {float(row['Requests/s']):7.1f} {row['50%']:>6} {row['95%']:>6} "
              f"{row['99%']:>6} {failures / max(1, count):7.1%}")  # fmt: skip
    print(f"{label}: {journeys} journeys completed, server CPU {cpu / max(1, journeys):.2f} s per journey"
          f" (web and workers, {cpu:.0f} s in all)")  # fmt: skip
    for kind, goal in (("web", 150), ("worker", 300)):
        peaks = sorted(p for k, p in sampler.peaks.values() if k == kind)
        worst = peaks[-1] / MIB if peaks else float("nan")
        # RQ forks a process per job: many short-lived workers, shown as count and spread.
        shown = ", ".join(f"{p / MIB:.0f}" for p in peaks) if len(peaks) <= 6 else (
            f"{len(peaks)} processes, from {peaks[0] / MIB:.0f} to {worst:.0f}")  # fmt: skip
        print(f"{label}: peak RSS {kind} processes {shown} MiB"
              f" (goal <= {goal} MiB: {'met' if worst <= goal else 'MISSED'})")  # fmt: skip
    return journeys / seconds


def find_rate(label: str, env: dict[str, str], steps: list[int], seconds: int) -> None:
    """Rising users on one server: the highest journey rate with p99 <= 500 ms and 0 errors."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    best = None
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", timeout=90)
        print(f"\n{label}: rising users, {seconds} s each (goal: p99 <= 500 ms, 0 errors)")
        for users in steps:
            prefix = Path(tempfile.mkdtemp(prefix="trunkshow-locust-")) / "run"
            cpu0 = cpu_seconds(tree(server.pid))
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/load/locustfile.py"),
                 "--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
                 "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
                 "--loglevel", "ERROR", "--stop-timeout", "10"],
                cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            cpu = cpu_seconds(tree(server.pid)) - cpu0
            with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
                rows = {(r["Type"], r["Name"]): r for r in csv.DictReader(handle)}
            total = rows[("", "Aggregated")]
            journeys = int(rows.get(("JOURNEY", "complete"), {}).get("Request Count", 0))
            # The journey's own entry is the sum of its steps; the goal is per request.
            steps_only = [r for (kind, _), r in rows.items() if kind not in ("JOURNEY", "")]
            p99 = max((float(r["99%"]) for r in steps_only if r["99%"] != "N/A"), default=0.0)
            errors = sum(int(r["Failure Count"]) for r in steps_only)
            ok = p99 <= 500 and errors == 0 and journeys > 0
            print(f"{users:3d} users  {journeys / seconds:5.2f} journeys/s  "
                  f"{float(total['Requests/s']):6.1f} req/s  worst step p99 {p99:6.0f} ms  "
                  f"errors {errors}  server CPU {cpu / seconds:.2f} cores  "
                  f"{'within' if ok else 'OUT OF'} goal")  # fmt: skip
            if ok:
                best = (users, journeys / seconds, float(total["Requests/s"]))
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    if best:
        print(f"{label}: highest rate with p99 <= 500 ms and 0 errors: {best[1]:.2f} journeys/s "
              f"({best[2]:.1f} req/s, {best[0]} users)")  # fmt: skip
    else:
        print(f"{label}: no step held p99 <= 500 ms with 0 errors")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument(
        "--steps",
        help="users per step, e.g. 1,2,4,8: find the highest "
        "rate within p99 <= 500 ms and 0 errors (scale-out configuration)",
    )
    args = parser.parse_args()
    # One address for every simulated shopper: the limits would measure themselves.
    common = {"RATELIMIT_ENABLE": "0", "HOLD_MAX_CARTS_PER_ADDRESS": "100000",
              "HOLD_MAX_UNITS_PER_ADDRESS": "100000", "VIDEO_RENDER_LIMIT": "0",
              "PERIODIC_TASK_SECONDS": "30", "LOG_LEVEL": "WARNING"}  # fmt: skip
    os.environ.pop("BENCH_DEMO_DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    if args.steps:
        os.environ["BENCH_DEMO_DATABASE_URL"] = os.environ.get("BENCH_PG_URL", PG_DEFAULT)
        redis_url = os.environ.get("BENCH_REDIS_URL", REDIS_DEFAULT)
        env = {**demo_environment(ROOT), **common, "REDIS_URL": redis_url}
        steps = [int(n) for n in args.steps.split(",")]
        find_rate("PostgreSQL + Redis + RQ", env, steps, args.seconds)
        return 0
    embedded = run(
        "SQLite (embedded)", {**demo_environment(ROOT), **common}, args.users, args.seconds
    )

    pg, redis_url = (
        os.environ.get("BENCH_PG_URL", PG_DEFAULT),
        os.environ.get("BENCH_REDIS_URL", REDIS_DEFAULT),
    )
    try:
        import psycopg
        import redis

        psycopg.connect(pg.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        redis.Redis.from_url(redis_url, socket_timeout=2).flushdb()
    except Exception as exc:
        print(f"scale-out part skipped: {exc}")
        return 0
    os.environ["BENCH_DEMO_DATABASE_URL"] = pg
    env = {**demo_environment(ROOT), **common, "REDIS_URL": redis_url}
    scaled = run("PostgreSQL + Redis + RQ", env, args.users, args.seconds)
    print(f"\nratio journeys/s scale-out/embedded {scaled / max(embedded, 1e-9):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
