"""The personal card: the shopper's name on warm paper, opening their message.

Portrait, in the house format by default. From top to bottom: a small
subtitle line ("A message from the designer", already in the shopper's
language), the shopper's name large and centred, a short gold rule with a
diamond, and the profile title in the brand's accent colour; a thin double
gold frame runs round the edge.

The text is drawn literally: "%{localtime}" or "<b>" is shown as those
characters, nothing is interpreted. Control and bidirectional-override
characters are dropped (see `trunkshow.engines.text.clean_display_name`), and
characters the font lacks (emoji, Arabic, ...) draw as boxes, never an error.
A name that is too wide shrinks, down to a minimum size; then it is set on two
balanced lines (broken at a space, or between characters in Chinese), which
shrink again, so every name within the shop's limit (40 characters, see
`trunkshow.engines.text.shown_name`) is drawn whole. Only a longer text is cut
with an ellipsis. Every text is clipped to its own box, so nothing paints
outside it. `card_name` says what the card draws for a name.

Frames are deterministic (same inputs, same bytes). The paper, frame and
text masks are rendered once; each frame only pastes the masks that are
animating, and the settled frame is composed once and copied.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import regex
from PIL import Image, ImageColor, ImageDraw, ImageFont

from trunkshow.engines.text import clean_display_name
from trunkshow.engines.video.fonts import cjk_font

PAPER = "#FBF8F4"
GOLD = "#C9A227"
INK = "#2A2420"
MUTED = "#8A7B6E"
ELLIPSIS = "…"

# Design sizes, for 720 x 1280; other sizes scale them.
_DESIGN_WIDTH, _DESIGN_HEIGHT = 720, 1280
_NAME_SIZE, _NAME_MIN = 104, 36
# Two lines from this size down to the smallest, at which 20 CJK characters
# (half of the 40 a name may have) fit the line: 552 px / 20 = 27.6 px each.
_NAME_TWO_LINES, _NAME_TWO_LINES_MIN = 64, 26
_LINE_SPACING = 1.22
_TITLE_SIZE, _TITLE_MIN = 40, 22
_SUBTITLE_SIZE, _SUBTITLE_MIN = 26, 16
# At the minimum size even narrow letters fit fewer than 80 to the line, so
# longer text is cut before it is measured: a 10 MB name costs what a short one does.
_MAX_CHARS = 160

# When each part appears: (start, duration) in seconds, and how far it rises (px).
_SUBTITLE_IN = (0.00, 0.45, 10)
_NAME_IN = (0.10, 0.50, 28)
_RULE_IN = (0.45, 0.40, 0)
_TITLE_IN = (0.55, 0.40, 12)
_SETTLED = 0.95


def _rgb(colour: str) -> tuple[int, int, int]:
    red, green, blue = ImageColor.getrgb(colour)[:3]
    return red, green, blue


def _ease_out(progress: float) -> float:
    progress = min(1.0, max(0.0, progress))
    return 1.0 - (1.0 - progress) ** 3


_ALPHA_TABLES: dict[int, list[int]] = {}


def _alpha_table(alpha: int) -> list[int]:
    table = _ALPHA_TABLES.get(alpha)
    if table is None:
        table = [(value * alpha + 127) // 255 for value in range(256)]
        _ALPHA_TABLES[alpha] = table
    return table


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


@dataclass(frozen=True)
class _Layer:
    """One animated part: a coverage mask painted in one colour."""

    mask: Image.Image
    colour: tuple[int, int, int]
    x: int
    y: int
    start: float
    duration: float
    rise: int
    grow: bool = False  # reveal from the centre outwards instead of fading

    def paint(self, frame: Image.Image, t: float) -> None:
        eased = _ease_out((t - self.start) / self.duration)
        if eased <= 0.0:
            return
        width, height = self.mask.size
        if self.grow:
            half = round(width / 2 * eased)
            if half <= 0:
                return
            left = width // 2 - half
            region = self.mask.crop((left, 0, left + 2 * half, height))
            frame.paste(self.colour, (self.x + left, self.y), region)
            return
        alpha = round(255 * eased)
        mask = self.mask if alpha >= 255 else self.mask.point(_alpha_table(alpha))
        top = self.y + round(self.rise * (1.0 - eased))
        frame.paste(self.colour, (self.x, top, self.x + width, top + height), mask)


class _Card:
    def __init__(
        self, *, name: str, title: str, subtitle: str, width: int, height: int, accent: str
    ) -> None:
        if width < 64 or height < 64:
            raise ValueError(f"card too small: {width}x{height}")
        self.width, self.height = width, height
        scale = min(width / _DESIGN_WIDTH, height / _DESIGN_HEIGHT)

        def px(value: float) -> int:
            return max(1, round(value * scale))

        self.base = Image.new("RGB", (width, height), _rgb(PAPER))
        gold = _rgb(GOLD)
        draw = ImageDraw.Draw(self.base)
        outer, inner = px(30), px(40)
        draw.rectangle(
            (outer, outer, width - 1 - outer, height - 1 - outer), outline=gold, width=px(2)
        )
        draw.rectangle((inner, inner, width - 1 - inner, height - 1 - inner), outline=gold, width=1)

        margin = inner + px(44)
        text_width = _text_width(width, scale)
        centre_y = round(height * 0.47)
        self.layers: list[_Layer] = []

        def text_layer(
            value: str,
            colour: tuple[int, int, int],
            size: int,
            min_size: int,
            centre: int,
            box_height: int,
            timing: tuple[float, float, int],
        ) -> None:
            text, cut = _clean(value)
            if not text:
                return
            text, font = _fit(text, size=size, min_size=min_size, max_width=text_width, cut=cut)
            mask = Image.new("L", (text_width, box_height), 0)
            # Drawn centred in its own box: whatever the text, it cannot paint outside it.
            ImageDraw.Draw(mask).text(
                (text_width / 2, box_height / 2), text, font=font, fill=255, anchor="mm"
            )
            start, duration, rise = timing
            self.layers.append(
                _Layer(mask, colour, margin, centre - box_height // 2, start, duration, px(rise))
            )

        text_layer(
            subtitle,
            _rgb(MUTED),
            px(_SUBTITLE_SIZE),
            px(_SUBTITLE_MIN),
            centre_y - px(132),
            px(_SUBTITLE_SIZE * 2),
            _SUBTITLE_IN,
        )
        self._name_layer(name, margin, text_width, centre_y, px(_NAME_SIZE * 1.6), scale)
        text_layer(
            title,
            _rgb(accent),
            px(_TITLE_SIZE),
            px(_TITLE_MIN),
            centre_y + px(156),
            px(_TITLE_SIZE * 2),
            _TITLE_IN,
        )

        # The rule: two hairlines and a small diamond between them.
        rule_width, rule_height = px(120), px(12)
        rule = Image.new("L", (rule_width, rule_height), 0)
        rule_draw = ImageDraw.Draw(rule)
        middle_x, middle_y, diamond = rule_width // 2, rule_height // 2, px(5)
        gap = diamond + px(6)
        rule_draw.line((0, middle_y, middle_x - gap, middle_y), fill=255, width=1)
        rule_draw.line((middle_x + gap, middle_y, rule_width, middle_y), fill=255, width=1)
        rule_draw.polygon(
            [
                (middle_x, middle_y - diamond),
                (middle_x + diamond, middle_y),
                (middle_x, middle_y + diamond),
                (middle_x - diamond, middle_y),
            ],
            fill=255,
        )
        start, duration, _ = _RULE_IN
        self.layers.append(
            _Layer(
                rule,
                gold,
                (width - rule_width) // 2,
                centre_y + px(92) - middle_y,
                start,
                duration,
                0,
                grow=True,
            )
        )
        self._settled: Image.Image | None = None

    def _name_layer(
        self, name: str, margin: int, text_width: int, centre: int, box_height: int, scale: float
    ) -> None:
        text, cut = _clean(name)
        if not text:
            return
        lines, font = _fit_name(text, scale=scale, max_width=text_width, cut=cut)
        mask = Image.new("L", (text_width, box_height), 0)
        draw = ImageDraw.Draw(mask)
        # Lines centred on the box's middle; the box clips whatever the text is.
        step = round(font.size * _LINE_SPACING)
        first_y = box_height / 2 - step * (len(lines) - 1) / 2
        for index, line in enumerate(lines):
            draw.text((text_width / 2, first_y + index * step), line, font=font, fill=255,
                      anchor="mm")  # fmt: skip
        start, duration, rise = _NAME_IN
        self.layers.append(
            _Layer(mask, _rgb(INK), margin, centre - box_height // 2, start, duration,
                   max(1, round(rise * scale)))
        )  # fmt: skip

    def settled(self) -> Image.Image:
        if self._settled is None:
            frame = self.base.copy()
            for layer in self.layers:
                layer.paint(frame, math.inf)
            self._settled = frame
        return self._settled.copy()

    def frame(self, t: float, *, timescale: float = 1.0) -> Image.Image:
        """The card at `t` seconds, its animation running `timescale` times as long."""
        local = t / timescale if timescale > 0 else math.inf
        if local >= _SETTLED:
            return self.settled()
        frame = self.base.copy()
        for layer in self.layers:
            layer.paint(frame, local)
        return frame


def card_frames(
    *,
    name: str,
    title: str,
    subtitle: str,
    seconds: float,
    width: int = 720,
    height: int = 1280,
    fps: int = 30,
    accent: str = "#B3261E",
) -> Iterator[Image.Image]:
    """Yield round(seconds * fps) RGB frames of the animated personal card.

    The name fades and rises in over the first half second, the rule and title
    follow, and everything is settled by about 0.95 s; a card shorter than
    that plays its animation faster, so its last frame is always complete.
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds must be a finite number >= 0, not {seconds!r}")
    if fps <= 0:
        raise ValueError(f"fps must be positive, not {fps!r}")
    card = _Card(
        name=name, title=title, subtitle=subtitle, width=width, height=height, accent=accent
    )
    count = round(seconds * fps)
    last = (count - 1) / fps
    # A short card plays its animation faster, settling by 80% of the way to its last frame.
    timescale = min(1.0, 0.8 * last / _SETTLED)
    for index in range(count):
        yield card.frame(index / fps, timescale=timescale)


def card_poster(
    *,
    name: str,
    title: str,
    subtitle: str,
    width: int = 720,
    height: int = 1280,
    accent: str = "#B3261E",
) -> Image.Image:
    """The settled card: the last frame of `card_frames` for the same text."""
    card = _Card(
        name=name, title=title, subtitle=subtitle, width=width, height=height, accent=accent
    )
    return card.settled()
