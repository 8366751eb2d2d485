"""Lead-time promise with 10,000 bags in the workshop's queue (issue 7; goal <= 50 ms).

The planner walks the queue and the working days once. The baseline, in the
same run, is the obvious per-bag loop: for each bag, walk the days from
tomorrow until its cumulative hours are covered (measured on the first 1,000
bags, since it grows with bags x days).

Run alone: .venv/bin/python bench/atelier.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from trunkshow.engines.atelier import Artisan, Workshop, plan_queue, promise

QUEUED = 10_000


def naive_finish(workshop: Workshop, efforts: list[float], start: date) -> list[date]:
    finish = []
    needed = 0.0
    for effort in efforts:
        needed += effort
        day, covered = start - timedelta(days=1), 0.0
        while covered < needed:
            day += timedelta(days=1)
            covered += workshop.capacity(day)
        finish.append(day)
    return finish


def main() -> None:
    rng = random.Random(7)
    week = (7.5, 7.5, 7.5, 7.5, 7.5, 4.0, 0.0)
    artisans = tuple(
        Artisan(f"artisan-{i}", week, frozenset(date(2027, 1, 1) + timedelta(days=rng.randrange(365))
                                               for _ in range(20)))
        for i in range(20)
    )  # fmt: skip
    workshop = Workshop(
        "Asia/Shanghai", artisans, frozenset({date(2027, 2, 17), date(2027, 10, 1)})
    )
    efforts = [round(rng.uniform(2.0, 7.0), 2) for _ in range(QUEUED)]
    now = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)

    promise(workshop, efforts, 4.5, now=now)  # warm-up
    times = []
    for _ in range(21):
        started = time.perf_counter()
        ship, days = promise(workshop, efforts, 4.5, now=now)
        times.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(times)
    print(f"queue {QUEUED:,} bags, {len(artisans)} artisans: promise {ship} ({days} days)")
    print(
        f"lead-time computation p50 {p50:.1f} ms  p99 {max(times):.1f} ms  (goal <= 50 ms: {'met' if p50 <= 50 else 'MISSED'})"
    )

    sample = efforts[:1000]
    start = workshop.local_today(now) + timedelta(days=1)
    started = time.perf_counter()
    slow = naive_finish(workshop, sample, start)
    naive_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    fast = plan_queue(workshop, sample, now=now).finish
    ours_ms = (time.perf_counter() - started) * 1000
    assert list(fast) == slow, "the planner and the baseline disagree"
    print(f"first 1,000 bags: planner {ours_ms:.1f} ms, per-bag day walk {naive_ms:.1f} ms")
    print(f"ratio baseline / planner {naive_ms / ours_ms:.0f}x")


if __name__ == "__main__":
    main()
