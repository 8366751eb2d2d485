"""Mix paints by parts, and find the whole-part recipe closest to a colour.

The solver is exhaustive, not a search that might stop early: every recipe
of whole parts, at most MAX_PARTS in all (and at most `max_paints` paints),
is mixed once per palette and kept; a target is then compared with all of
them by CIEDE2000 and the closest wins (ties: fewer parts, then fewer
paints). For the four-paint kit that is 10,625 recipes, about 2 ms per
target. Recipes are kept in lowest terms: 6:2 is 3:1.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trunkshow.engines.paint.colour_space import (
    delta_e_2000,
    fast_hex_from_xyz,
    lab_from_xyz,
    srgb_from_xyz,
    weights,
    xyz_from_srgb,
)
from trunkshow.engines.paint.model import (
    BLACK,
    BLUE,
    GREEN,
    OCHRE,
    ORANGE,
    RED,
    VIOLET,
    WHITE,
    YELLOW,
    Paint,
    constants,
    gcd_parts,
    hex_of,
    mix_tristimulus,
    rgb_of,
)

MAX_PARTS = 20
ACHIEVABLE_DELTA_E = 2.0


class PaintError(ValueError):
    """A mix or a recipe request that cannot be answered.

    `code` says why ("unknown_paint", "no_parts") and `data` gives the facts,
    so the layer above can say it in the shopper's language; the message is
    English, for logs.
    """

    def __init__(self, message: str, *, code: str, data: Mapping[str, object] | None = None):
        super().__init__(message)
        self.code = code
        self.data: dict[str, Any] = dict(data or {})


@dataclass(frozen=True, eq=False)
class Palette:
    """Paints a recipe may use; `version` names the fitted constants (0: built in).

    Compared by identity: a palette's mixing table and recipe table are
    computed once per object and kept on it.
    """

    key: str
    paints: tuple[Paint, ...]
    max_paints: int
    version: int = 0

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.paints)

    @cached_property
    def index(self) -> dict[str, int]:
        return {key: i for i, key in enumerate(self.keys)}

    @cached_property
    def table(self) -> NDArray[np.float64]:
        """(paints, 2 * bands) K then S, with the weights to XYZ applied later."""
        return constants(self.paints)

    @cached_property
    def recipes(self) -> tuple[NDArray[np.int64], NDArray[np.float64], list[str]]:
        return _recipe_table(self)


DIY_KIT = Palette("diy-kit", (RED, YELLOW, BLUE, WHITE), max_paints=4)
ARTISAN = Palette(
    "artisan", (RED, YELLOW, BLUE, WHITE, BLACK, OCHRE, GREEN, VIOLET, ORANGE), max_paints=3
)
PALETTES = {p.key: p for p in (DIY_KIT, ARTISAN)}


@dataclass(frozen=True)
class Recipe:
    parts: dict[str, int]
    mixed: str
    delta_e: float
    achievable: bool


def _parts_vector(parts: Mapping[str, int], palette: Palette) -> NDArray[np.float64]:
    unknown = sorted(set(parts) - set(palette.keys))
    if unknown:
        known = ", ".join(palette.keys)
        raise PaintError(
            f"Unknown paint {unknown[0]!r}; the {palette.key} palette has {known}.",
            code="unknown_paint",
            data={"paint": unknown[0], "palette": palette.key, "known": list(palette.keys)},
        )
    vector = np.array([float(parts.get(k, 0)) for k in palette.keys])
    if (vector < 0).any() or vector.sum() <= 0:
        raise PaintError(
            "Give at least one part of one paint, and no negative parts.", code="no_parts"
        )
    return vector


def lightness(hex_colour: str) -> float:
    """CIELAB L* of a colour as a screen shows it: 0 black, 100 white."""
    return float(lab_from_xyz(xyz_from_srgb(rgb_of(hex_colour)))[0])


def mix(parts: Mapping[str, int], palette: Palette = DIY_KIT) -> str:
    """The colour (#RRGGBB) of these parts of the palette's paints mixed together.

    One call is a few small numpy products (the studio mixes one swatch at a
    time, so this path avoids every per-call conversion set-up).
    """
    index = palette.index
    row = [0.0] * len(index)
    total = 0.0
    for key, value in parts.items():
        at = index.get(key)
        if at is None or value < 0:
            _parts_vector(parts, palette)  # raises the error that names the problem
        else:
            row[at] = float(value)
            total += value
    if total <= 0:
        _parts_vector(parts, palette)
    xyz = mix_tristimulus(palette.table, np.array([row]), weights())[0]
    return fast_hex_from_xyz(xyz)


def _table(palette_key: str) -> tuple[NDArray[np.int64], NDArray[np.float64], list[str]]:
    """The recipe table of a built-in palette (kept for callers that name it by key)."""
    return PALETTES[palette_key].recipes


def _recipe_table(palette: Palette) -> tuple[NDArray[np.int64], NDArray[np.float64], list[str]]:
    """Every recipe of the palette in lowest terms, with its Lab and hex colour."""
    n = len(palette.paints)
    rows: list[tuple[int, ...]] = []
    for count in range(1, palette.max_paints + 1):
        for chosen in itertools.combinations(range(n), count):
            # Compositions of up to MAX_PARTS into `count` positive parts.
            for split in itertools.product(range(1, MAX_PARTS + 1), repeat=count):
                if sum(split) > MAX_PARTS or gcd_parts(split) != 1:
                    continue
                row = [0] * n
                for index, part in zip(chosen, split, strict=True):
                    row[index] = part
                rows.append(tuple(row))
    parts = np.array(rows, dtype=np.int64)
    rgb = srgb_from_xyz(mix_tristimulus(palette.table, parts.astype(np.float64), weights()))
    hexes = [hex_of(colour) for colour in rgb]
    # Compared as the screen shows them: a few mixtures (a straight blue) are
    # more saturated than sRGB, and the shopper picked their colour on a screen.
    lab = lab_from_xyz(xyz_from_srgb(np.array([rgb_of(h) for h in hexes])))
    return parts, lab, hexes


def solve(target: str, palette: Palette = DIY_KIT) -> Recipe:
    """The whole-part recipe whose mixture is closest (CIEDE2000) to `target`."""
    parts, lab, hexes = palette.recipes
    target_lab = lab_from_xyz(xyz_from_srgb(rgb_of(target)))
    distances = delta_e_2000(np.broadcast_to(target_lab, lab.shape), lab)
    totals = parts.sum(axis=1)
    used = (parts > 0).sum(axis=1)
    # Closest first; among equals (to 0.01) the simpler recipe.
    best = int(np.lexsort((used, totals, np.round(distances, 2)))[0])
    delta = float(distances[best])
    return Recipe(
        parts={k: int(v) for k, v in zip(palette.keys, parts[best], strict=True)},
        mixed=hexes[best],
        delta_e=round(delta, 2),
        achievable=delta <= ACHIEVABLE_DELTA_E,
    )
