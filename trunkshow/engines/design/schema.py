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
from dataclasses import dataclass, field
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

# Why a rule broke, by code; the layer above says it in the shopper's language
# from the code and its data, these English words are for logs and the engine.
MESSAGES = {
    "design_not_object": "the design must be an object",
    "version": "this studio reads design documents of version {version}",
    "template": "must be a template key",
    "mode": "must be artisan or diy",
    "zones": "must be an object of at most {max} zones",
    "unknown_zone": "unknown zone; this bag has {zones}",
    "strokes": "must be a list of at most {max} strokes",
    "not_object": "must be an object",
    "not_number": "must be a number",
    "out_of_range": "must be between {low} and {high}",
    "not_colour": "must be a colour like #1F3A5F",
    "tool": "must be brush or sponge",
    "points": "must be 1 to {max} points",
    "too_many_points": "at most {max} points in all",
    "point": "must be [x, y]",
    "object_or_null": "must be an object or null",
    "monogram": "must be 1 to 3 letters A-Z, or null",
}


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (`loc`), why (`code`, a key of MESSAGES) and its facts."""

    loc: list[str | int]
    code: str
    data: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.data)


def _problem(loc: list[str | int], code: str, **data: object) -> Problem:
    return Problem(loc, code, data)


class DesignError(ValueError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        self.issues: list[Issue] = [(p.loc, p.message) for p in self.problems]
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in self.issues))


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
    value: object, loc: list[str | int], low: float, high: float, issues: list[Problem]
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        issues.append(_problem(loc, "not_number"))
        return low
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        issues.append(_problem(loc, "out_of_range", low=f"{low:g}", high=f"{high:g}"))
        return low
    return number


def _colour(value: object, loc: list[str | int], issues: list[Problem]) -> str:
    if not isinstance(value, str) or not HEX.match(value):
        issues.append(_problem(loc, "not_colour"))
        return "#000000"
    return value.upper()


def parse_design(data: object, *, zones: Sequence[str]) -> Design:
    """Check a document against the rules and the template's zones; return it, or
    raise DesignError listing every issue (at most 50, then the rest is skipped)."""
    issues: list[Problem] = []
    if not isinstance(data, Mapping):
        raise DesignError([_problem([], "design_not_object")])
    version = data.get("version", VERSION)
    if version != VERSION or isinstance(version, bool):
        issues.append(_problem(["version"], "version", version=VERSION))
    template = data.get("template")
    if not isinstance(template, str) or not 1 <= len(template) <= 64:
        issues.append(_problem(["template"], "template"))
    mode = data.get("mode")
    if mode not in MODES:
        issues.append(_problem(["mode"], "mode"))

    known = ", ".join(zones)
    fills: dict[str, str] = {}
    raw_zones = data.get("zones", {})
    if not isinstance(raw_zones, Mapping) or len(raw_zones) > MAX_ZONES:
        issues.append(_problem(["zones"], "zones", max=MAX_ZONES))
    else:
        for key, colour in raw_zones.items():
            if key not in zones:
                issues.append(_problem(["zones", str(key)[:40]], "unknown_zone", zones=known))
                continue
            fills[key] = _colour(colour, ["zones", key], issues)

    strokes: list[Stroke] = []
    raw_strokes = data.get("strokes", [])
    total_points = 0
    if not isinstance(raw_strokes, list) or len(raw_strokes) > MAX_STROKES:
        issues.append(_problem(["strokes"], "strokes", max=MAX_STROKES))
        raw_strokes = []
    for index, raw in enumerate(raw_strokes):
        loc: list[str | int] = ["strokes", index]
        if len(issues) >= 50:
            break
        if not isinstance(raw, Mapping):
            issues.append(_problem(loc, "not_object"))
            continue
        zone = raw.get("zone")
        if zone not in zones:
            issues.append(_problem([*loc, "zone"], "unknown_zone", zones=known))
        colour = _colour(raw.get("color"), [*loc, "color"], issues)
        width = _number(raw.get("width"), [*loc, "width"], MIN_WIDTH, MAX_WIDTH, issues)
        tool = raw.get("tool", "brush")
        if tool not in TOOLS:
            issues.append(_problem([*loc, "tool"], "tool"))
            tool = "brush"
        points = raw.get("points")
        if not isinstance(points, list) or not 1 <= len(points) <= MAX_POINTS_PER_STROKE:
            issues.append(_problem([*loc, "points"], "points", max=MAX_POINTS_PER_STROKE))
            continue
        total_points += len(points)
        if total_points > MAX_POINTS:
            issues.append(_problem(["strokes"], "too_many_points", max=MAX_POINTS))
            break
        parsed: list[tuple[float, float]] = []
        for p_index, point in enumerate(points):
            if not isinstance(point, list) or len(point) != 2:
                issues.append(_problem([*loc, "points", p_index], "point"))
                break
            x = _number(point[0], [*loc, "points", p_index, 0], 0.0, 1.0, issues)
            y = _number(point[1], [*loc, "points", p_index, 1], 0.0, 1.0, issues)
            parsed.append((x, y))
        strokes.append(Stroke(str(zone), colour, width, tuple(parsed), str(tool)))

    stencil = None
    raw_stencil = data.get("stencil")
    if raw_stencil is not None:
        if not isinstance(raw_stencil, Mapping):
            issues.append(_problem(["stencil"], "object_or_null"))
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
            issues.append(_problem(["monogram"], "monogram"))
            monogram = None
        else:
            monogram = monogram.upper()

    if issues:
        raise DesignError(issues[:50])
    return Design(str(template), str(mode), fills, tuple(strokes), stencil, monogram)
