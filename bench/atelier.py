"""Lead-time promise with 10,000 bags in the workshop's queue (issue 7; goal <= 50 ms).

The planner walks the queue and the working days once. The baseline, in the
same run, is the obvious per-bag loop: for each bag, walk the days from
tomorrow until its cumulative hours are covered (measured on the first 1,000
bags, since it grows with bags x days).

Run alone: .venv/bin/python bench/atelier.py
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from PIL import Image

from trunkshow.engines.atelier import Artisan, Workshop, plan_queue, promise
from trunkshow.engines.sheets import (
    ColourRow,
    Colours,
    Facts,
    Heading,
    Picture,
    Sheet,
    Steps,
    render_pdf,
)

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
    spec_sheet_figures()


def spec_sheet_figures() -> None:
    """A spec sheet is made once per work order and language, then served from its file."""
    preview = io.BytesIO()
    Image.new("RGB", (640, 640), "#E9DFD3").save(preview, "PNG")
    rows = tuple(ColourRow(f"区域 {i}", "#2C9D59", "3 份黄 + 1 份蓝") for i in range(6))
    sheet = Sheet(
        title="规格单 · 订单 TS-1",
        language="zh-Hans",
        blocks=[
            Picture(preview.getvalue(), 82, "预览", Facts((("订单号", "TS-1"),))),
            Heading("颜色与配方"),
            Colours(("位置", "颜色", "配方"), rows),
            Steps(("从最浅的区域开始涂。",) * 3),
        ],
    )
    times = []
    for _ in range(5):
        started = time.perf_counter()
        pdf = render_pdf(sheet)
        times.append((time.perf_counter() - started) * 1000)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as cached:
        cached.write(pdf)
        cached.flush()
        reads = []
        for _ in range(50):
            started = time.perf_counter()
            Path(cached.name).read_bytes()
            reads.append((time.perf_counter() - started) * 1000)
    made, served = statistics.median(times), statistics.median(reads)
    print(f"spec sheet PDF (zh, A4, CJK subset embedded): {len(pdf) / 1024:.0f} KB, "
          f"made p50 {made:.0f} ms, served from its file p50 {served:.2f} ms "
          f"(ratio {made / served:.0f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
