"""From reflectance to what a screen shows and what an eye compares.

The CIE data (1931 2-degree observer, D65, sRGB primaries) come from
colour-science, frozen in cie_data so that no web process imports it
(colour-science and the SciPy it loads cost about 100 MiB per process).
The formulas below are the CIE ones as colour-science writes them; the tests
compare each with colour-science over random inputs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from trunkshow.engines.paint.cie_data import LINEAR_SRGB_TO_XYZ, WEIGHTS_D65, XYZ_TO_LINEAR_SRGB

D65_XY = np.array([0.3127, 0.3290])


@lru_cache(maxsize=1)
def weights() -> NDArray[np.float64]:
    """(bands, 3) matrix: reflectance @ weights = XYZ under D65, with Y of white = 1."""
    return np.array(WEIGHTS_D65, dtype=np.float64)


def xyz_from_reflectance(reflectance: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(reflectance @ weights(), dtype=np.float64)


def lab_from_xyz(xyz: NDArray[np.float64]) -> NDArray[np.float64]:
    return fast_lab_from_xyz(np.asarray(xyz, dtype=np.float64))


def srgb_from_xyz(xyz: NDArray[np.float64]) -> NDArray[np.float64]:
    linear = np.asarray(xyz, dtype=np.float64) @ _xyz_to_linear_srgb().T
    encoded = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * _spow(linear, 1 / 2.4) - 0.055)
    return np.asarray(np.clip(encoded, 0.0, 1.0), dtype=np.float64)


def xyz_from_srgb(rgb: NDArray[np.float64]) -> NDArray[np.float64]:
    encoded = np.asarray(rgb, dtype=np.float64)
    # colour-science's threshold: the encoding of 0.0031308, not the rounded 0.04045.
    linear = np.where(
        encoded <= 12.92 * 0.0031308, encoded / 12.92, _spow((encoded + 0.055) / 1.055, 2.4)
    )
    return np.asarray(linear @ _linear_srgb_to_xyz().T, dtype=np.float64)


def _spow(values: NDArray[np.float64], power: float) -> NDArray[np.float64]:
    """Power that keeps the sign (as colour-science's spow), so out-of-gamut values stay finite."""
    return np.asarray(np.sign(values) * np.abs(values) ** power, dtype=np.float64)


def delta_e_2000(lab_a: NDArray[np.float64], lab_b: NDArray[np.float64]) -> NDArray[np.float64]:
    """CIEDE2000 (k_L = k_C = k_H = 1), in colour-science's formulation."""
    lab_1 = np.asarray(lab_a, dtype=np.float64)
    lab_2 = np.asarray(lab_b, dtype=np.float64)
    l_1, a_1, b_1 = lab_1[..., 0], lab_1[..., 1], lab_1[..., 2]
    l_2, a_2, b_2 = lab_2[..., 0], lab_2[..., 1], lab_2[..., 2]
    c_bar_7 = ((np.hypot(a_1, b_1) + np.hypot(a_2, b_2)) / 2) ** 7
    g = 0.5 * (1 - np.sqrt(c_bar_7 / (c_bar_7 + 25**7)))
    a_p_1, a_p_2 = (1 + g) * a_1, (1 + g) * a_2
    c_p_1, c_p_2 = np.hypot(a_p_1, b_1), np.hypot(a_p_2, b_2)
    h_p_1 = np.where((b_1 == 0) & (a_p_1 == 0), 0, np.degrees(np.arctan2(b_1, a_p_1)) % 360)
    h_p_2 = np.where((b_2 == 0) & (a_p_2 == 0), 0, np.degrees(np.arctan2(b_2, a_p_2)) % 360)
    delta_l_p = l_2 - l_1
    delta_c_p = c_p_2 - c_p_1
    h_diff = h_p_2 - h_p_1
    c_product = c_p_1 * c_p_2
    delta_h_p = np.select(
        [c_product == 0, np.fabs(h_diff) <= 180, h_diff > 180, h_diff < -180],
        [0, h_diff, h_diff - 360, h_diff + 360],
    )
    delta_big_h_p = 2 * np.sqrt(c_product) * np.sin(np.deg2rad(delta_h_p / 2))
    l_bar_p = (l_1 + l_2) / 2
    c_bar_p = (c_p_1 + c_p_2) / 2
    h_abs = np.fabs(h_p_1 - h_p_2)
    h_sum = h_p_1 + h_p_2
    h_bar_p = np.select(
        [
            c_product == 0,
            h_abs <= 180,
            (h_abs > 180) & (h_sum < 360),
            (h_abs > 180) & (h_sum >= 360),
        ],
        [h_sum, h_sum / 2, (h_sum + 360) / 2, (h_sum - 360) / 2],
    )
    t = (
        1
        - 0.17 * np.cos(np.deg2rad(h_bar_p - 30))
        + 0.24 * np.cos(np.deg2rad(2 * h_bar_p))
        + 0.32 * np.cos(np.deg2rad(3 * h_bar_p + 6))
        - 0.20 * np.cos(np.deg2rad(4 * h_bar_p - 63))
    )
    delta_theta = 30 * np.exp(-(((h_bar_p - 275) / 25) ** 2))
    c_bar_p_7 = c_bar_p**7
    r_c = 2 * np.sqrt(c_bar_p_7 / (c_bar_p_7 + 25**7))
    l_bar_p_2 = (l_bar_p - 50) ** 2
    s_l = 1 + (0.015 * l_bar_p_2) / np.sqrt(20 + l_bar_p_2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_t = -np.sin(np.deg2rad(2 * delta_theta)) * r_c
    term_c, term_h = delta_c_p / s_c, delta_big_h_p / s_h
    return np.asarray(
        np.sqrt((delta_l_p / s_l) ** 2 + term_c**2 + term_h**2 + r_t * term_c * term_h),
        dtype=np.float64,
    )


@lru_cache(maxsize=1)
def _xyz_to_linear_srgb() -> NDArray[np.float64]:
    return np.array(XYZ_TO_LINEAR_SRGB, dtype=np.float64)


@lru_cache(maxsize=1)
def _linear_srgb_to_xyz() -> NDArray[np.float64]:
    return np.array(LINEAR_SRGB_TO_XYZ, dtype=np.float64)


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
