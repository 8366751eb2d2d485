"""Fit the kit's paints from a tint-ladder card, the way paint makers do.

A card (documented in `trunkshow/demo/paint/demo-kit-card.yaml`) gives, for
each kit paint, its masstone and its tints with white at 1:1, 1:3, 1:9 and
1:19 by volume, plus the 1:1 mixes of every two colours; each swatch as a
reflectance spectrum (400-700 nm, 10 nm) or as CIELAB (D65, CIE 1931 2°).

Rule: with spectra the fit is two-constant Kubelka-Munk: for each paint an
absorption K(λ) and a scattering S(λ), relative to the white's S = 1, found
by least squares (scipy's trust-region reflective solver) on the swatches'
reflectance behind Saunderson's surface correction. Constants are fitted as
logarithms, so they stay positive, and a penalty on their second difference
across wavelengths keeps them smooth. With CIELAB only, three numbers per
swatch cannot tell absorption from scattering: the fit is single-constant
(every S = 1, relative to the white) and says so in `Fit.mode`.

Errors (`CardError`) name every missing or bad swatch, with a code and data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trunkshow.engines.paint.card import Card, CardError, Kit, Swatch, parse_card
from trunkshow.engines.paint.colour_space import delta_e_2000, fast_lab_from_xyz, weights
from trunkshow.engines.paint.model import (
    BANDS,
    Paint,
    inverse_saunderson,
    ks,
    mix_reflectance,
    paint_from_constants,
)
from trunkshow.engines.paint.solver import Palette

__all__ = ["Card", "CardError", "Fit", "Kit", "SwatchFit", "fit", "leave_one_out", "parse_card"]
SMOOTHNESS = 0.3
SMOOTHNESS = 0.3


@dataclass(frozen=True)
class SwatchFit:
    label: str
    parts: dict[str, int]
    measured_lab: tuple[float, float, float]
    model_lab: tuple[float, float, float]
    delta_e: float


@dataclass(frozen=True)
class Fit:
    """Fitted paints, and how well they reproduce every swatch (CIEDE2000)."""

    mode: str  # "two-constant" or "single-constant relative to white"
    paints: tuple[Paint, ...]
    swatches: tuple[SwatchFit, ...]
    kit: Kit
    params: tuple[float, ...] = field(repr=False, default=())

    @property
    def mean_residual(self) -> float:
        return float(np.mean([s.delta_e for s in self.swatches]))

    @property
    def max_residual(self) -> float:
        return float(max(s.delta_e for s in self.swatches))

    def palette(self, key: str = "diy-kit", version: int = 0) -> Palette:
        return Palette(key, self.paints, max_paints=len(self.paints), version=version)


def _parts_matrix(card: Card, swatches: Sequence[Swatch]) -> NDArray[np.float64]:
    keys = card.keys
    return np.array([[float(s.parts.get(k, 0)) for k in keys] for s in swatches])


def _unpack(
    x: NDArray[np.float64], card: Card, mode: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(K, S), each (paints, bands), from the log-parameters."""
    n = len(card.keys)
    k = np.exp(x[: n * BANDS].reshape(n, BANDS))
    s = np.ones((n, BANDS))
    if mode == "two-constant":
        others = [i for i, key in enumerate(card.keys) if key != card.white]
        s[others] = np.exp(x[n * BANDS :].reshape(len(others), BANDS))
    return k, s


def _model(x: NDArray[np.float64], card: Card, mode: str, parts: NDArray[np.float64]) -> Any:
    k, s = _unpack(x, card, mode)
    return mix_reflectance(np.concatenate([k, s], axis=1), parts)


def _smoothness(x: NDArray[np.float64]) -> NDArray[np.float64]:
    curves = x.reshape(-1, BANDS)
    return np.asarray(SMOOTHNESS * np.diff(curves, n=2, axis=1).ravel(), dtype=np.float64)


def _initial(card: Card, mode: str) -> NDArray[np.float64]:
    """Start from each masstone read as single-constant (S = 1 for white, 0.5 for colours)."""
    logs_k, logs_s = [], []
    for key in card.keys:
        swatch = next(s for s in card.swatches if s.parts == {key: 1} or set(s.parts) == {key})
        if swatch.reflectance is not None:
            ratio = ks(inverse_saunderson(np.asarray(swatch.reflectance)))
        else:
            ratio = np.full(BANDS, 0.05 if key == card.white else 1.0)
        scatter = 1.0 if key == card.white or mode != "two-constant" else 0.5
        logs_k.append(np.log(np.maximum(ratio * scatter, 1e-4)))
        if key != card.white and mode == "two-constant":
            logs_s.append(np.full(BANDS, np.log(scatter)))
    return np.concatenate(logs_k + logs_s)


def _sparsity(card: Card, swatches: Sequence[Swatch], size: int) -> Any:
    """Which parameters each residual depends on: a swatch's band, its paints' K and S there."""
    # SciPy (about 75 MiB) loads only when an admin fits a card, not in every web process.
    from scipy.sparse import lil_matrix

    n = len(card.keys)
    others = [key for key in card.keys if key != card.white]
    rows = len(swatches) * BANDS + size // BANDS * (BANDS - 2)
    pattern = lil_matrix((rows, size), dtype=int)
    for row, swatch in enumerate(swatches):
        for key in swatch.parts:
            i = card.keys.index(key)
            for band in range(BANDS):
                pattern[row * BANDS + band, i * BANDS + band] = 1
                if key != card.white and size > n * BANDS:
                    j = n + others.index(key)
                    pattern[row * BANDS + band, j * BANDS + band] = 1
    start = len(swatches) * BANDS
    for curve in range(size // BANDS):
        for band in range(BANDS - 2):
            for offset in range(3):
                pattern[start + curve * (BANDS - 2) + band, curve * BANDS + band + offset] = 1
    return pattern


def _lab_of_reflectance(reflectance: NDArray[np.float64]) -> NDArray[np.float64]:
    return fast_lab_from_xyz(reflectance @ weights())


def _solve(
    card: Card, swatches: Sequence[Swatch], mode: str, start: NDArray[np.float64] | None
) -> NDArray[np.float64]:
    from scipy.optimize import least_squares

    parts = _parts_matrix(card, swatches)
    x0 = _initial(card, mode) if start is None else start
    if mode == "two-constant":
        measured = np.array([s.reflectance for s in swatches], dtype=np.float64)
        # Relative errors: a dark swatch's few percent of reflectance are what the eye sees.
        scale = 1.0 / (measured + 0.02)

        def residuals(x: NDArray[np.float64]) -> NDArray[np.float64]:
            error = (_model(x, card, mode, parts) - measured) * scale
            return np.concatenate([error.ravel(), _smoothness(x)])

        sparsity = _sparsity(card, swatches, len(x0))
        result = least_squares(residuals, x0, jac_sparsity=sparsity, method="trf",
                               x_scale="jac", max_nfev=200)  # fmt: skip
    else:
        target = np.array([s.lab for s in swatches], dtype=np.float64)

        def residuals(x: NDArray[np.float64]) -> NDArray[np.float64]:
            lab = _lab_of_reflectance(_model(x, card, mode, parts))
            return np.concatenate([((lab - target) / 10).ravel(), _smoothness(x)])

        result = least_squares(residuals, x0, method="trf", max_nfev=60)
    return np.asarray(result.x, dtype=np.float64)


def _measured_lab(swatch: Swatch) -> NDArray[np.float64]:
    if swatch.lab is not None:
        return np.asarray(swatch.lab, dtype=np.float64)
    return _lab_of_reflectance(np.asarray(swatch.reflectance, dtype=np.float64))


def fit(card: Card, *, exclude: Sequence[int] = (), start: Sequence[float] = ()) -> Fit:
    """Fit the card's paints; `exclude` leaves swatches out (for leave-one-out)."""
    mode = "two-constant" if card.spectral else "single-constant relative to white"
    used = [s for i, s in enumerate(card.swatches) if i not in set(exclude)]
    x = _solve(card, used, mode, np.asarray(start, dtype=np.float64) if len(start) else None)
    k, s = _unpack(x, card, mode)
    paints = tuple(
        paint_from_constants(key, card.paints[key] or {"en": key}, k[i], s[i])
        for i, key in enumerate(card.keys)
    )
    model_lab = _lab_of_reflectance(_model(x, card, mode, _parts_matrix(card, card.swatches)))
    measured = np.array([_measured_lab(sw) for sw in card.swatches])
    distances = delta_e_2000(measured, model_lab)
    rows = tuple(
        SwatchFit(
            sw.label,
            dict(sw.parts),
            _triple(measured[i]),
            _triple(model_lab[i]),
            round(float(distances[i]), 2),
        )
        for i, sw in enumerate(card.swatches)
    )
    return Fit(mode, paints, rows, card.kit, tuple(float(v) for v in x))


def _triple(values: NDArray[np.float64]) -> tuple[float, float, float]:
    a, b, c = (round(float(v), 2) for v in values)
    return a, b, c


def leave_one_out(card: Card, full: Fit) -> list[tuple[str, float]]:
    """For each two-colour mix: fit without it, then the error of predicting it (CIEDE2000)."""
    errors = []
    for index in card.mixes():
        partial = fit(card, exclude=[index], start=full.params)
        errors.append((card.swatches[index].label, partial.swatches[index].delta_e))
    return errors
