"""From reflectance to what a screen shows and what an eye compares.

colour-science supplies the CIE data (1931 2-degree observer, D65) and the
conversions; this module fixes them once as matrices for speed.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

with warnings.catch_warnings():
    # colour-science mentions optional extras (SciPy, Matplotlib) it can do without.
    warnings.simplefilter("ignore")
    import colour

from trunkshow.engines.paint.model import WAVELENGTHS

D65_XY = np.array([0.3127, 0.3290])


@lru_cache(maxsize=1)
def weights() -> NDArray[np.float64]:
    """(bands, 3) matrix: reflectance @ weights = XYZ under D65, with Y of white = 1."""
    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    illuminant = colour.SDS_ILLUMINANTS["D65"]
    xyz_bar = np.array([cmfs[float(w)] for w in WAVELENGTHS])
    power = np.array([illuminant[float(w)] for w in WAVELENGTHS])
    weights = xyz_bar * power[:, None]
    return np.asarray(weights / weights[:, 1].sum(), dtype=np.float64)


def xyz_from_reflectance(reflectance: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(reflectance @ weights(), dtype=np.float64)


def lab_from_xyz(xyz: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(colour.XYZ_to_Lab(xyz, D65_XY), dtype=np.float64)


def srgb_from_xyz(xyz: NDArray[np.float64]) -> NDArray[np.float64]:
    srgb = colour.RGB_COLOURSPACES["sRGB"]
    rgb = colour.XYZ_to_RGB(xyz, srgb, D65_XY, apply_cctf_encoding=True)
    return np.asarray(np.clip(rgb, 0.0, 1.0), dtype=np.float64)


def xyz_from_srgb(rgb: NDArray[np.float64]) -> NDArray[np.float64]:
    srgb = colour.RGB_COLOURSPACES["sRGB"]
    return np.asarray(colour.RGB_to_XYZ(rgb, srgb, D65_XY, apply_cctf_decoding=True))


def delta_e_2000(lab_a: NDArray[np.float64], lab_b: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(colour.delta_E(lab_a, lab_b, method="CIE 2000"), dtype=np.float64)


@lru_cache(maxsize=1)
def _xyz_to_linear_srgb() -> NDArray[np.float64]:
    srgb = colour.RGB_COLOURSPACES["sRGB"]
    return np.asarray(srgb.matrix_XYZ_to_RGB, dtype=np.float64)


def fast_hex_from_xyz(xyz: NDArray[np.float64]) -> str:
    """#RRGGBB of one XYZ (D65, Y of white = 1), as srgb_from_xyz + hex_of, in microseconds.

    The studio mixes one swatch at a time; colour-science's general path
    (checks, adaptation set-up) costs far more than the arithmetic.
    """
    digits = []
    for value in (_xyz_to_linear_srgb() @ xyz).tolist():
        v = min(max(value, 0.0), 1.0)
        v = 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055
        digits.append(round(min(max(v, 0.0), 1.0) * 255))
    return "#{:02X}{:02X}{:02X}".format(*digits)


@lru_cache(maxsize=1)
def _white_xyz() -> NDArray[np.float64]:
    x, y = D65_XY
    return np.array([x / y, 1.0, (1 - x - y) / y])


def fast_lab_from_xyz(xyz: NDArray[np.float64]) -> NDArray[np.float64]:
    """CIELAB (D65) of XYZ rows, the CIE formula without colour-science's checks (fitting)."""
    t = xyz / _white_xyz()
    delta = 6 / 29
    f = np.where(t > delta**3, np.cbrt(t), t / (3 * delta**2) + 4 / 29)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )
