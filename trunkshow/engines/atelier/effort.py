"""How long an artisan paints one design, from what the design asks.

A first model, in hours at the bench (drying is not labour and is planned
separately): setting up, then the painted area, each zone's edges, each
colour mixed, the brush work, the stencil and the monogram lettering. The
constants are the workshop's to tune from its own timesheets.
"""

from __future__ import annotations

from dataclasses import dataclass

SETUP_HOURS = 1.0
HOURS_PER_BAG_AREA = 4.0  # painting the whole bag, one coat
HOURS_PER_ZONE = 0.3  # masking and cutting in the edges
HOURS_PER_COLOUR = 0.25  # mixing and matching each colour
HOURS_PER_STROKE = 0.05
STENCIL_HOURS = 0.5
MONOGRAM_HOURS = 0.75


@dataclass(frozen=True)
class DesignWork:
    painted_area: float  # share of the bag's surface painted, 0..1
    zones: int
    colours: int
    strokes: int
    stencil: bool
    monogram: bool


def estimate_hours(work: DesignWork) -> float:
    area = min(1.0, max(0.0, work.painted_area))
    hours = (
        SETUP_HOURS
        + HOURS_PER_BAG_AREA * area
        + HOURS_PER_ZONE * max(0, work.zones)
        + HOURS_PER_COLOUR * max(0, work.colours)
        + HOURS_PER_STROKE * max(0, work.strokes)
        + (STENCIL_HOURS if work.stencil else 0.0)
        + (MONOGRAM_HOURS if work.monogram else 0.0)
    )
    return round(hours, 2)
