"""Setting the card's text: the largest size that fits, one or two lines, "…" past that.

Pure Python (Pillow and the engine's font). Sizes are the card's design sizes,
for 720 x 1280; `scale` turns them into pixels for other sizes. See
`trunkshow.engines.video.card` for how the card uses them.
"""

from __future__ import annotations

import math

import regex
from PIL import ImageFont

from trunkshow.engines.text import clean_display_name
from trunkshow.engines.video.fonts import cjk_font

ELLIPSIS = "…"
_NAME_SIZE, _NAME_MIN = 104, 36
# Two lines from this size down to the smallest, at which 20 CJK characters
# (half of the 40 a name may have) fit the line: 552 px / 20 = 27.6 px each.
_NAME_TWO_LINES, _NAME_TWO_LINES_MIN = 64, 26
_DESIGN_WIDTH, _DESIGN_HEIGHT = 720, 1280
# At the minimum size even narrow letters fit fewer than 80 to the line, so
# longer text is cut before it is measured: a 10 MB name costs what a short one does.
_MAX_CHARS = 160


def _ink_width(font: ImageFont.FreeTypeFont, text: str) -> float:
    left, _top, right, _bottom = font.getbbox(text)
    return max(font.getlength(text), right) - min(0, left)


def _shrink(
    text: str, *, size: int, min_size: int, max_width: int
) -> ImageFont.FreeTypeFont | None:
    """The font of the largest size (down to `min_size`) at which `text` fits, or None."""
    font = cjk_font(size)
    width = _ink_width(font, text)
    if width <= max_width:
        return font
    # Width scales with size, give or take hinting: guess, then step down.
    guess = max(min_size, min(size - 1, math.floor(size * max_width / width)))
    while True:
        font = cjk_font(guess)
        if _ink_width(font, text) <= max_width:
            return font
        if guess <= min_size:
            return None
        guess -= 1


def _fit(
    text: str, *, size: int, min_size: int, max_width: int, cut: bool
) -> tuple[str, ImageFont.FreeTypeFont]:
    """The largest size (down to `min_size`) at which `text` fits; else cut it with "…".

    `cut` says the text was already shortened, so it ends with "…" whatever its width.
    """
    if not cut:
        found = _shrink(text, size=size, min_size=min_size, max_width=max_width)
        if found is not None:
            return text, found
    font = cjk_font(min_size)
    # The longest prefix that fits with the ellipsis (widths grow with length).
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _ink_width(font, text[:middle].rstrip() + ELLIPSIS) <= max_width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS, font


def _break_points(text: str) -> list[tuple[str, str]]:
    """Every way to set `text` on two lines: at each space, else between characters."""
    spaces = [i for i, char in enumerate(text) if char == " "]
    if spaces:
        return [(text[:i].rstrip(), text[i + 1 :].lstrip()) for i in spaces]
    ends = [m.end() for m in regex.finditer(r"\X", text)][:-1]
    return [(text[:i], text[i:]) for i in ends]


def _fit_two_lines(
    text: str, *, size: int, min_size: int, max_width: int
) -> tuple[list[str], ImageFont.FreeTypeFont] | None:
    """The most balanced two-line break of `text`, at the largest size it fits; None if none."""
    options = _break_points(text)
    if not options:
        return None
    reference = cjk_font(size)
    first, second = min(
        options,
        key=lambda pair: max(_ink_width(reference, pair[0]), _ink_width(reference, pair[1])),
    )
    for current in range(size, min_size - 1, -1):
        font = cjk_font(current)
        if max(_ink_width(font, first), _ink_width(font, second)) <= max_width:
            return [first, second], font
    return None


def _fit_name(
    text: str, *, scale: float, max_width: int, cut: bool
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The name's lines and font: one line while it reads large, else two balanced
    lines, else (past what two lines hold at the smallest size) cut with "…"."""

    def px(value: float) -> int:
        return max(1, round(value * scale))

    smallest = px(_NAME_TWO_LINES_MIN)
    if not cut:
        font = _shrink(text, size=px(_NAME_SIZE), min_size=px(_NAME_TWO_LINES), max_width=max_width)
        if font is not None:
            return [text], font
        found = _fit_two_lines(
            text, size=px(_NAME_TWO_LINES), min_size=smallest, max_width=max_width
        )
        if found is not None:
            return found
        # One character that cannot be broken: smaller on its one line.
        font = _shrink(text, size=px(_NAME_TWO_LINES), min_size=smallest, max_width=max_width)
        if font is not None:
            return [text], font
    font = cjk_font(smallest)
    ends = [m.end() for m in regex.finditer(r"\X", text)]
    first_end = max((e for e in ends if _ink_width(font, text[:e]) <= max_width), default=0)
    rest = text[first_end:].lstrip()
    if not rest:
        return [text[:first_end]], font
    second, font = _fit(rest, size=smallest, min_size=smallest, max_width=max_width, cut=True)
    return [text[:first_end].rstrip(), second], font


def card_name(name: str, *, width: int = 720, height: int = 1280) -> str:
    """The name as the card draws it: cleaned, whole when it fits, else cut with "…"."""
    text, cut = _clean(name)
    if not text:
        return ""
    scale = min(width / _DESIGN_WIDTH, height / _DESIGN_HEIGHT)
    lines, _font = _fit_name(text, scale=scale, max_width=_text_width(width, scale), cut=cut)
    if len(lines) == 1:
        return lines[0]
    # Broken at a space, the space is what joined the lines.
    joined = lines[0] + lines[1]
    return joined if text.startswith(joined.rstrip(ELLIPSIS)) else f"{lines[0]} {lines[1]}"


def _text_width(width: int, scale: float) -> int:
    """The width text may take between the frames (the margins of `_Card`)."""
    inner = max(1, round(40 * scale))
    return width - 2 * (inner + max(1, round(44 * scale)))


def _clean(value: str) -> tuple[str, bool]:
    """Single-line printable text, at most _MAX_CHARS, and whether it was cut."""
    cleaned = clean_display_name(value, limit=_MAX_CHARS + 1)
    if len(cleaned) > _MAX_CHARS:
        return cleaned[:_MAX_CHARS].rstrip(), True
    return cleaned, False
