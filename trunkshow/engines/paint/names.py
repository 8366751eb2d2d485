"""A colour described in words: which hue, how light, how muted.

Screen readers and error messages need a colour's name, not "#8A2BE2". The
engine says what a colour looks like as stable keys (hue "blue-violet", tone
"dark", muted or not); the shop's layer above turns the keys into words in
the shopper's language, so this module knows no language.

Rule: the hue family comes from the sRGB hue angle (HSL), where the names
people use sit at round angles (red 0, yellow 60, green 120, blue 240);
lightness is CIELAB L*, which follows what the eye sees (a pure yellow and a
pure blue have the same HSL lightness, but the yellow looks far lighter);
a colour with little chroma is black, grey or white. Light reds are pink,
dark oranges brown, dark yellows olive, light low-chroma oranges beige.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

from trunkshow.engines.paint.colour_space import lab_from_xyz, xyz_from_srgb
from trunkshow.engines.paint.model import rgb_of

# Hue families by HSL hue angle: (upper bound in degrees, key).
HUES = (
    (12, "red"), (40, "orange"), (70, "yellow"), (100, "yellow-green"), (150, "green"),
    (190, "blue-green"), (250, "blue"), (275, "blue-violet"), (305, "violet"),
    (345, "magenta"), (360, "red"),
)  # fmt: skip
HUE_KEYS = (
    *dict.fromkeys(key for _bound, key in HUES),
    "black", "grey", "white", "pink", "brown", "olive", "beige",
)  # fmt: skip
TONES = ("dark", "light")

DARK_L, LIGHT_L = 38.0, 78.0
NEUTRAL_CHROMA = 8.0
MUTED_SATURATION = 0.3


@dataclass(frozen=True)
class ColourWords:
    """What a colour looks like, as keys: `hue` from HUE_KEYS, `tone` from TONES or None."""

    hue: str
    tone: str | None = None
    muted: bool = False


def describe(hex_colour: str) -> ColourWords:
    """Describe a #RRGGBB colour by its hue family, lightness and chroma."""
    rgb = rgb_of(hex_colour)
    lightness_star, a, b = (float(v) for v in lab_from_xyz(xyz_from_srgb(rgb)))
    chroma = (a * a + b * b) ** 0.5
    hue_turn, _hls_lightness, saturation = colorsys.rgb_to_hls(*(float(v) for v in rgb))
    tone = "dark" if lightness_star < DARK_L else "light" if lightness_star > LIGHT_L else None
    if chroma < NEUTRAL_CHROMA:
        if lightness_star < 20:
            return ColourWords("black")
        if lightness_star > 92:
            return ColourWords("white")
        return ColourWords("grey", tone)
    angle = hue_turn * 360
    hue = next(key for bound, key in HUES if angle < bound)
    muted = saturation < MUTED_SATURATION and chroma < 30
    if hue in ("red", "magenta") and lightness_star > 65:
        return ColourWords("pink", "light" if lightness_star > 85 else None, muted)
    if hue == "orange" and lightness_star < 55:
        return ColourWords("brown", tone)
    if hue == "yellow" and lightness_star < 60:
        return ColourWords("olive", tone)
    if hue in ("orange", "yellow") and lightness_star > 70 and chroma < 30:
        return ColourWords("beige")
    return ColourWords(hue, tone, muted)
