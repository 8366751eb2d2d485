"""The paint engine's goals (issues 6 and 25), against baselines measured in the same run.

1. Mixes per second on one core: Kubelka-Munk mixtures of random kit recipes,
   reflectance to XYZ, vectorized (goal >= 1,000,000/s), against mixing one
   at a time through the public `mix()` call.
2. Recipe solve time for random target colours (goal p50 <= 20 ms) and its
   CIEDE2000 gap to an exhaustive search over the same recipes (goal <= 0.1).
3. Issue 25: the demo card's fit residual and leave-one-out error (goals:
   mean <= 2 and <= 3 dE00), one `mix()` call's latency (goal <= 50 us), and
   the L*/C*/hue of the mixes the issue names.
4. With --against REV (issue 25 names f81a463, the code before it): the
   engine figures of that commit, checked out with `git worktree` and run in
   turns with this checkout in the same minutes, printed side by side.

Run alone: .venv/bin/python bench/paint.py [--against f81a463]
"""

from __future__ import annotations

import os

# One core, as the goal says: no BLAS worker threads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from trunkshow.engines.paint import DIY_KIT, mix, solve
from trunkshow.engines.paint.colour_space import (
    delta_e_2000,
    lab_from_xyz,
    weights,
    xyz_from_srgb,
)
from trunkshow.engines.paint.model import mix_tristimulus, rgb_of
from trunkshow.engines.paint.solver import _table

ROOT = Path(__file__).resolve().parent.parent
DEMO_CARD = ROOT / "trunkshow/demo/paint/demo-kit-card.yaml"

# Engine figures of any checkout (this one or --against REV), as JSON: only the
# public API both have (`mix`, `DIY_KIT`, `mix_tristimulus`), run in a fresh
# interpreter with that checkout first on the path.
PROBE = r"""
import os, sys, json, time, statistics
for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = "1"
sys.path.insert(0, sys.argv[1])
import numpy as np
from trunkshow.engines.paint import DIY_KIT, mix
from trunkshow.engines.paint.colour_space import lab_from_xyz, weights, xyz_from_srgb
from trunkshow.engines.paint.model import mix_tristimulus, rgb_of
table = DIY_KIT.table if hasattr(DIY_KIT, "table") else np.stack([p.curve for p in DIY_KIT.paints])
rng = np.random.default_rng(7)
batch = rng.integers(0, 6, size=(200_000, 4)).astype(np.float64)
batch[batch.sum(axis=1) == 0, 3] = 1
w = weights()
mix_tristimulus(table, batch[:10_000], w)
rates = []
for _ in range(5):
    t = time.perf_counter(); mix_tristimulus(table, batch, w)
    rates.append(len(batch) / (time.perf_counter() - t))
singles = [dict(zip(DIY_KIT.keys, map(int, row))) for row in batch[:3000]]
mix(singles[0])
t = time.perf_counter()
for parts in singles:
    mix(parts)
single_us = (time.perf_counter() - t) / len(singles) * 1e6
def lch(parts):
    l, a, b = lab_from_xyz(xyz_from_srgb(rgb_of(mix(parts))))
    return [round(float(l), 1), round(float(np.hypot(a, b)), 1),
            round(float(np.degrees(np.arctan2(b, a)) % 360), 1)]
named = {k: lch(v) for k, v in {
    "red 1:1 white": {"red": 1, "white": 1}, "red + blue 1:1": {"red": 1, "blue": 1},
    "blue 1:1 white": {"blue": 1, "white": 1}, "blue + yellow 1:1": {"blue": 1, "yellow": 1},
    "yellow 1:3 white": {"yellow": 1, "white": 3}}.items()}
print(json.dumps({"vector": statistics.median(rates), "single_us": single_us, "named": named}))
"""
GOALS = {
    "red 1:1 white": ("L* >= 62", lambda lch: lch[0] >= 62),
    "red + blue 1:1": ("C* >= 8, hue 260-340", lambda lch: lch[1] >= 8 and 260 <= lch[2] <= 340),
    "blue 1:1 white": ("L* >= 62", lambda lch: lch[0] >= 62),
    "blue + yellow 1:1": ("C* >= 30, hue 120-180",
                          lambda lch: lch[1] >= 30 and 120 <= lch[2] <= 180),
    "yellow 1:3 white": ("L* >= 85, hue 80-110", lambda lch: lch[0] >= 85 and 80 <= lch[2] <= 110),
}  # fmt: skip


def probe(root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(root)], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def bench_issue_25(against: str | None, rounds: int) -> None:
    """Fit residual, leave-one-out, one mix() call, and the named mixes; beside REV's."""
    import yaml

    from trunkshow.engines.paint.calibration import fit, leave_one_out, parse_card

    card = parse_card(yaml.safe_load(DEMO_CARD.read_text(encoding="utf-8")))
    started = time.perf_counter()
    result = fit(card)
    fit_s = time.perf_counter() - started
    loo = leave_one_out(card, result)
    loo_mean = sum(e for _l, e in loo) / len(loo)
    print(f"demo card fit ({result.mode}, {len(card.swatches)} swatches) in {fit_s:.2f} s: "
          f"residual mean {result.mean_residual:.2f} max {result.max_residual:.2f} dE00"
          f"  (goal mean <= 2: {'met' if result.mean_residual <= 2 else 'MISSED'})")  # fmt: skip
    print("leave-one-out (two-colour mixes): "
          + ", ".join(f"{label} {e:.2f}" for label, e in loo)
          + f"; mean {loo_mean:.2f} dE00  (goal <= 3: {'met' if loo_mean <= 3 else 'MISSED'})")  # fmt: skip
    checkout = None
    if against:
        checkout = Path(tempfile.mkdtemp(prefix="trunkshow-against-")) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-f", str(checkout), against],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        ours, theirs = [], []
        for _ in range(rounds):  # in turns, so both meet the same minutes of the machine
            ours.append(probe(ROOT))
            if checkout is not None:
                theirs.append(probe(checkout))

        def med(runs: list[dict], key: str) -> float:
            return statistics.median(r[key] for r in runs)

        label = against or "-"
        print(f"{'':34} {'this checkout':>16} {label:>16}")
        for key, name, fmt in (("vector", "mixes/s vectorized (one core)", "{:16,.0f}"),
                               ("single_us", "one mix() call, us", "{:16.1f}")):  # fmt: skip
            before = fmt.format(med(theirs, key)) if theirs else f"{'-':>16}"
            print(f"{name:34} {fmt.format(med(ours, key))} {before}")
        single = med(ours, "single_us")
        print(
            f"one mix() call goal <= 50 us: {'met' if single <= 50 else 'MISSED'}"
            + (f"; ratio {label}/this {med(theirs, 'single_us') / single:.1f}x" if theirs else "")
        )
        print(
            f"vectorized goal >= 1,000,000/s: "
            f"{'met' if med(ours, 'vector') >= 1_000_000 else 'MISSED'}"
        )
        print(f"{'mix (L*, C*, hue) CIELAB D65':34} {'this checkout':>22} {label:>22}  goal")
        for key, (goal, check) in GOALS.items():
            mine = ours[-1]["named"][key]
            before = theirs[-1]["named"][key] if theirs else "-"
            print(
                f"{key:34} {mine!s:>22} {before!s:>22}  {goal}: "
                f"{'met' if check(mine) else 'MISSED'}"
            )
    finally:
        if checkout is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT,
                           check=False)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", metavar="REV", help="also measure this commit, in turns")
    parser.add_argument("--rounds", type=int, default=3, help="turns each with --against")
    args = parser.parse_args()
    bench_issue_25(args.against, args.rounds)
    rng = np.random.default_rng(7)
    curves = DIY_KIT.table
    batch = rng.integers(0, 6, size=(200_000, 4)).astype(np.float64)
    batch[batch.sum(axis=1) == 0, 3] = 1
    w = weights()
    mix_tristimulus(curves, batch[:10_000], w)  # warm-up
    rates = []
    for _ in range(5):
        started = time.perf_counter()
        mix_tristimulus(curves, batch, w)
        rates.append(len(batch) / (time.perf_counter() - started))
    vector_rate = statistics.median(rates)

    singles = [dict(zip(DIY_KIT.keys, map(int, row), strict=True)) for row in batch[:2000]]
    started = time.perf_counter()
    for parts in singles:
        mix(parts)
    single_rate = len(singles) / (time.perf_counter() - started)
    goal = "met" if vector_rate >= 1_000_000 else "MISSED"
    print(
        f"mixes per second, vectorized (one core)   {vector_rate:12,.0f}  (goal >= 1,000,000: {goal})"
    )
    print(f"mixes per second, one mix() call at a time {single_rate:11,.0f}")
    print(f"ratio vectorized / one at a time           {vector_rate / single_rate:12.0f}x")

    solve("#808080")  # builds the recipe table once
    targets = [f"#{random.Random(i).randrange(0x1000000):06X}" for i in range(300)]
    times = []
    for target in targets:
        started = time.perf_counter()
        solve(target)
        times.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(times)
    print(f"recipe solve p50 {p50:.2f} ms  p99 {sorted(times)[int(0.99 * len(times))]:.2f} ms"
          f"  (goal p50 <= 20 ms: {'met' if p50 <= 20 else 'MISSED'})")  # fmt: skip

    parts, lab, _hexes = _table(DIY_KIT.key)
    gaps = []
    for target in targets[:40]:
        target_lab = lab_from_xyz(xyz_from_srgb(rgb_of(target)))
        exhaustive = min(float(delta_e_2000(target_lab, row)) for row in lab)
        gaps.append(solve(target).delta_e - exhaustive)
    gap = max(gaps)
    print(f"CIEDE2000 gap to exhaustive search over {len(parts):,} recipes: max {gap:.3f}"
          f"  (goal <= 0.1: {'met' if gap <= 0.1 else 'MISSED'})")  # fmt: skip

    # Preview: the studio's renderer draws with Pillow at twice the size and
    # reduces (the baseline the goal names), so the ratio that matters is the
    # content-hash cache: a design seen before costs a file lookup.
    from trunkshow.demo.templates_data import TEMPLATES
    from trunkshow.engines.design.render import render_png
    from trunkshow.engines.design.schema import parse_design

    template = TEMPLATES[0]
    doc = parse_design(
        {"template": template["key"], "mode": "diy",
         "zones": {"body": "#2C9D59", "flap": "#FBE31E"},
         "strokes": [{"zone": "body", "color": "#D53D39", "width": 8,
                      "points": [[0.1 + i / 60, 0.55 + (i % 7) / 100] for i in range(40)]}] * 20,
         "stencil": {"x": 0.5, "y": 0.5, "scale": 1, "rotation": 15, "color": "#F3F4F2"},
         "monogram": "LJ"},
        zones=[z["key"] for z in template["zones"]],
    )  # fmt: skip
    render_png(template, doc)
    renders = []
    for _ in range(9):
        started = time.perf_counter()
        render_png(template, doc)
        renders.append((time.perf_counter() - started) * 1000)
    import tempfile

    cached = Path(tempfile.mkdtemp()) / "preview.png"
    cached.write_bytes(render_png(template, doc))
    hits = []
    for _ in range(200):
        started = time.perf_counter()
        cached.exists()
        hits.append((time.perf_counter() - started) * 1000)
    render_ms, hit_ms = statistics.median(renders), statistics.median(hits)
    print(f"preview render 640 px, 2x supersampled (Pillow, 20 strokes)  p50 {render_ms:.1f} ms")
    print(f"preview for a design seen before (content-hash cache hit)     p50 {hit_ms:.4f} ms")
    print(f"ratio render / cache hit  {render_ms / hit_ms:,.0f}x")


if __name__ == "__main__":
    main()
