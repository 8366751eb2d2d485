"""Draw a design on its bag template as a PNG: the same picture the studio shows.

Templates are data: an outline and named zones, each a polygon in the
template's 0..1 box. Strokes are clipped to their zone; the stencil is the
brand's charm (a five-petal flower) placed, scaled and turned; the monogram
sits where the template says. Drawn at twice the size, then reduced, for
smooth edges.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

from PIL import Image, ImageChops, ImageDraw

from trunkshow.engines.design.schema import Design
from trunkshow.engines.video.fonts import cjk_font

SUPERSAMPLE = 2
BACKDROP = "#F3EDE6"
OUTLINE = "#2B2420"
UNPAINTED = "#E9DFD3"


def _points(path: Sequence[Sequence[float]], size: int) -> list[tuple[float, float]]:
    return [(float(x) * size, float(y) * size) for x, y in path]


def charm_polygon(
    x: float, y: float, scale: float, rotation: float, size: int
) -> list[tuple[float, float]]:
    """A five-petal flower outline centred at (x, y), about 12 % of the bag across at scale 1."""
    radius = 0.06 * scale * size
    turn = math.radians(rotation)
    points = []
    for step in range(100):
        angle = 2 * math.pi * step / 100
        r = radius * (0.62 + 0.38 * abs(math.cos(2.5 * angle)))
        points.append(
            (x * size + r * math.cos(angle + turn), y * size + r * math.sin(angle + turn))
        )
    return points


def _sponge(
    pen: ImageDraw.ImageDraw, points: list[tuple[float, float]], width: int, colour: str
) -> None:
    """Speckles along the path, as a sponge leaves them; seeded by the path, so
    the same design always gives the same picture."""
    rng = random.Random(",".join(f"{x:.1f}:{y:.1f}" for x, y in points))  # noqa: S311 - a texture
    dot = max(1.0, width / 9)
    for (x0, y0), (x1, y1) in zip(points, points[1:] or points, strict=False):
        steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / max(1.0, width / 3)))
        for step in range(steps + 1):
            cx = x0 + (x1 - x0) * step / steps
            cy = y0 + (y1 - y0) * step / steps
            for _ in range(6):
                angle = rng.random() * math.tau
                reach = rng.random() * width / 2
                x, y = cx + reach * math.cos(angle), cy + reach * math.sin(angle)
                pen.ellipse((x - dot, y - dot, x + dot, y + dot), fill=colour)


def render_png(template: Mapping[str, Any], design: Design, *, size: int = 640) -> bytes:
    big = size * SUPERSAMPLE
    image = Image.new("RGB", (big, big), BACKDROP)
    draw = ImageDraw.Draw(image)
    zones = {zone["key"]: zone for zone in template["zones"]}
    for key, zone in zones.items():
        polygon = _points(zone["path"], big)
        draw.polygon(polygon, fill=design.zones.get(key, zone.get("default", UNPAINTED)))
    # One layer per zone holds its strokes in order; each layer is clipped to
    # its zone once (zones do not overlap, so the order across zones is moot).
    layers: dict[str, Image.Image] = {}
    for stroke in design.strokes:
        if stroke.zone not in zones:
            continue
        layer = layers.get(stroke.zone)
        if layer is None:
            layer = layers[stroke.zone] = Image.new("RGBA", (big, big), (0, 0, 0, 0))
        pen = ImageDraw.Draw(layer)
        width = max(1, round(stroke.width * SUPERSAMPLE * size / 640))
        points = _points(stroke.points, big)
        if stroke.tool == "sponge":
            _sponge(pen, points, width, stroke.color)
            continue
        if len(points) > 1:
            pen.line(points, fill=stroke.color, width=width, joint="curve")
        r = width / 2
        for px, py in (points[0], points[-1]):
            pen.ellipse((px - r, py - r, px + r, py + r), fill=stroke.color)
    for key, layer in layers.items():
        inside = Image.new("L", (big, big), 0)
        ImageDraw.Draw(inside).polygon(_points(zones[key]["path"], big), fill=255)
        # Paint stays inside its zone.
        alpha = ImageChops.multiply(layer.getchannel("A"), inside)
        image.paste(layer.convert("RGB"), (0, 0), alpha)
    draw = ImageDraw.Draw(image)
    for zone in zones.values():
        draw.polygon(_points(zone["path"], big), outline=OUTLINE, width=2 * SUPERSAMPLE)
    outline = template.get("outline")
    if outline:
        draw.line(
            [*_points(outline, big), _points(outline, big)[0]], fill=OUTLINE, width=3 * SUPERSAMPLE
        )
    if design.stencil is not None:
        s = design.stencil
        draw.polygon(
            charm_polygon(s.x, s.y, s.scale, s.rotation, big), fill=s.color, outline=OUTLINE
        )
    if design.monogram:
        at = template.get("monogram_at", [0.5, 0.6])
        font = cjk_font(int(0.07 * big))
        draw.text(
            (float(at[0]) * big, float(at[1]) * big),
            design.monogram,
            font=font,
            fill="#C9A227",
            anchor="mm",
            stroke_width=SUPERSAMPLE,
            stroke_fill=OUTLINE,
        )
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
