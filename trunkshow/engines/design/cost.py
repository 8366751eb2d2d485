"""What a design costs to draw, counted before drawing it.

The preview renderer (render.py) draws at 1280 px (640 px, supersampled
twice). Its work grows with what it draws, so the cost counts exactly that,
in units of one small sponge dab (about 2 microseconds of drawing here):

- a brush stroke: each point costs 5 + width² / 1000 (a round joint is
  drawn at every point), and the ink costs length × (1/20 + width / 2000)
  (the line is walked pixel by pixel, and each step is as wide as the brush);
- a sponge stroke: every speckle it dabs (6 per step along the path, a step
  a third of the sponge's width) costs 1 + its area / 800;

lengths, widths and areas in pixels of the 1280 px drawing (a stroke's
`width` is in the studio's 640 px units, so twice that). A design costing
more than MAX_COST is refused (`design_too_costly`, a 422): at that cost
the preview draws in well under a second on one core (see
bench/README.md, design_cost.py), so no document can hold a worker for long. A typical
design from the studio costs a few hundred to a few thousand.
"""

from __future__ import annotations

import math

from trunkshow.engines.design.schema import Design

MAX_COST = 100_000
DRAWN_AT = 1280  # render.py: 640 px, supersampled twice
DABS_PER_STEP = 6


def _stroke_cost(width: float, points: tuple[tuple[float, float], ...], tool: str) -> float:
    width_px = max(1, round(width * DRAWN_AT / 640))
    path = [(x * DRAWN_AT, y * DRAWN_AT) for x, y in points]
    segments = list(zip(path, path[1:] or path, strict=False))
    if tool == "sponge":
        dot = max(1.0, width_px / 9)
        dab = 1 + (2 * dot) ** 2 / 800
        stride = max(1.0, width_px / 3)
        dabs = sum(
            DABS_PER_STEP * (max(1, int(math.hypot(x1 - x0, y1 - y0) / stride)) + 1)
            for (x0, y0), (x1, y1) in segments
        )
        return dabs * dab
    length = sum(math.hypot(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in segments)
    return len(points) * (5 + width_px**2 / 1000) + length * (1 / 20 + width_px / 2000)


def design_cost(design: Design) -> int:
    """The drawing's cost in dabs (see the module's docstring)."""
    return math.ceil(sum(_stroke_cost(s.width, s.points, s.tool) for s in design.strokes))
