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
from collections.abc import Mapping, Sequence
from typing import Any

from PIL import Image, ImageDraw

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


def render_png(template: Mapping[str, Any], design: Design, *, size: int = 640) -> bytes:
    big = size * SUPERSAMPLE
    image = Image.new("RGB", (big, big), BACKDROP)
    draw = ImageDraw.Draw(image)
    zones = {zone["key"]: zone for zone in template["zones"]}
    for key, zone in zones.items():
        polygon = _points(zone["path"], big)
        draw.polygon(polygon, fill=design.zones.get(key, zone.get("default", UNPAINTED)))
    for stroke in design.strokes:
        zone = zones.get(stroke.zone)
        if zone is None:
            continue
        layer = Image.new("RGB", (big, big))
        mask = Image.new("L", (big, big), 0)
        width = max(1, round(stroke.width * SUPERSAMPLE * size / 640))
        points = _points(stroke.points, big)
        stroke_mask = Image.new("L", (big, big), 0)
        pen = ImageDraw.Draw(stroke_mask)
        if len(points) == 1:
            (px, py), r = points[0], width / 2
            pen.ellipse((px - r, py - r, px + r, py + r), fill=255)
        else:
            pen.line(points, fill=255, width=width, joint="curve")
            for px, py in (points[0], points[-1]):
                r = width / 2
                pen.ellipse((px - r, py - r, px + r, py + r), fill=255)
        ImageDraw.Draw(mask).polygon(_points(zone["path"], big), fill=255)
        # Only where the stroke and its zone overlap: paint stays inside its zone.
        clipped = Image.composite(stroke_mask, Image.new("L", (big, big), 0), mask)
        layer.paste(stroke.color, (0, 0, big, big))
        image.paste(layer, (0, 0), clipped)
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
