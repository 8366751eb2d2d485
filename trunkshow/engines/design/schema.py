"""The design document (version 1) and every rule it must keep.

A document describes a painted bag relative to its template's box (0..1 on
both axes): a fill per zone, brush strokes clipped to a zone, the charm
stencil, a monogram. Limits are hard so that no document can make a request
slow or a preview huge; each broken rule is reported with where it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

VERSION = 1
MODES = ("artisan", "diy")
MAX_ZONES = 16
MAX_STROKES = 200
MAX_POINTS_PER_STROKE = 500
MAX_POINTS = 20_000
MIN_WIDTH, MAX_WIDTH = 1.0, 64.0
MIN_SCALE, MAX_SCALE = 0.2, 3.0
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
MONOGRAM = re.compile(r"^[A-Z]{1,3}$")

Issue = tuple[list[str | int], str]


class DesignError(ValueError):
    def __init__(self, issues: Sequence[Issue]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in issues))
        self.issues = list(issues)


TOOLS = ("brush", "sponge")


@dataclass(frozen=True)
class Stroke:
    zone: str
    color: str
    width: float
    points: tuple[tuple[float, float], ...]
    # The kit's round sponge dabs a speckled texture instead of a solid line.
    tool: str = "brush"


@dataclass(frozen=True)
class Stencil:
    x: float
    y: float
    scale: float
    rotation: float
    color: str


@dataclass(frozen=True)
class Design:
    template: str
    mode: str
    zones: dict[str, str]
    strokes: tuple[Stroke, ...]
    stencil: Stencil | None
    monogram: str | None

    def colours(self) -> list[str]:
        """Every colour the design uses, in first-use order, upper-case."""
        seen: dict[str, None] = {}
        for colour in self.zones.values():
            seen[colour] = None
        for stroke in self.strokes:
            seen[stroke.color] = None
        if self.stencil is not None:
            seen[self.stencil.color] = None
        return list(seen)

    def as_document(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "template": self.template,
            "mode": self.mode,
            "zones": dict(self.zones),
            "strokes": [
                {
                    "zone": s.zone,
                    "color": s.color,
                    "width": s.width,
                    "tool": s.tool,
                    "points": [list(p) for p in s.points],
                }
                for s in self.strokes
            ],
            "stencil": None
            if self.stencil is None
            else {
                "x": self.stencil.x,
                "y": self.stencil.y,
                "scale": self.stencil.scale,
                "rotation": self.stencil.rotation,
                "color": self.stencil.color,
            },
            "monogram": self.monogram,
        }


def _number(
    value: object, loc: list[str | int], low: float, high: float, issues: list[Issue]
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        issues.append((loc, "must be a number"))
        return low
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        issues.append((loc, f"must be between {low:g} and {high:g}"))
        return low
    return number


def _colour(value: object, loc: list[str | int], issues: list[Issue]) -> str:
    if not isinstance(value, str) or not HEX.match(value):
        issues.append((loc, "must be a colour like #1F3A5F"))
        return "#000000"
    return value.upper()


def parse_design(data: object, *, zones: Sequence[str]) -> Design:
    """Check a document against the rules and the template's zones; return it, or
    raise DesignError listing every issue (at most 50, then the rest is skipped)."""
    issues: list[Issue] = []
    if not isinstance(data, Mapping):
        raise DesignError([([], "the design must be an object")])
    version = data.get("version", VERSION)
    if version != VERSION or isinstance(version, bool):
        issues.append((["version"], f"this studio reads design documents of version {VERSION}"))
    template = data.get("template")
    if not isinstance(template, str) or not 1 <= len(template) <= 64:
        issues.append((["template"], "must be a template key"))
    mode = data.get("mode")
    if mode not in MODES:
        issues.append((["mode"], "must be artisan or diy"))

    known = ", ".join(zones)
    fills: dict[str, str] = {}
    raw_zones = data.get("zones", {})
    if not isinstance(raw_zones, Mapping) or len(raw_zones) > MAX_ZONES:
        issues.append((["zones"], f"must be an object of at most {MAX_ZONES} zones"))
    else:
        for key, colour in raw_zones.items():
            if key not in zones:
                issues.append(
                    (["zones", str(key)[:40]], f"unknown zone; this bag has {', '.join(zones)}")
                )
                continue
            fills[key] = _colour(colour, ["zones", key], issues)

    strokes: list[Stroke] = []
    raw_strokes = data.get("strokes", [])
    total_points = 0
    if not isinstance(raw_strokes, list) or len(raw_strokes) > MAX_STROKES:
        issues.append((["strokes"], f"must be a list of at most {MAX_STROKES} strokes"))
        raw_strokes = []
    for index, raw in enumerate(raw_strokes):
        loc: list[str | int] = ["strokes", index]
        if len(issues) >= 50:
            break
        if not isinstance(raw, Mapping):
            issues.append((loc, "must be an object"))
            continue
        zone = raw.get("zone")
        if zone not in zones:
            issues.append(([*loc, "zone"], f"unknown zone; this bag has {known}"))
        colour = _colour(raw.get("color"), [*loc, "color"], issues)
        width = _number(raw.get("width"), [*loc, "width"], MIN_WIDTH, MAX_WIDTH, issues)
        tool = raw.get("tool", "brush")
        if tool not in TOOLS:
            issues.append(([*loc, "tool"], "must be brush or sponge"))
            tool = "brush"
        points = raw.get("points")
        if not isinstance(points, list) or not 1 <= len(points) <= MAX_POINTS_PER_STROKE:
            issues.append(([*loc, "points"], f"must be 1 to {MAX_POINTS_PER_STROKE} points"))
            continue
        total_points += len(points)
        if total_points > MAX_POINTS:
            issues.append((["strokes"], f"at most {MAX_POINTS} points in all"))
            break
        parsed: list[tuple[float, float]] = []
        for p_index, point in enumerate(points):
            if not isinstance(point, list) or len(point) != 2:
                issues.append(([*loc, "points", p_index], "must be [x, y]"))
                break
            x = _number(point[0], [*loc, "points", p_index, 0], 0.0, 1.0, issues)
            y = _number(point[1], [*loc, "points", p_index, 1], 0.0, 1.0, issues)
            parsed.append((x, y))
        strokes.append(Stroke(str(zone), colour, width, tuple(parsed), str(tool)))

    stencil = None
    raw_stencil = data.get("stencil")
    if raw_stencil is not None:
        if not isinstance(raw_stencil, Mapping):
            issues.append((["stencil"], "must be an object or null"))
        else:
            stencil = Stencil(
                x=_number(raw_stencil.get("x"), ["stencil", "x"], 0.0, 1.0, issues),
                y=_number(raw_stencil.get("y"), ["stencil", "y"], 0.0, 1.0, issues),
                scale=_number(
                    raw_stencil.get("scale", 1.0),
                    ["stencil", "scale"],
                    MIN_SCALE,
                    MAX_SCALE,
                    issues,
                ),
                rotation=_number(
                    raw_stencil.get("rotation", 0), ["stencil", "rotation"], -360.0, 360.0, issues
                ),
                color=_colour(raw_stencil.get("color"), ["stencil", "color"], issues),
            )

    monogram = data.get("monogram")
    if monogram is not None:
        if not isinstance(monogram, str) or not MONOGRAM.match(monogram.upper()):
            issues.append((["monogram"], "must be 1 to 3 letters A-Z, or null"))
            monogram = None
        else:
            monogram = monogram.upper()

    if issues:
        raise DesignError(issues[:50])
    return Design(str(template), str(mode), fills, tuple(strokes), stencil, monogram)
