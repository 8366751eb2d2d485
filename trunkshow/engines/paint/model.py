"""Paint that mixes like paint: two-constant Kubelka-Munk with a surface correction.

Why not mix RGB values: light adds, paint subtracts. Averaging the RGB of
blue and yellow gives grey; on a palette they make green, because each
pigment absorbs part of the spectrum and what survives both is green. So
each paint here is an absorption curve K(λ) and a scattering curve S(λ)
over the visible spectrum, and a mixture is computed the way pigment
layers behave.

Model (two-constant Kubelka-Munk, the one paint makers fit to tint
ladders): a mixture's K and S are the parts-weighted averages of its
paints' K and S (by volume); an opaque layer's internal reflectance is
R∞ = 1 + K/S - sqrt((K/S)^2 + 2 K/S); what a spectrophotometer (and an
eye) sees is R∞ behind the paint's surface, by Saunderson's correction
R = (1 - k1)(1 - k2) R∞ / (1 - k2 R∞), specular reflection excluded, with
k1 = 0.04 (external reflection of a binder with refractive index 1.5) and
k2 = 0.6 (internal reflection of diffuse light). This is why white
lightens strongly in tints: white scatters (large S), so a red tinted
1:1 has half the red's absorption spread over far more scattering.

Constants are relative: only K/S ratios matter, so the white's S is 1 at
every wavelength. The defaults below are the demo kit's (see
`trunkshow/demo/paint/demo-kit-card.yaml` for how they were made); a brand
fits its own from a tint-ladder card (`engines.paint.calibration`).

Colour: the reflectance seen under CIE D65 by the CIE 1931 2-degree
observer, reported as sRGB for screens and CIELAB for comparing (CIEDE2000).
Reflectances on 400-700 nm every 10 nm (31 bands).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

WAVELENGTHS = np.arange(400, 701, 10, dtype=np.float64)
BANDS = len(WAVELENGTHS)
# Reflectance cannot reach 0 or 1 in a real layer, and K/S needs 0 < R < 1.
R_MIN, R_MAX = 0.001, 0.999
# Saunderson's surface correction (specular component excluded).
K1, K2 = 0.04, 0.6

Curve = NDArray[np.float64]


def _logistic(center: float, width: float) -> Curve:
    return 1.0 / (1.0 + np.exp(-(WAVELENGTHS - center) / width))


def _gauss(center: float, width: float) -> Curve:
    return np.exp(-(((WAVELENGTHS - center) / width) ** 2))


def _clip(curve: Curve) -> Curve:
    return np.clip(curve, R_MIN, R_MAX)


def saunderson(r_inf: NDArray[np.float64]) -> NDArray[np.float64]:
    """Measured reflectance of an opaque layer whose internal reflectance is `r_inf`."""
    return (1.0 - K1) * (1.0 - K2) * r_inf / (1.0 - K2 * r_inf)


def inverse_saunderson(measured: NDArray[np.float64]) -> NDArray[np.float64]:
    """Internal reflectance R∞ of a layer measured as `measured` (the inverse of saunderson)."""
    r = np.clip(measured, R_MIN, (1.0 - K1) * 0.999)
    return r / ((1.0 - K1) * (1.0 - K2) + K2 * r)


def ks(curve: Curve) -> Curve:
    """Kubelka-Munk absorption/scattering ratio of an opaque layer's internal reflectance."""
    r = _clip(curve)
    return (1.0 - r) ** 2 / (2.0 * r)


def reflectance_from_ks(ratio: NDArray[np.float64]) -> NDArray[np.float64]:
    return 1.0 + ratio - np.sqrt(ratio * (ratio + 2.0))


@dataclass(frozen=True)
class Paint:
    """A paint: its names, absorption `k` and scattering `s` per band (relative to white)."""

    key: str
    names: dict[str, str]
    k: tuple[float, ...]
    s: tuple[float, ...]

    @property
    def absorption(self) -> Curve:
        return np.asarray(self.k, dtype=np.float64)

    @property
    def scattering(self) -> Curve:
        return np.asarray(self.s, dtype=np.float64)

    @property
    def curve(self) -> Curve:
        """The masstone's measured reflectance (what the paint looks like out of the pot)."""
        return np.asarray(
            saunderson(reflectance_from_ks(self.absorption / self.scattering)), dtype=np.float64
        )


def paint_from_constants(
    key: str, names: dict[str, str], k: Sequence[float] | Curve, s: Sequence[float] | Curve
) -> Paint:
    return Paint(key, dict(names), tuple(float(v) for v in k), tuple(float(v) for v in s))


def paint(key: str, en: str, zh: str, curve: Curve) -> Paint:
    """A paint known only by its masstone reflectance: single-constant (S = 1)."""
    ratio = ks(inverse_saunderson(_clip(curve)))
    return paint_from_constants(key, {"en": en, "zh-Hans": zh}, ratio, np.ones(BANDS))


def paint_of_masstone(key: str, en: str, zh: str, masstone: Curve, scattering: float) -> Paint:
    """A paint from its masstone's measured reflectance and its scattering (white's S = 1).

    K = S * (K/S of the masstone): the masstone fixes the ratio, the
    scattering how strongly the paint holds its colour against white.
    """
    ratio = ks(inverse_saunderson(np.clip(masstone, R_MIN, 0.95)))
    s = np.full(BANDS, scattering)
    return paint_from_constants(key, {"en": en, "zh-Hans": zh}, ratio * s, s)


# The demo kit, shaped after published masstone curves and absorption bands
# of the pigments artists' acrylics use (see the demo card for sources):
# titanium white (PW6, flat and high, absorbs below ~420 nm), a cadmium-like
# red (PR108: an edge near 595 nm, a little violet reflectance), a
# cadmium-like yellow (PY35: an edge near 500 nm) and a phthalocyanine-like
# blue (PB15:3: reflects around 465 nm, absorbs 580-700 nm). Scattering
# relative to the white: cadmiums are opaque (high S), phthalo transparent.
WHITE = paint_of_masstone("white", "White", "白", 0.89 - 0.06 * _logistic(415, -8), 1.0)
YELLOW = paint_of_masstone("yellow", "Yellow", "黄", 0.06 + 0.80 * _logistic(500, 12), 0.6)
RED = paint_of_masstone(
    "red", "Red", "红", 0.04 + 0.16 * _gauss(405, 20) + 0.62 * _logistic(595, 10), 0.05
)
BLUE = paint_of_masstone(
    "blue", "Blue", "蓝", 0.035 + 0.30 * _gauss(465, 45) + 0.02 * _logistic(690, 10), 0.06
)
# The artisans' wider palette (solved the same way, up to three paints a colour).
BLACK = paint("black", "Black", "黑", np.full(WAVELENGTHS.shape, 0.035))
OCHRE = paint("ochre", "Yellow ochre", "土黄", 0.06 + 0.5 * _logistic(560, 22))
GREEN = paint("green", "Green", "绿", 0.04 + 0.34 * _gauss(520, 35))
VIOLET = paint("violet", "Violet", "紫", 0.05 + 0.30 * _gauss(420, 30) + 0.35 * _logistic(660, 15))
ORANGE = paint("orange", "Orange", "橙", 0.05 + 0.82 * _logistic(570, 12))


def constants(paints: Sequence[Paint]) -> NDArray[np.float64]:
    """(paints, 2 * bands): each paint's K then S, for mixing with one matrix product."""
    return np.stack([np.concatenate([p.absorption, p.scattering]) for p in paints])


def mix_reflectance(table: NDArray[np.float64], parts: NDArray[np.float64]) -> NDArray[np.float64]:
    """Measured reflectance of mixtures: `parts` is (n, paints), `table` from constants()."""
    weights = parts / parts.sum(axis=-1, keepdims=True)
    both = weights @ table
    return saunderson(reflectance_from_ks(both[..., :BANDS] / both[..., BANDS:]))


def mix_tristimulus(
    table: NDArray[np.float64],
    parts: NDArray[np.float64],
    weights: NDArray[np.float64],
    chunk: int = 4096,
) -> NDArray[np.float64]:
    """XYZ of many mixtures at once; `weights` maps reflectance to XYZ.

    Worked in chunks that stay in the CPU cache: the whole batch at once is
    several times slower (memory-bound), chunked it mixes millions a second.
    Parts need not be normalised: K and S scale alike, so K/S does not change.
    """
    out = np.empty((len(parts), 3), dtype=np.float64)
    a, b = (1.0 - K1) * (1.0 - K2), K2
    for start in range(0, len(parts), chunk):
        both = parts[start : start + chunk] @ table
        q = both[:, :BANDS]
        q /= both[:, BANDS:]
        r = 1.0 + q - np.sqrt(q * (q + 2.0))
        out[start : start + chunk] = (a * r / (1.0 - b * r)) @ weights
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
