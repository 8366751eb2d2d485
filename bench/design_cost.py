"""A design's preview under its cost cap (issue 23, point 3), against the abuse report's drawing.

Draws, on one core, the preview of the drawing from the report (200 sponge
strokes of 100 points, 64 wide: refused now) and of drawings right at the
cap (engines/design/cost.py MAX_COST), and prints the time of each and the
ratio of the worst capped drawing to the refused one. The preview is drawn
by a job in any case; the cap bounds how long a job can take.

Run alone: .venv/bin/python bench/design_cost.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from trunkshow.engines.design.cost import MAX_COST, design_cost
from trunkshow.engines.design.render import render_png
from trunkshow.engines.design.schema import Design, parse_design

BOX = [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]]
TEMPLATE = {"key": "t", "outline": BOX, "zones": [{"key": "body", "path": BOX}]}


def drawing(strokes: int, points: int, width: float, tool: str, jump: float = 0.01) -> Design:
    rng = random.Random(1)
    raw = []
    for _ in range(strokes):
        x, y, path = rng.random(), rng.random(), []
        for _ in range(points):
            x = min(1.0, max(0.0, x + rng.uniform(-jump, jump)))
            y = min(1.0, max(0.0, y + rng.uniform(-jump, jump)))
            path.append([round(x, 4), round(y, 4)])
        raw.append({"zone": "body", "color": "#1F3A5F", "width": width, "tool": tool,
                    "points": path})  # fmt: skip
    return parse_design(
        {"template": "t", "mode": "artisan", "zones": {}, "strokes": raw}, zones=["body"]
    )


def at_cap(width: float, tool: str, jump: float = 0.01) -> Design:
    """The most strokes of 100 points this brush can draw without passing the cap."""
    one = design_cost(drawing(1, 100, width, tool, jump))
    return drawing(max(1, min(200, MAX_COST // max(1, one))), 100, width, tool, jump)


def seconds(design: Design, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        render_png(TEMPLATE, design)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    report = drawing(200, 100, 64, "sponge")
    baseline = seconds(report, repeat=1)
    print(f"report's drawing  cost {design_cost(report):>9}  {baseline * 1000:7.0f} ms  (refused)")
    worst = 0.0
    for label, design in [
        ("sponge 64 at cap", at_cap(64, "sponge")),
        ("sponge 10 at cap", at_cap(10, "sponge")),
        ("sponge 1 at cap", at_cap(1, "sponge")),
        ("brush 64 at cap", at_cap(64, "brush")),
        ("brush 1 long", at_cap(1, "brush", jump=0.3)),
    ]:
        took = seconds(design)
        worst = max(worst, took)
        print(f"{label:<17} cost {design_cost(design):>9}  {took * 1000:7.0f} ms")
    print(f"cap {MAX_COST}: worst capped preview {worst * 1000:.0f} ms, "
          f"{worst / baseline:.2f}x of the report's drawing")  # fmt: skip


if __name__ == "__main__":
    main()
