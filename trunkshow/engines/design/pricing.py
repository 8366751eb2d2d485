"""What a made-to-order bag costs on top of the bag: artisans charge by the work.

The artisan fee grows with what the design asks of the painter: a base for
setting up, then each painted zone, each brush stroke, each colour to mix
beyond the first, the stencil and the monogram. A DIY kit is one fixed price.
Amounts are per market, as data on the template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from trunkshow.engines.design.schema import Design

FEE_PARTS = ("base", "zone", "stroke", "colour", "stencil", "monogram")


@dataclass(frozen=True)
class Fee:
    total: Decimal
    parts: dict[str, Decimal]


def artisan_fee(design: Design, schedule: Mapping[str, object]) -> Fee:
    """The fee for this design under a schedule like {"base": "480.00", "zone": "60.00", ...}."""
    rate = {key: Decimal(str(schedule.get(key, "0"))) for key in FEE_PARTS}
    parts = {
        "base": rate["base"],
        "zones": rate["zone"] * len(design.zones),
        "strokes": rate["stroke"] * len(design.strokes),
        "colours": rate["colour"] * max(0, len(design.colours()) - 1),
        "stencil": rate["stencil"] if design.stencil is not None else Decimal("0"),
        "monogram": rate["monogram"] if design.monogram else Decimal("0"),
    }
    return Fee(sum(parts.values(), Decimal("0")).quantize(Decimal("0.01")), parts)


def mode_fee(design: Design, surcharge: object) -> Fee:
    """The fee in the design's mode: a schedule prices artisan work, a flat amount a kit."""
    if isinstance(surcharge, Mapping):
        return artisan_fee(design, surcharge)
    amount = Decimal(str(surcharge)).quantize(Decimal("0.01"))
    return Fee(amount, {"kit" if design.mode == "diy" else "flat": amount})
