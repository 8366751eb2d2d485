"""What a design asks of a painter, measured from the document and the template."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trunkshow.engines.atelier.effort import DesignWork
from trunkshow.engines.design.schema import Design


def polygon_area(path: Sequence[Sequence[float]]) -> float:
    """Shoelace formula, in the template's 0..1 box."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(path, [*path[1:], path[0]], strict=True):
        total += float(x0) * float(y1) - float(x1) * float(y0)
    return abs(total) / 2


def design_work(design: Design, template: Mapping[str, Any]) -> DesignWork:
    zones = {zone["key"]: polygon_area(zone["path"]) for zone in template["zones"]}
    surface = sum(zones.values()) or 1.0
    painted = sum(area for key, area in zones.items() if key in design.zones)
    return DesignWork(
        painted_area=painted / surface,
        zones=len(design.zones),
        colours=len(design.colours()),
        strokes=len(design.strokes),
        stencil=design.stencil is not None,
        monogram=bool(design.monogram),
    )
