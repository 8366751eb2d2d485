"""Paint that mixes like paint: spectral reflectance and Kubelka-Munk.

Why not mix RGB values: light adds, paint subtracts. Averaging the RGB of
blue and yellow gives grey; on a palette they make green, because each
pigment absorbs part of the spectrum and what survives both is green. So
each paint here is a reflectance curve over the visible spectrum, and a
mixture is computed the way pigment layers behave.

Model (single-constant Kubelka-Munk, the usual one for opaque artists'
paints): each paint's absorption/scattering ratio per wavelength is
K/S = (1 - R)^2 / (2 R); a mixture's K/S is the parts-weighted average of
its paints'; the mixture's reflectance is R = 1 + K/S - sqrt((K/S)^2 + 2 K/S).
Its colour is that reflectance seen under CIE D65 by the CIE 1931 2-degree
observer, reported as sRGB for screens and CIELAB for comparing (CIEDE2000).

Data and assumptions: reflectances on 400-700 nm every 10 nm (31 bands),
opaque masstone layers, equal tinting strength per part, no surface
(Saunderson) correction. The kit's four curves are smooth fits shaped after
published masstone curves of the pigments such kits use: titanium white
(PW6), arylide yellow (PY74), naphthol red (PR112) and phthalocyanine blue
(PB15:3). They are a model of those paints, not a measurement of a product;
a brand with a spectrophotometer replaces them with its own 31 numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

WAVELENGTHS = np.arange(400, 701, 10, dtype=np.float64)
# Reflectance cannot reach 0 or 1 in a real layer, and K/S needs 0 < R < 1.
R_MIN, R_MAX = 0.001, 0.999

Curve = NDArray[np.float64]


def _logistic(center: float, width: float) -> Curve:
    return 1.0 / (1.0 + np.exp(-(WAVELENGTHS - center) / width))


def _gauss(center: float, width: float) -> Curve:
    return np.exp(-(((WAVELENGTHS - center) / width) ** 2))


def _clip(curve: Curve) -> Curve:
    return np.clip(curve, R_MIN, R_MAX)


@dataclass(frozen=True)
class Paint:
    key: str
    names: dict[str, str]
    reflectance: tuple[float, ...]

    @property
    def curve(self) -> Curve:
        return np.asarray(self.reflectance, dtype=np.float64)


def paint(key: str, en: str, zh: str, curve: Curve) -> Paint:
    return Paint(key, {"en": en, "zh-Hans": zh}, tuple(float(v) for v in _clip(curve)))


WHITE = paint("white", "White", "白", 0.86 + 0.04 * _logistic(430, 15))
YELLOW = paint("yellow", "Yellow", "黄", 0.05 + 0.82 * _logistic(505, 14))
RED = paint("red", "Red", "红", 0.045 + 0.06 * _gauss(410, 20) + 0.72 * _logistic(598, 11))
BLUE = paint("blue", "Blue", "蓝", 0.04 + 0.42 * _gauss(480, 50) + 0.10 * _logistic(690, 12))
# The artisans' wider palette (solved the same way, up to three paints a colour).
BLACK = paint("black", "Black", "黑", np.full(WAVELENGTHS.shape, 0.035))
OCHRE = paint("ochre", "Yellow ochre", "土黄", 0.06 + 0.5 * _logistic(560, 22))
GREEN = paint("green", "Green", "绿", 0.04 + 0.34 * _gauss(520, 35))
VIOLET = paint("violet", "Violet", "紫", 0.05 + 0.30 * _gauss(420, 30) + 0.35 * _logistic(660, 15))
ORANGE = paint("orange", "Orange", "橙", 0.05 + 0.82 * _logistic(570, 12))


def ks(curve: Curve) -> Curve:
    """Kubelka-Munk absorption/scattering ratio of an opaque layer."""
    r = _clip(curve)
    return (1.0 - r) ** 2 / (2.0 * r)


def reflectance_from_ks(ratio: NDArray[np.float64]) -> NDArray[np.float64]:
    return 1.0 + ratio - np.sqrt(ratio * (ratio + 2.0))


def mix_reflectance(curves: NDArray[np.float64], parts: NDArray[np.float64]) -> NDArray[np.float64]:
    """Reflectance of mixtures: `parts` is (n, paints), `curves` (paints, bands)."""
    weights = parts / parts.sum(axis=-1, keepdims=True)
    return reflectance_from_ks(weights @ np.stack([ks(c) for c in curves]))


def mix_tristimulus(
    curves: NDArray[np.float64],
    parts: NDArray[np.float64],
    weights: NDArray[np.float64],
    chunk: int = 4096,
) -> NDArray[np.float64]:
    """XYZ of many mixtures at once; `weights` maps reflectance to XYZ.

    Worked in chunks that stay in the CPU cache: the whole batch at once is
    several times slower (memory-bound), chunked it mixes millions a second.
    """
    ratios = np.stack([ks(c) for c in curves])
    out = np.empty((len(parts), 3), dtype=np.float64)
    for start in range(0, len(parts), chunk):
        block = parts[start : start + chunk]
        x = (block / block.sum(axis=1, keepdims=True)) @ ratios
        out[start : start + chunk] = reflectance_from_ks(x) @ weights
    return out


def hex_of(rgb: NDArray[np.float64]) -> str:
    r, g, b = (round(float(v) * 255) for v in np.clip(rgb, 0.0, 1.0))
    return f"#{r:02X}{g:02X}{b:02X}"


def rgb_of(hex_colour: str) -> NDArray[np.float64]:
    value = hex_colour.lstrip("#")
    return np.array([int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)], dtype=np.float64)


def gcd_parts(parts: tuple[int, ...]) -> int:
    divisor = 0
    for part in parts:
        divisor = math.gcd(divisor, part)
    return divisor or 1
