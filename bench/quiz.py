"""The quiz's performance figures, measured against baselines in the same run.

1. Engine: scoring + ranking for 5,000 products (goal <= 1 ms), against a
   plain-Python ranking of the same products (the baseline).
2. Server: POST /api/v1/quizzes/{slug}/result (scored, ranked, stored with
   its video message and render job in one transaction) against the
   trivial JSON endpoint /healthz on the same server, with p50/p99 latency
   and the server's CPU per request from /proc; also the API's own trivial
   endpoint (GET /api/v1/ping) for reference. Granian, 2 processes x 4
   threads, the SQLite demo database (BENCH_DEMO_DATABASE_URL names a
   PostgreSQL one instead); each shopper has their own name and random
   answers. The old goal (result >= 0.5x /healthz) is retired: see
   bench/README.md.
3. With --against REV the same server figures for another commit, checked
   out beside this one with `git worktree` and run in the same minutes,
   alternating with this one; the environment reaches both (WRITE_BEHIND=0
   made commits before the one-write-path change write in the request).

Run alone: .venv/bin/python bench/quiz.py [--seconds 5] [--skip-server] [--against REV]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment, run_load, wait_until_up

from trunkshow.engines.quiz import Candidate, CatalogIndex, parse_definition, rank, score
from trunkshow.engines.quiz.scoring import shopper_affinity

DEMO = ROOT / "trunkshow/demo/quizzes/ask-the-designer.yaml"
PRODUCTS = 5_000


def bench_engine(runs: int) -> None:
    definition = parse_definition(yaml.safe_load(DEMO.read_text(encoding="utf-8")))
    traits = list(definition.traits)
    rng = random.Random(7)
    candidates = [
        Candidate(f"SKU-{i:05d}", f"p{i // 3}", tuple(rng.sample(traits, rng.randint(1, 3))),
                  rng.choice([1.0, 1.0, 1.5, 2.0]), i)
        for i in range(PRODUCTS)
    ]  # fmt: skip
    sold_out = {c.sku for c in candidates if rng.random() < 0.3}
    index = CatalogIndex(candidates)

    def in_stock(skus):
        return [s for s in skus if s not in sold_out]

    answer_sets = [
        {q.key: rng.choice(q.answers).key for q in definition.questions} for _ in range(runs)
    ]

    def ours(answers):
        result = score(definition, answers)
        return rank(index, shopper_affinity(definition, result), in_stock=in_stock, limit=4)

    def naive(answers):
        result = score(definition, answers)
        affinity = shopper_affinity(definition, result)
        scored = sorted(
            candidates,
            key=lambda c: (
                -round(sum(max(0.0, affinity.get(t, 0.0)) for t in c.tags) * c.boost, 9),
                c.position,
            ),
        )
        picked, groups = [], set()
        for c in scored:
            if c.sku not in sold_out and c.group not in groups:
                picked.append(c)
                groups.add(c.group)
                if len(picked) == 4:
                    break
        return picked

    for answers in answer_sets[:50]:  # same answers, same picks
        a, b = [p.candidate.sku for p in ours(answers)], [c.sku for c in naive(answers)]
        assert a == b, (a, b, [p.score for p in ours(answers)])

    def timed(fn):
        times = []
        for answers in answer_sets:
            started = time.perf_counter()
            fn(answers)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), sorted(times)[int(0.99 * len(times))]

    ours_p50, ours_p99 = timed(ours)
    naive_p50, naive_p99 = timed(naive)
    print(f"engine: score + rank {PRODUCTS:,} products  p50 {ours_p50:.3f} ms  p99 {ours_p99:.3f} ms"
          f"  (goal <= 1 ms: {'met' if ours_p50 <= 1 else 'MISSED'})")  # fmt: skip
    print(f"engine: plain-Python baseline        p50 {naive_p50:.3f} ms  p99 {naive_p99:.3f} ms")
    print(f"ratio engine speed-up over baseline  {naive_p50 / ours_p50:.1f}x")


def process_tree_cpu(root_pid: int) -> float:
    """CPU seconds used so far by a process and its children (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid, pgid = int(entry.name), int(fields[1]), int(fields[2])
        if pid == root_pid or ppid == root_pid or pgid == root_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def bench_server(seconds: float, clients: int, root: Path = ROOT) -> float:
    """Print the server figures for the checkout at `root`; return its CPU ms per result."""
    env = demo_environment(root)
    port = 8000 + random.Random().randint(1000, 8000)
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "wsgi", "--port", str(port), "--workers", os.environ.get("BENCH_WORKERS", "2"),
         "--blocking-threads", os.environ.get("BENCH_THREADS", "4"), "--no-ws", "--log-level", "warning", "trunkshow.wsgi:application"],
        cwd=root, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        definition = parse_definition(yaml.safe_load(DEMO.read_text(encoding="utf-8")))
        shoppers = itertools.count()
        pick = random.Random(11)

        def body() -> bytes:
            # Every shopper has their own name, so every result asks for a new
            # video message (and its render job), as on a real campaign day;
            # and their own answers, drawn from every combination the quiz has.
            answers = {q.key: pick.choice(q.answers).key for q in definition.questions}
            return json.dumps({"answers": answers, "name": f"Lin {next(shoppers)}", "locale": "zh-Hans",
                               "market": "CN", "personalised": True}).encode()  # fmt: skip

        headers = {"Content-Type": "application/json"}
        path = "/api/v1/quizzes/ask-the-designer/result"
        run_load("127.0.0.1", port, "/healthz", clients=clients, seconds=1)
        run_load(
            "127.0.0.1",
            port,
            path,
            clients=clients,
            seconds=1,
            method="POST",
            body=body,
            headers=headers,
        )
        cpu0 = process_tree_cpu(server.pid)
        trivial = run_load("127.0.0.1", port, "/healthz", clients=clients, seconds=seconds)
        cpu1 = process_tree_cpu(server.pid)
        result = run_load("127.0.0.1", port, path, clients=clients, seconds=seconds, method="POST",
                          body=body, headers=headers)  # fmt: skip
        cpu2 = process_tree_cpu(server.pid)
        trivial_cpu = (cpu1 - cpu0) / max(1, trivial.requests) * 1000
        result_cpu = (cpu2 - cpu1) / max(1, result.requests) * 1000
        print(
            f"server: GET  /healthz           {trivial.summary()}  server CPU {trivial_cpu:.3f} ms/req"
        )
        print(
            f"server: POST .../result         {result.summary()}  server CPU {result_cpu:.3f} ms/req"
        )
        print(f"ratio server CPU per request trivial/result {trivial_cpu / result_cpu:.2f}x")
        ping = run_load("127.0.0.1", port, "/api/v1/ping", clients=clients, seconds=seconds)
        print(f"server: GET  /api/v1/ping        {ping.summary()}")
        ratio = result.per_second / trivial.per_second
        print(f"ratio result/trivial throughput {ratio:.2f}x")
        print(f"ratio result/api-ping throughput {result.per_second / ping.per_second:.2f}x"
              "  (for reference: the API's own floor)")  # fmt: skip
        return result_cpu
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


def bench_against(revision: str, seconds: float, clients: int, rounds: int) -> None:
    """This checkout and `revision` in turns, so both meet the same minutes of the machine."""
    checkout = Path(tempfile.mkdtemp(prefix="trunkshow-against-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(checkout), revision],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        ours, theirs = [], []
        for number in range(1, rounds + 1):
            print(f"--- round {number}: this checkout")
            ours.append(bench_server(seconds, clients))
            print(f"--- round {number}: {revision}")
            theirs.append(bench_server(seconds, clients, root=checkout))
        mine, before = statistics.median(ours), statistics.median(theirs)
        print(f"result server CPU ms/result, median of {rounds}: this {mine:.3f}, "
              f"{revision} {before:.3f}")  # fmt: skip
        print(f"ratio {revision}/this server CPU per result {before / mine:.2f}x"
              "  (above 1: this checkout is cheaper)")  # fmt: skip
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT,
                       check=False)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--against", metavar="REV", help="also measure this commit, in turns")
    parser.add_argument("--rounds", type=int, default=3, help="turns each with --against")
    args = parser.parse_args()
    bench_engine(args.runs)
    if args.against:
        bench_against(args.against, args.seconds, args.clients, args.rounds)
    elif not args.skip_server:
        bench_server(args.seconds, args.clients)


if __name__ == "__main__":
    main()
