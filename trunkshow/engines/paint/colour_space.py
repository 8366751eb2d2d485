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
