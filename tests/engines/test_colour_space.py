"""The paint engine's colour maths agree with colour-science, which it no longer imports.

Web processes leave colour-science (and the SciPy it loads) out to stay within
their memory budget, so the frozen CIE tables and the formulas are checked here
against the library itself.
"""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from trunkshow.engines.paint import ARTISAN, DIY_KIT, solve
from trunkshow.engines.paint.colour_space import (
    D65_XY,
    delta_e_2000,
    lab_from_xyz,
    srgb_from_xyz,
    weights,
    xyz_from_srgb,
)
from trunkshow.engines.paint.model import WAVELENGTHS, hex_of, rgb_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour

SRGB = colour.RGB_COLOURSPACES["sRGB"]
unit = st.floats(0.0, 1.0, allow_nan=False)
lab = st.tuples(st.floats(0, 100), st.floats(-128, 128), st.floats(-128, 128))
hex_colour = st.tuples(*(st.integers(0, 255),) * 3).map(lambda c: "#{:02X}{:02X}{:02X}".format(*c))


def test_frozen_weights_are_colour_sciences_observer_times_d65():
    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    d65 = colour.SDS_ILLUMINANTS["D65"]
    xyz_bar = np.array([cmfs[float(w)] for w in WAVELENGTHS])
    power = np.array([d65[float(w)] for w in WAVELENGTHS])
    expected = xyz_bar * power[:, None]
    assert np.array_equal(weights(), expected / expected[:, 1].sum())


@settings(max_examples=200, deadline=None)
@given(rgb=st.tuples(unit, unit, unit))
def test_srgb_round_trip_matches_colour_science(rgb):
    rgb_array = np.array(rgb)
    expected_xyz = colour.RGB_to_XYZ(rgb_array, SRGB, D65_XY, apply_cctf_decoding=True)
    assert np.allclose(xyz_from_srgb(rgb_array), expected_xyz, atol=1e-12)
    expected_rgb = np.clip(
        colour.XYZ_to_RGB(expected_xyz, SRGB, D65_XY, apply_cctf_encoding=True), 0, 1
    )
    assert np.allclose(srgb_from_xyz(expected_xyz), expected_rgb, atol=1e-12)
    expected_lab = colour.XYZ_to_Lab(expected_xyz, D65_XY)
    assert np.allclose(lab_from_xyz(expected_xyz), expected_lab, atol=1e-9)


@settings(max_examples=300, deadline=None)
@given(a=lab, b=lab)
def test_ciede2000_matches_colour_science(a, b):
    expected = colour.delta_E(np.array(a), np.array(b), method="CIE 2000")
    assert np.isclose(float(delta_e_2000(np.array(a), np.array(b))), float(expected), atol=1e-9)


def test_out_of_gamut_xyz_clips_as_colour_science_does():
    xyz = np.array([[0.9, 0.1, -0.05], [1.4, 1.2, 1.9], [0.0, 0.0, 0.0]])
    expected = np.clip(colour.XYZ_to_RGB(xyz, SRGB, D65_XY, apply_cctf_encoding=True), 0, 1)
    assert [hex_of(c) for c in srgb_from_xyz(xyz)] == [hex_of(c) for c in expected]


@settings(max_examples=60, deadline=None)
@given(target=hex_colour)
def test_recipes_are_those_colour_science_would_choose(target):
    for palette in (DIY_KIT, ARTISAN):
        parts, table_lab, _hexes = palette.recipes
        target_lab = colour.XYZ_to_Lab(
            colour.RGB_to_XYZ(np.array(rgb_of(target)), SRGB, D65_XY, apply_cctf_decoding=True),
            D65_XY,
        )
        distances = colour.delta_E(
            np.broadcast_to(target_lab, table_lab.shape), table_lab, method="CIE 2000"
        )
        best = int(
            np.lexsort(((parts > 0).sum(axis=1), parts.sum(axis=1), np.round(distances, 2)))[0]
        )
        recipe = solve(target, palette)
        assert recipe.parts == dict(zip(palette.keys, parts[best].tolist(), strict=True))
