"""Product pictures for the demo brand, drawn by code.

Original bag silhouettes in the variant's colour, so the demo needs no
downloaded assets and every colour variant has its own honest picture.
Drawn at twice the size and scaled down for smooth edges.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

SIZE = 800
SCALE = 2
GOLD = (201, 162, 39)
Box = tuple[float, float, float, float]
RGB = tuple[int, int, int]


def hex_to_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def shade(rgb: RGB, factor: float) -> RGB:
    """Darken (<1) or lighten (>1) a colour, keeping it a valid RGB triple."""
    if factor < 1:
        r, g, b = (int(c * factor) for c in rgb)
        return (r, g, b)
    r, g, b = (int(c + (255 - c) * (factor - 1)) for c in rgb)
    return (r, g, b)


class Canvas:
    """Coordinates in 0..1 of the picture, so each silhouette reads like a sketch."""

    def __init__(self, draw: ImageDraw.ImageDraw, px: int) -> None:
        self.draw = draw
        self.px = px

    def p(self, x: float, y: float) -> tuple[float, float]:
        return (x * self.px, y * self.px)

    def box(self, b: Box) -> Box:
        return (b[0] * self.px, b[1] * self.px, b[2] * self.px, b[3] * self.px)

    def w(self, width: float) -> int:
        return max(1, int(width * self.px))

    def rect(self, b: Box, fill: RGB, radius: float = 0.0, outline: RGB | None = None) -> None:
        self.draw.rounded_rectangle(
            self.box(b), radius=radius * self.px, fill=fill, outline=outline, width=self.w(0.004)
        )

    def poly(self, points: list[tuple[float, float]], fill: RGB) -> None:
        self.draw.polygon([self.p(x, y) for x, y in points], fill=fill)

    def arc(self, b: Box, start: float, end: float, fill: RGB, width: float) -> None:
        self.draw.arc(self.box(b), start, end, fill=fill, width=self.w(width))

    def ellipse(
        self, b: Box, fill: RGB | None, outline: RGB | None = None, width: float = 0.0
    ) -> None:
        self.draw.ellipse(
            self.box(b), fill=fill, outline=outline, width=self.w(width) if width else 0
        )

    def line(self, points: list[tuple[float, float]], fill: RGB, width: float) -> None:
        self.draw.line(
            [self.p(x, y) for x, y in points], fill=fill, width=self.w(width), joint="curve"
        )

    def stitches(self, a: tuple[float, float], b: tuple[float, float], fill: RGB) -> None:
        steps = 28
        for i in range(0, steps, 2):
            t0, t1 = i / steps, (i + 1) / steps
            self.line(
                [
                    (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
                    (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1),
                ],
                fill,
                0.003,
            )

    def charm(self, x: float, y: float, r: float) -> None:
        self.ellipse((x - r, y - r, x + r, y + r), GOLD, outline=shade(GOLD, 0.7), width=0.004)
        self.ellipse(
            (x - r * 0.55, y - r * 0.55, x + r * 0.55, y + r * 0.55), None, shade(GOLD, 0.7), 0.004
        )


def _tote(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.7), shade(body, 1.35)
    c.arc((0.30, 0.14, 0.50, 0.52), 180, 360, dark, 0.022)
    c.arc((0.50, 0.14, 0.70, 0.52), 180, 360, dark, 0.022)
    c.poly([(0.18, 0.33), (0.82, 0.33), (0.76, 0.82), (0.24, 0.82)], body)
    c.poly([(0.18, 0.33), (0.82, 0.33), (0.81, 0.40), (0.19, 0.40)], dark)
    c.stitches((0.22, 0.44), (0.78, 0.44), light)
    c.charm(0.5, 0.6, 0.045)


def _satchel(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.3)
    c.arc((0.36, 0.16, 0.64, 0.46), 180, 360, dark, 0.026)
    c.rect((0.17, 0.30, 0.83, 0.80), body, 0.05)
    c.rect((0.17, 0.30, 0.83, 0.56), dark, 0.05)
    c.stitches((0.21, 0.52), (0.79, 0.52), light)
    c.rect((0.45, 0.50, 0.55, 0.62), GOLD, 0.012)
    c.rect((0.475, 0.53, 0.525, 0.59), shade(GOLD, 0.7), 0.006)


def _crossbody(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.3)
    c.line([(0.27, 0.46), (0.18, 0.06)], dark, 0.014)
    c.line([(0.73, 0.46), (0.82, 0.06)], dark, 0.014)
    c.rect((0.24, 0.42, 0.76, 0.78), body, 0.04)
    c.poly([(0.24, 0.44), (0.76, 0.44), (0.76, 0.56), (0.5, 0.66), (0.24, 0.56)], dark)
    c.stitches((0.27, 0.72), (0.73, 0.72), light)
    c.charm(0.5, 0.62, 0.03)


def _bucket(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.3)
    c.arc((0.28, 0.10, 0.72, 0.60), 180, 360, dark, 0.02)
    c.poly([(0.27, 0.34), (0.73, 0.34), (0.80, 0.80), (0.20, 0.80)], body)
    c.ellipse((0.20, 0.74, 0.80, 0.86), body)
    c.ellipse((0.27, 0.30, 0.73, 0.38), dark)
    c.line([(0.5, 0.37), (0.44, 0.52)], light, 0.008)
    c.line([(0.5, 0.37), (0.56, 0.52)], light, 0.008)
    c.ellipse((0.425, 0.51, 0.455, 0.54), GOLD)
    c.ellipse((0.545, 0.51, 0.575, 0.54), GOLD)


def _clutch(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.7), shade(body, 1.3)
    c.rect((0.12, 0.38, 0.88, 0.70), body, 0.03)
    c.poly([(0.12, 0.39), (0.88, 0.39), (0.5, 0.60)], dark)
    c.stitches((0.15, 0.66), (0.85, 0.66), light)
    c.charm(0.5, 0.56, 0.035)


def _shoulder(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.3)
    c.arc((0.22, 0.06, 0.78, 0.80), 200, 340, dark, 0.022)
    c.rect((0.16, 0.36, 0.84, 0.78), body, 0.12)
    c.rect((0.16, 0.36, 0.84, 0.50), dark, 0.12)
    c.stitches((0.22, 0.55), (0.78, 0.55), light)
    c.rect((0.46, 0.46, 0.54, 0.54), GOLD, 0.01)


def _hobo(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.3)
    c.arc((0.26, 0.20, 0.74, 0.96), 180, 360, dark, 0.03)
    c.draw.chord(c.box((0.14, 0.02, 0.86, 0.86)), 20, 160, fill=body)
    c.draw.chord(c.box((0.14, 0.02, 0.86, 0.86)), 20, 160, outline=dark, width=c.w(0.006))
    c.arc((0.20, 0.10, 0.80, 0.80), 40, 140, light, 0.004)
    c.charm(0.5, 0.62, 0.03)


def _backpack(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.3)
    c.arc((0.42, 0.10, 0.58, 0.26), 180, 360, dark, 0.02)
    c.rect((0.24, 0.18, 0.76, 0.86), body, 0.12)
    c.rect((0.24, 0.18, 0.76, 0.40), dark, 0.12)
    c.rect((0.32, 0.54, 0.68, 0.80), shade(body, 0.85), 0.05)
    c.stitches((0.34, 0.58), (0.66, 0.58), light)
    c.rect((0.46, 0.36, 0.54, 0.44), GOLD, 0.012)


def _top_handle(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.3)
    c.arc((0.34, 0.22, 0.66, 0.62), 180, 360, dark, 0.028)
    c.poly([(0.26, 0.42), (0.74, 0.42), (0.80, 0.76), (0.20, 0.76)], body)
    c.poly([(0.26, 0.42), (0.74, 0.42), (0.76, 0.52), (0.24, 0.52)], dark)
    c.stitches((0.23, 0.70), (0.77, 0.70), light)
    c.charm(0.5, 0.58, 0.028)


def _duffel(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.3)
    c.arc((0.34, 0.18, 0.50, 0.52), 180, 360, dark, 0.02)
    c.arc((0.50, 0.18, 0.66, 0.52), 180, 360, dark, 0.02)
    c.rect((0.10, 0.34, 0.90, 0.76), body, 0.2)
    c.ellipse((0.08, 0.38, 0.22, 0.72), dark)
    c.ellipse((0.78, 0.38, 0.92, 0.72), dark)
    c.line([(0.20, 0.38), (0.80, 0.38)], GOLD, 0.008)
    c.stitches((0.24, 0.66), (0.76, 0.66), light)


def _trolley(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.68), shade(body, 1.25)
    c.line([(0.42, 0.20), (0.42, 0.06), (0.58, 0.06), (0.58, 0.20)], (120, 120, 120), 0.014)
    c.rect((0.26, 0.18, 0.74, 0.86), body, 0.06)
    for x in (0.36, 0.44, 0.52, 0.60):
        c.line([(x + 0.02, 0.24), (x + 0.02, 0.80)], light, 0.01)
    c.ellipse((0.28, 0.85, 0.36, 0.93), (60, 60, 60))
    c.ellipse((0.64, 0.85, 0.72, 0.93), (60, 60, 60))
    c.rect((0.46, 0.19, 0.54, 0.23), dark, 0.01)


def _passport(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.7), shade(body, 1.3)
    c.rect((0.30, 0.22, 0.70, 0.80), body, 0.03)
    c.line([(0.31, 0.26), (0.31, 0.76)], dark, 0.01)
    c.stitches((0.34, 0.26), (0.66, 0.26), light)
    c.stitches((0.34, 0.76), (0.66, 0.76), light)
    c.charm(0.5, 0.50, 0.06)


def _pouch(c: Canvas, body: RGB) -> None:
    dark, light = shade(body, 0.7), shade(body, 1.3)
    c.rect((0.18, 0.36, 0.82, 0.78), body, 0.1, outline=shade(body, 0.8))
    c.line([(0.24, 0.42), (0.76, 0.42)], dark, 0.012)
    c.line([(0.76, 0.42), (0.80, 0.50)], GOLD, 0.01)
    c.ellipse((0.785, 0.49, 0.815, 0.53), GOLD)
    c.stitches((0.24, 0.72), (0.76, 0.72), light)


SILHOUETTES: dict[str, Callable[[Canvas, RGB], None]] = {
    "tote": _tote,
    "satchel": _satchel,
    "crossbody": _crossbody,
    "bucket": _bucket,
    "clutch": _clutch,
    "shoulder": _shoulder,
    "hobo": _hobo,
    "backpack": _backpack,
    "top-handle": _top_handle,
    "duffel": _duffel,
    "trolley": _trolley,
    "passport": _passport,
    "pouch": _pouch,
}


# Drawing is deterministic and takes ~0.1 s a picture: re-running the demo
# (a reset shop, every test that loads it) reuses this process's pictures.
@lru_cache(maxsize=128)
def draw_bag(silhouette: str, color_hex: str, backdrop_hex: str = "#F3EDE6") -> bytes:
    """Return a WebP picture of a bag of this silhouette in this colour."""
    px = SIZE * SCALE
    image = Image.new("RGB", (px, px), hex_to_rgb(backdrop_hex))
    shadow = Image.new("L", (px, px), 0)
    ImageDraw.Draw(shadow).ellipse((0.16 * px, 0.84 * px, 0.84 * px, 0.94 * px), fill=90)
    shadow = shadow.filter(ImageFilter.GaussianBlur(px * 0.02))
    image.paste((0, 0, 0), mask=shadow)
    SILHOUETTES[silhouette](Canvas(ImageDraw.Draw(image), px), hex_to_rgb(color_hex))
    image = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=82, method=4)
    return out.getvalue()
