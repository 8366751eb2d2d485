"""The personal card: the shopper's name on warm paper, opening their message.

Portrait, in the house format by default. From top to bottom: a small
subtitle line ("A message from the designer", already in the shopper's
language), the shopper's name large and centred, a short gold rule with a
diamond, and the profile title in the brand's accent colour; a thin double
gold frame runs round the edge.

The text is drawn literally: "%{localtime}" or "<b>" is shown as those
characters, nothing is interpreted. Control and bidirectional-override
characters are dropped (see `trunkshow.engines.text.clean_display_name`), and
emoji are drawn in colour (OpenMoji, see emoji.py); other characters the font
lacks (Arabic, ...) draw as boxes, never an error.
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

from PIL import Image, ImageColor, ImageDraw

from trunkshow.engines.video.emoji import draw_line, has_emoji
from trunkshow.engines.video.text_fit import (
    ELLIPSIS,
    _clean,
    _fit,
    _fit_name,
    _text_width,
    card_name,
)

__all__ = ["ELLIPSIS", "GOLD", "INK", "MUTED", "PAPER", "card_frames", "card_name", "card_poster"]

PAPER = "#FBF8F4"
GOLD = "#C9A227"
INK = "#2A2420"
MUTED = "#8A7B6E"

# Design sizes, for 720 x 1280; other sizes scale them (the name's: text_fit).
_DESIGN_WIDTH, _DESIGN_HEIGHT = 720, 1280
_NAME_SIZE = 104
_LINE_SPACING = 1.22
_TITLE_SIZE, _TITLE_MIN = 40, 22
_SUBTITLE_SIZE, _SUBTITLE_MIN = 26, 16

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
    # A picture to show through the mask instead of the flat colour (a name
    # with emoji in their own colours).
    picture: Image.Image | None = None

    def paint(self, frame: Image.Image, t: float, *, origin: tuple[int, int] = (0, 0)) -> None:
        """Paint at `t` onto `frame`, whose top left is the card's point `origin`."""
        x, y = self.x - origin[0], self.y - origin[1]
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
            frame.paste(self.colour, (x + left, y), region)
            return
        alpha = round(255 * eased)
        mask = self.mask if alpha >= 255 else self.mask.point(_alpha_table(alpha))
        top = y + round(self.rise * (1.0 - eased))
        fill = self.picture if self.picture is not None else self.colour
        frame.paste(fill, (x, top, x + width, top + height), mask)


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
        picture = None
        if has_emoji(text):
            # In colour: the name is drawn on a transparent picture whose alpha
            # is the layer's mask, the emoji keeping their own colours.
            drawn = Image.new("RGBA", (text_width, box_height), (*_rgb(INK), 0))
            for index, line in enumerate(lines):
                draw_line(drawn, (text_width / 2, first_y + index * step), line, font,
                          (*_rgb(INK), 255))  # fmt: skip
            mask = drawn.getchannel("A")
            picture = drawn.convert("RGB")
        else:
            for index, line in enumerate(lines):
                draw.text((text_width / 2, first_y + index * step), line, font=font, fill=255,
                          anchor="mm")  # fmt: skip
        start, duration, rise = _NAME_IN
        self.layers.append(
            _Layer(mask, _rgb(INK), margin, centre - box_height // 2, start, duration,
                   max(1, round(rise * scale)), picture=picture)
        )  # fmt: skip

    def box(self) -> tuple[int, int, int, int]:
        """Where any animated part can paint: (left, top, right, bottom), PIL's box."""
        if not self.layers:
            return 0, 0, 0, 0
        left = min(layer.x for layer in self.layers)
        top = min(layer.y for layer in self.layers)
        right = max(layer.x + layer.mask.width for layer in self.layers)
        bottom = max(layer.y + layer.rise + layer.mask.height for layer in self.layers)
        return max(0, left), max(0, top), min(self.width, right), min(self.height, bottom)

    def settled(self) -> Image.Image:
        if self._settled is None:
            frame = self.base.copy()
            for layer in self.layers:
                layer.paint(frame, math.inf)
            self._settled = frame
        return self._settled.copy()

    def rows(self, t: float, box: tuple[int, int, int, int]) -> Image.Image:
        """The card's `box` at `t` (animation time), drawn alone."""
        part = self.base.crop(box)
        for layer in self.layers:
            layer.paint(part, t, origin=(box[0], box[1]))
        return part

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
    _check(seconds, fps)
    card = _Card(
        name=name, title=title, subtitle=subtitle, width=width, height=height, accent=accent
    )
    count, timescale = _schedule(seconds, fps)
    for index in range(count):
        yield card.frame(index / fps, timescale=timescale)


def _check(seconds: float, fps: int) -> None:
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds must be a finite number >= 0, not {seconds!r}")
    if fps <= 0:
        raise ValueError(f"fps must be positive, not {fps!r}")


def _schedule(seconds: float, fps: int) -> tuple[int, float]:
    """How many frames, and how much slower than designed the animation runs."""
    count = round(seconds * fps)
    last = (count - 1) / fps
    # A short card plays its animation faster, settling by 80% of the way to its last frame.
    return count, min(1.0, 0.8 * last / _SETTLED)


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
