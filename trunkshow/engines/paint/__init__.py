"""Physically based paint mixing and recipe solving (pure Python + numpy + colour-science)."""

from trunkshow.engines.paint.solver import (
    ACHIEVABLE_DELTA_E,
    ARTISAN,
    DIY_KIT,
    MAX_PARTS,
    PALETTES,
    PaintError,
    Palette,
    Recipe,
    lightness,
    mix,
    solve,
)

__all__ = [
    "ACHIEVABLE_DELTA_E", "ARTISAN", "DIY_KIT", "MAX_PARTS", "PALETTES", "PaintError",
    "Palette", "Recipe", "lightness", "mix", "solve",
]  # fmt: skip
