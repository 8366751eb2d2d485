"""The calibration card: a tint ladder of the kit's paints, and how the kit measures paint out.

Format (YAML; `trunkshow/demo/paint/demo-kit-card.yaml` is a documented
example): `paints` (key -> names per locale), `white` (the white's key),
`kit` (`unit`: drops or ml, `drop_ml`, `pot_ml`, `coverage_ml_per_cm2`,
`coats`), `measurement` (illuminant D65 and CIE 1931 2° observer, for
CIELAB swatches) and `swatches`: every masstone, every colour's tints with
white at 1:1, 1:3, 1:9 and 1:19 by volume, and the 1:1 mix of every two
colours, each with `parts` and either `reflectance` (31 values, 400-700 nm
every 10 nm) or `lab` ([L*, a*, b*]). `parse_card` checks it all and names
every problem in one `CardError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from trunkshow.engines.paint.colour_space import delta_e_2000, fast_lab_from_xyz, weights
from trunkshow.engines.paint.model import BANDS, WAVELENGTHS, Paint, mix_reflectance
from trunkshow.engines.paint.solver import PaintError

TINTS = (1, 3, 9, 19)  # parts of white per part of colour
UNITS = ("drops", "ml")
ILLUMINANT, OBSERVER = "D65", "CIE 1931 2 Degree Standard Observer"


class CardError(PaintError):
    """A card that cannot be fitted; `data["problems"]` lists every problem."""


@dataclass(frozen=True)
class Kit:
    """How the kit's paint is measured out: the unit its instructions use, pots, coverage."""

    unit: str = "drops"
    drop_ml: float = 0.05
    pot_ml: float = 20.0
    coverage_ml_per_cm2: float = 0.004
    coats: int = 2

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "drop_ml": self.drop_ml, "pot_ml": self.pot_ml,
                "coverage_ml_per_cm2": self.coverage_ml_per_cm2, "coats": self.coats}  # fmt: skip


@dataclass(frozen=True)
class Swatch:
    parts: dict[str, int]
    reflectance: tuple[float, ...] | None = None
    lab: tuple[float, float, float] | None = None

    @property
    def label(self) -> str:
        return " + ".join(f"{v} {k}" for k, v in self.parts.items())


@dataclass(frozen=True)
class Card:
    name: str
    white: str
    paints: dict[str, dict[str, str]]
    kit: Kit
    swatches: tuple[Swatch, ...]
    source: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.paints)

    @property
    def spectral(self) -> bool:
        return all(s.reflectance is not None for s in self.swatches)

    def mixes(self) -> list[int]:
        """Indexes of the 1:1 mixes of two colours (what leave-one-out predicts)."""
        return [
            i for i, s in enumerate(self.swatches)
            if len(s.parts) == 2 and self.white not in s.parts
        ]  # fmt: skip


def required_swatches(keys: Sequence[str], white: str) -> list[dict[str, int]]:
    colours = [k for k in keys if k != white]
    needed: list[dict[str, int]] = [{k: 1} for k in keys]
    needed += [{c: 1, white: n} for c in colours for n in TINTS]
    needed += [{a: 1, b: 1} for i, a in enumerate(colours) for b in colours[i + 1 :]]
    return needed


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if np.isfinite(value) else None


def parse_card(data: Mapping[str, Any]) -> Card:
    """Check a card (parsed YAML/JSON) and return it; CardError lists every problem."""
    problems: list[dict[str, Any]] = []

    def problem(where: str, code: str, message: str) -> None:
        problems.append({"where": where, "code": code, "message": message})

    if not isinstance(data, Mapping):
        raise CardError("A card is a mapping.", code="bad_card", data={"problems": []})
    paints = data.get("paints")
    if not isinstance(paints, Mapping) or not paints:
        problem("paints", "missing", "List the kit's paints with their names.")
        paints = {}
    names = {
        str(k): {str(lang): str(n) for lang, n in (v or {}).items()}
        for k, v in paints.items() if isinstance(v, Mapping | type(None))
    }  # fmt: skip
    white = data.get("white", "white")
    if names and white not in names:
        problem("white", "unknown_paint", f"The white {white!r} is not one of the paints.")
    kit_data = data.get("kit") or {}
    kit_values: dict[str, Any] = {}
    for name, low, high in (("drop_ml", 0.005, 1.0), ("pot_ml", 1.0, 5000.0),
                            ("coverage_ml_per_cm2", 1e-5, 0.1)):  # fmt: skip
        value = _number(kit_data.get(name)) if isinstance(kit_data, Mapping) else None
        if value is None or not low <= value <= high:
            problem(f"kit.{name}", "out_of_range", f"Give {name} between {low} and {high}.")
        else:
            kit_values[name] = value
    unit = kit_data.get("unit") if isinstance(kit_data, Mapping) else None
    if unit not in UNITS:
        problem("kit.unit", "bad_unit", "The kit's unit is drops or ml.")
    measured = data.get("measurement") or {}
    if not isinstance(measured, Mapping):
        measured = {}
    if (
        measured.get("illuminant", ILLUMINANT) != ILLUMINANT
        or measured.get("observer", OBSERVER) != OBSERVER
    ):
        problem("measurement", "unsupported", f"CIELAB must be for {ILLUMINANT}, {OBSERVER}.")
    swatches: list[Swatch] = []
    raw = data.get("swatches")
    if not isinstance(raw, list):
        problem("swatches", "missing", "List the swatches.")
        raw = []
    for i, item in enumerate(raw):
        where = f"swatches[{i}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("parts"), Mapping):
            problem(where, "bad_swatch", "A swatch has parts and a reflectance or lab.")
            continue
        parts = {str(k): v for k, v in item["parts"].items()}
        if any(k not in names for k in parts) or any(
            isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 100
            for v in parts.values()
        ):
            problem(f"{where}.parts", "bad_parts", "Parts are whole numbers 1-100 of kit paints.")
            continue
        curve, lab = item.get("reflectance"), item.get("lab")
        if curve is not None:
            values = [_number(v) for v in curve] if isinstance(curve, list) else []
            if len(values) != BANDS or any(v is None or not 0 <= v <= 1 for v in values):
                problem(f"{where}.reflectance", "bad_spectrum",
                        f"Give {BANDS} reflectances 0-1 at 400-700 nm every 10 nm.")  # fmt: skip
                continue
            swatches.append(Swatch(parts, reflectance=tuple(float(v or 0) for v in values)))
        elif lab is not None:
            values = [_number(v) for v in lab] if isinstance(lab, list) else []
            if (
                len(values) != 3
                or any(v is None for v in values)
                or not 0 <= (values[0] or 0) <= 100
            ):
                problem(f"{where}.lab", "bad_lab", "Give CIELAB as [L*, a*, b*].")
                continue
            l_star, a_star, b_star = (float(v or 0) for v in values)
            swatches.append(Swatch(parts, lab=(l_star, a_star, b_star)))
        else:
            problem(where, "bad_swatch", "A swatch has a reflectance or a lab.")
    if names and white in names:
        have = [dict(s.parts.items()) for s in swatches]
        for needed in required_swatches(list(names), str(white)):
            if not any(_same_ratio(needed, h) for h in have):
                label = " + ".join(f"{v} {k}" for k, v in needed.items())
                problem("swatches", "missing_swatch", f"The card lacks the swatch {label}.")
    if swatches and len({s.reflectance is None for s in swatches}) > 1:
        problem("swatches", "mixed_kinds", "Give every swatch as a spectrum, or every one as lab.")
    if problems:
        raise CardError(
            f"The card has {len(problems)} problem(s): "
            + "; ".join(p["message"] for p in problems),
            code="bad_card",
            data={"problems": problems},
        )
    return Card(
        name=str(data.get("name", "")),
        white=str(white),
        paints=names,
        kit=Kit(unit=str(unit), coats=int(kit_data.get("coats", 2)), **kit_values),
        swatches=tuple(swatches),
        source=str(data.get("source", "")),
    )


def _same_ratio(a: Mapping[str, int], b: Mapping[str, int]) -> bool:
    if set(a) != set(b):
        return False
    first = next(iter(a))
    return all(a[k] * b[first] == b[k] * a[first] for k in a)


def synthetic_card(
    paints: Sequence[Paint],
    *,
    white: str = "white",
    noise_de: float = 0.0,
    seed: int = 0,
    kit: Kit | None = None,
) -> dict[str, Any]:
    """A spectral card (as parsed YAML) of `paints`' mixtures, each off by `noise_de` CIEDE2000.

    The noise is smooth across wavelengths, as a spectrophotometer's and a
    drawdown's errors are, and scaled so each swatch is that far from truth.
    """
    rng = np.random.default_rng(seed)
    keys = [p.key for p in paints]
    table = np.stack([np.concatenate([p.absorption, p.scattering]) for p in paints])
    swatches = []
    x = (WAVELENGTHS - 550) / 150
    for parts in required_swatches(keys, white):
        row = np.array([[float(parts.get(k, 0)) for k in keys]])
        truth = mix_reflectance(table, row)[0]
        measured = truth
        if noise_de > 0:
            shape = rng.normal(0, 1, 3) @ np.stack([np.ones_like(x), x, x * x])
            for _ in range(3):  # scale to the wanted distance (nearly linear at this size)
                trial = np.clip(truth * (1 + 0.01 * shape), 0, 1)
                got = float(delta_e_2000(_lab(truth), _lab(trial)))
                shape = shape * (noise_de / got if got > 0 else 1.0)
            measured = np.clip(truth * (1 + 0.01 * shape), 0, 1)
        swatches.append({"parts": parts, "reflectance": [round(float(v), 5) for v in measured]})
    kit = kit or Kit()
    return {
        "name": "synthetic",
        "white": white,
        "paints": {p.key: dict(p.names) for p in paints},
        "kit": kit.as_dict(),
        "swatches": swatches,
    }


def _lab(reflectance: Any) -> Any:
    return fast_lab_from_xyz(reflectance @ weights())
