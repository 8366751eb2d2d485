"""Faults under load on the scale-out configuration (issue 28, point 6).

`manage.py serve` (2 web processes, RQ workers, the database worker) on
PostgreSQL and a Redis of its own (a redis-server this script starts, with
no persistence, so a restart loses every queued RQ job), a fresh demo shop,
and the locust campaign-day journey (bench/load/locustfile.py) running
headless. During the run, in this order:

1. kill -9 one web process (Granian's worker),
2. kill -9 the RQ video worker and the render it was running (its group),
3. restart Redis (stop, 2 s down, start empty),
4. drop every PostgreSQL connection of the database (pg_terminate_backend).

A probe asks the product list every 0.25 s throughout. Then, after the load,
the script waits for the site to settle by itself and checks:

- every order answered 201 exists exactly once, paid, with one captured
  payment; no cart paid twice;
- every result answered 200 reopens with 200;
- every video those results asked for is delivered (ready, its film
  answers 200) from one message row per result; renders run again after a
  kill are counted (they write the same files);
- every 503 carried Retry-After, no probe waited past PROBE_HANG seconds,
  and no answer was a 500;
- the killed processes came back (serve restarts a worker, Granian a web
  process) and the queues drained.

Prints what it checked with counts; exits 1 if a check failed.

Run alone: .venv/bin/python bench/faults.py [--users 12] [--seconds 60]
  [--database postgres://postgres@127.0.0.1:5432/h_scale_faults] [--redis-port 8590]
The database named is emptied first.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment, wait_until_up
from campaign_load import tree

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/h_scale_faults"
PROBE_HANG = 10.0  # seconds: a probe waiting longer counts as a hung request
STALL = 90.0  # seconds without a video delivered before the drill stops waiting
PAID = {"paid", "fulfilling", "shipped", "delivered"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def web_workers(root: int) -> list[int]:
    """Granian's worker processes: the granian processes whose parent is a granian process."""
    pids = [pid for pid in tree(root) if "granian" in cmdline(pid)]
    return [pid for pid in pids if parent(pid) in pids]


def rq_video_workers(root: int) -> list[int]:
    """RQ workers of the video queue (serve's children; their forked job processes excluded)."""
    return [pid for pid in tree(root)
            if " rqworker " in cmdline(pid) and cmdline(pid).rstrip().endswith(" video")
            and parent(pid) == root]  # fmt: skip


def fetch(url: str, timeout: float = 30.0) -> tuple[int, str | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, response.headers.get("Retry-After"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After"), b""
    except OSError:
        return 0, None, b""


class Redis:
    """A redis-server of the drill's own, without persistence: a restart starts it empty."""

    def __init__(self, port: int) -> None:
        self.port, self.process = port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_timeout=1).ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Probe(threading.Thread):
    """The product list every 0.25 s: (time, status, Retry-After, seconds waited)."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.url, self.running, self.answers = f"{base}/api/v1/products?market=CN", True, []

    def run(self) -> None:
        while self.running:
            started = time.monotonic()
            status, retry_after, _ = fetch(self.url, timeout=PROBE_HANG * 3)
            self.answers.append((started, status, retry_after, time.monotonic() - started))
            time.sleep(0.25)


def terminate_connections(database: str) -> int:
    import psycopg

    name = database.rsplit("/", 1)[1]
    with psycopg.connect(database.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


def read_log(path: Path) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {"result": [], "order": [], "unavailable": []}
    for line in path.read_text().splitlines():
        kind, *rest = line.split()
        found.setdefault(kind, []).append(rest)
    return found


def drill(users: int, seconds: int, database: str, redis_port: int, lease: int) -> int:
    checks: list[tuple[str, bool, str]] = []

    def check(what: str, ok: bool, detail: str) -> None:
        checks.append((what, ok, detail))
        print(f"{'ok    ' if ok else 'FAILED'} {what}: {detail}", flush=True)

    redis_server = Redis(redis_port)
    redis_server.start()
    work = Path(tempfile.mkdtemp(prefix="trunkshow-faults-"))
    log = work / "answers.log"
    os.environ["BENCH_DEMO_DATABASE_URL"] = database
    os.environ.pop("REDIS_URL", None)
    started_at = time.monotonic()
    env = {
        **demo_environment(ROOT),
        "REDIS_URL": redis_server.url,
        # One address for every simulated shopper: the limits are not under test.
        "RATELIMIT_ENABLE": "0", "HOLD_MAX_CARTS_PER_ADDRESS": "100000",
        "HOLD_MAX_UNITS_PER_ADDRESS": "100000", "VIDEO_RENDER_LIMIT": "0",
        "LOG_LEVEL": "WARNING",
        # The drill's clock, shortened: the sweep every 3 s takes over a render
        # whose worker died once its lease ends, and asks again for a render
        # whose RQ job Redis lost once it has waited STALE seconds.
        "PERIODIC_TASK_SECONDS": "3", "VIDEO_RENDER_LEASE_SECONDS": str(lease),
        "VIDEO_RENDER_STALE_SECONDS": str(6 * lease),
    }  # fmt: skip
    print(f"demo shop on PostgreSQL ready in {time.monotonic() - started_at:.0f} s", flush=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve_log = (work / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "2"],
        cwd=ROOT, env=env, stdout=serve_log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    probe = Probe(base)
    try:
        wait_until_up(f"{base}/healthz", timeout=90)
        probe.start()
        prefix = work / "locust"
        locust = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/load/locustfile.py"),
             "--headless", "-u", str(users), "-r", str(max(1, users // 3)), "-t", f"{seconds}s",
             "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR",
             "--stop-timeout", "15"],
            cwd=ROOT, env={**os.environ, "JOURNEY_LOG": str(log)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        t0 = time.monotonic()
        faults: list[tuple[str, float]] = []

        def at(fraction: float) -> None:
            time.sleep(max(0.0, t0 + fraction * seconds - time.monotonic()))

        at(0.2)
        victim = random.choice(web_workers(server.pid))
        os.kill(victim, signal.SIGKILL)
        faults.append((f"kill -9 web process {victim}", time.monotonic()))
        at(0.35)
        rq_victim = rq_video_workers(server.pid)[0]
        os.killpg(rq_victim, signal.SIGKILL)  # the worker and the render it forked
        faults.append((f"kill -9 RQ video worker {rq_victim} and its job", time.monotonic()))
        at(0.5)
        redis_server.stop()
        faults.append(("Redis stopped", time.monotonic()))
        time.sleep(2)
        redis_server.start()
        faults.append(("Redis started again, empty", time.monotonic()))
        at(0.65)
        dropped = terminate_connections(database)
        faults.append((f"PostgreSQL dropped {dropped} connections", time.monotonic()))
        for what, when in faults:
            print(f"fault at {when - t0:5.1f} s: {what}", flush=True)
        locust.wait(timeout=seconds + 60)
        load_ended = time.monotonic()

        # --- Recovery, by itself -------------------------------------------------
        last_fault = faults[-1][1]
        recovered = next((t for t, status, _, _ in probe.answers
                          if t > last_fault and status == 200), None)  # fmt: skip
        check("the site answers 200 again after the last fault", recovered is not None,
              f"{(recovered - last_fault):.1f} s after it" if recovered else "never")  # fmt: skip
        workers_now = web_workers(server.pid)
        check("Granian started a web process in place of the killed one",
              len(workers_now) == 2 and victim not in workers_now, f"web processes {workers_now}")  # fmt: skip
        rq_now = rq_video_workers(server.pid)
        check("serve started the RQ video worker again",
              bool(rq_now) and rq_victim not in rq_now, f"RQ video workers {rq_now}")  # fmt: skip

        # --- Availability while down ------------------------------------------
        answers = probe.answers
        statuses: dict[int, int] = {}
        for _, status, _, _ in answers:
            statuses[status] = statuses.get(status, 0) + 1
        unavailable = [a for a in answers if a[1] == 503]
        check("every probe 503 carried Retry-After", all(a[2] for a in unavailable),
              f"{len(answers)} probes: {dict(sorted(statuses.items()))}")  # fmt: skip
        slowest = max((a[3] for a in answers), default=0.0)
        check(f"no probe waited past {PROBE_HANG:.0f} s", slowest < PROBE_HANG,
              f"slowest {slowest:.2f} s")  # fmt: skip
        check("no probe answered 500 or went unanswered", not statuses.get(500) and not statuses.get(0),
              f"500: {statuses.get(500, 0)}, no answer: {statuses.get(0, 0)}")  # fmt: skip
        logged = read_log(log)
        shopper_503 = logged.get("unavailable", [])
        check("every 503 the shoppers met carried Retry-After",
              all(hint != "None" for _, hint in shopper_503), f"{len(shopper_503)} met")  # fmt: skip
        with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
            failures = list(csv.DictReader(handle))
        server_errors = sum(int(f["Occurrences"]) for f in failures
                            if "500" in f["Error"] and "503" not in f["Error"])  # fmt: skip
        by_error: dict[str, int] = {}
        for f in failures:
            key = f["Error"].split("for url")[0][:60]
            by_error[key] = by_error.get(key, 0) + int(f["Occurrences"])
        check("shoppers met no 500", server_errors == 0, f"locust failures {by_error or 'none'}")
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            stats = {(row["Type"], row["Name"]): row for row in csv.DictReader(handle)}
        journeys = int(stats.get(("JOURNEY", "complete"), {}).get("Request Count", 0))
        failed = int(stats.get(("JOURNEY", "failed"), {}).get("Request Count", 0))
        total = stats.get(("", "Aggregated"), {})
        print(
            f"load: {users} users, {seconds} s, {total.get('Request Count', 0)} requests, "
            f"{journeys} journeys completed, {failed} cut short by a fault",
            flush=True,
        )

        # --- Nothing lost -----------------------------------------------------
        import psycopg

        with psycopg.connect(database, autocommit=True) as conn:
            order_ids = [row[0] for row in logged["order"]]
            stored = dict(conn.execute(
                "SELECT public_id, status FROM commerce_order WHERE public_id = ANY(%s)",
                (order_ids,)).fetchall())  # fmt: skip
            missing = [o for o in order_ids if o not in stored]
            unpaid = [o for o, s in stored.items() if s not in PAID]
            check("every order answered 201 is stored, paid",
                  not missing and not unpaid and len(set(order_ids)) == len(order_ids),
                  f"{len(order_ids)} answered, {len(stored)} stored, missing {len(missing)}, "
                  f"unpaid {len(unpaid)}")  # fmt: skip
            twice = conn.execute(
                "SELECT count(*) FROM (SELECT order_id FROM commerce_payment WHERE status = 'captured'"
                " GROUP BY order_id HAVING count(*) > 1) t").fetchone()[0]  # fmt: skip
            carts_twice = conn.execute(
                "SELECT count(*) FROM (SELECT cart_id FROM commerce_order WHERE cart_id IS NOT NULL"
                " AND status <> 'cancelled' GROUP BY cart_id HAVING count(*) > 1) t").fetchone()[0]  # fmt: skip
            all_orders = conn.execute("SELECT count(*) FROM commerce_order").fetchone()[0]
            check("no order charged twice, no cart ordered twice", twice == 0 and carts_twice == 0,
                  f"orders with 2+ captured payments {twice}, carts with 2+ orders {carts_twice}; "
                  f"{all_orders} orders stored in all ({all_orders - len(stored)} whose answer "
                  f"never reached the shopper)")  # fmt: skip

        results = logged["result"]
        reopened = {}
        for result_id, _video in results:
            status = fetch(f"{base}/api/v1/quiz-results/{result_id}?locale=en")[0]
            reopened[status] = reopened.get(status, 0) + 1
        check("every result answered 200 reopens with 200", set(reopened) <= {200},
              f"{len(results)} results: {reopened}")  # fmt: skip

        # Renders: a killed render is taken over when its lease ends, a job Redis
        # lost is asked for again by the sweep; wait for them, then look.
        tokens = sorted({video for _, video in results if video != "-"})
        # One render worker on a shared 2-core machine ends the load with a backlog:
        # wait while it shrinks, give up after STALL seconds without progress.
        pending, progress_at = list(tokens), time.monotonic()
        while pending and time.monotonic() - progress_at < STALL:
            left = [t for t in pending if json.loads(
                fetch(f"{base}/api/v1/videos/{t}")[2] or b"{}").get("status") != "ready"]  # fmt: skip
            if len(left) < len(pending):
                progress_at = time.monotonic()
            pending = left
            if pending:
                time.sleep(2)
        settled = time.monotonic() - load_ended
        check("every video asked for is delivered", not pending,
              f"{len(tokens)} videos ready {settled:.0f} s after the load, {len(pending)} not")  # fmt: skip
        films_ok = 0
        for token in sorted(set(tokens) - set(pending)):
            payload = json.loads(fetch(f"{base}/api/v1/videos/{token}")[2] or b"{}")
            url = payload.get("mp4_url") or payload.get("url") or payload.get("video_url")
            if url and fetch(url if url.startswith("http") else base + url)[0] == 200:
                films_ok += 1
        check("every ready video's film answers 200", films_ok == len(tokens) - len(pending),
              f"{films_ok} films")  # fmt: skip
        with psycopg.connect(database, autocommit=True) as conn:
            per_result = conn.execute(
                "SELECT count(*) FROM quiz_quizresult r JOIN video_videomessage m "
                "ON m.id = r.video_message_id WHERE r.public_id = ANY(%s)",
                ([r for r, _ in results],)).fetchone()[0]  # fmt: skip
            rows = conn.execute(
                "SELECT count(*) FROM video_videomessage WHERE token = ANY(%s)", (tokens,)
            ).fetchone()[0]
            again = conn.execute(
                "SELECT count(*), coalesce(max(attempts), 0) FROM video_videomessage "
                "WHERE token = ANY(%s) AND attempts > 1", (tokens,)).fetchone()  # fmt: skip
            jobs = dict(conn.execute(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
            ).fetchall())  # fmt: skip
        check("one video message per result, one row per video", rows == len(tokens),
              f"{per_result} results with a video, {rows} message rows for {len(tokens)} videos; "
              f"{again[0]} rendered again after a fault (same files), at most {again[1]} attempts")  # fmt: skip
        import redis
        from rq import Queue
        from rq.registry import FailedJobRegistry

        connection = redis.Redis.from_url(redis_server.url)
        waiting = {q: len(Queue(q, connection=connection)) for q in ("video", "previews", "emails")}
        failed_rq = {q: len(FailedJobRegistry(q, connection=connection))
                     for q in ("video", "previews", "emails")}  # fmt: skip
        check("the queues drained", not any(waiting.values()) and not jobs.get("READY"),
              f"RQ waiting {waiting}, RQ failed {failed_rq}; database queue {jobs}")  # fmt: skip
        restarts = [line for line in (work / "serve.log").read_text(errors="replace").splitlines()
                    if "starting it again" in line]  # fmt: skip
        print(f"serve: {len(restarts)} restart(s): {'; '.join(restarts)}")
    finally:
        probe.running = False
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        redis_server.stop()
    bad = [what for what, ok, _ in checks if not ok]
    print(f"checks: {len(checks) - len(bad)} of {len(checks)} met"
          + (f"; FAILED: {', '.join(bad)}" if bad else ""))  # fmt: skip
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--redis-port", type=int, default=8590)
    parser.add_argument("--lease", type=int, default=10, help="render lease, seconds")
    args = parser.parse_args()
    return drill(args.users, args.seconds, args.database, args.redis_port, args.lease)


if __name__ == "__main__":
    raise SystemExit(main())
