"""A recipe in the kit's own unit: how many drops (or ml) of each paint for a zone.

Rule: a zone of `area_cm2` takes area x coverage (ml per cm², from the
card) x coats of mixed paint; each paint gets its share of that by parts.
In drops, every share is rounded up to whole drops (a paint in the recipe is
never zero drops), in ml to 0.1 ml, up. No paint is ever asked for more than
one pot holds: if the zone would need more, every share is scaled down by
the same factor (so the colour is the same) and `capped` says the zone takes
more than one batch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from trunkshow.engines.paint.card import Kit


@dataclass(frozen=True)
class Amounts:
    unit: str
    amounts: dict[str, float]
    batches: int
    capped: bool

    def as_dict(self) -> dict[str, object]:
        return {"unit": self.unit, "amounts": self.amounts, "batches": self.batches,
                "capped": self.capped}  # fmt: skip


def amounts(parts: Mapping[str, int], *, area_cm2: float, kit: Kit) -> Amounts:
    """Drops (or ml) of each paint for a zone of `area_cm2`, never more than a pot of any."""
    total = sum(v for v in parts.values() if v > 0)
    if total <= 0 or area_cm2 <= 0:
        return Amounts(kit.unit, {}, 1, False)
    need_ml = area_cm2 * kit.coverage_ml_per_cm2 * kit.coats
    shares = {k: need_ml * v / total for k, v in parts.items() if v > 0}
    largest = max(shares.values())
    batches = max(1, math.ceil(largest / kit.pot_ml - 1e-9))
    capped = batches > 1
    if capped:
        shares = {k: v / batches for k, v in shares.items()}
    if kit.unit == "drops":
        # Whole drops, up; then never past a pot (a drop of margin rounds down).
        limit = math.floor(kit.pot_ml / kit.drop_ml)
        result = {k: float(min(limit, max(1, math.ceil(v / kit.drop_ml - 1e-9))))
                  for k, v in shares.items()}  # fmt: skip
    else:
        result = {k: min(kit.pot_ml, max(0.1, math.ceil(v * 10 - 1e-9) / 10))
                  for k, v in shares.items()}  # fmt: skip
    return Amounts(kit.unit, result, batches, capped)
