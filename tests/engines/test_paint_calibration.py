"""Issue 25: the kit's paints fitted from a tint-ladder card mix like the paint in the box."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from trunkshow.engines.paint import MAX_PARTS, PaintError, mix, solve
from trunkshow.engines.paint.amounts import amounts
from trunkshow.engines.paint.calibration import CardError, Kit, fit, leave_one_out, parse_card
from trunkshow.engines.paint.card import required_swatches, synthetic_card
from trunkshow.engines.paint.colour_space import delta_e_2000, lab_from_xyz, weights, xyz_from_srgb
from trunkshow.engines.paint.model import (
    BANDS,
    BLUE,
    RED,
    WHITE,
    YELLOW,
    mix_reflectance,
    mix_tristimulus,
    paint,
    paint_of_masstone,
    rgb_of,
)

DEMO_CARD = Path(__file__).resolve().parents[2] / "trunkshow/demo/paint/demo-kit-card.yaml"
KIT = (RED, YELLOW, BLUE, WHITE)


def lch(parts, palette) -> tuple[float, float, float]:
    row = np.array([[float(parts.get(k, 0)) for k in palette.keys]])
    lightness, a, b = lab_from_xyz(mix_tristimulus(palette.table, row, weights()))[0]
    return float(lightness), float(np.hypot(a, b)), float(np.degrees(np.arctan2(b, a)) % 360)


@pytest.fixture(scope="module")
def demo():
    card = parse_card(yaml.safe_load(DEMO_CARD.read_text(encoding="utf-8")))
    result = fit(card)
    return card, result, result.palette()


def test_a_card_made_from_known_constants_is_fitted_back_within_1_de00_on_every_swatch():
    # Given paints other than the demo's, and a card of their mixes measured with 0.5 dE00 noise
    truth = (
        paint_of_masstone("red", "Red", "红", 0.05 + 0.6 / (1 + np.exp(-(np.arange(31) - 19))), 0.1),
        paint_of_masstone("yellow", "Yellow", "黄", 0.08 + 0.75 / (1 + np.exp(-(np.arange(31) - 10) / 1.5)), 0.4),
        paint_of_masstone("blue", "Blue", "蓝", 0.05 + 0.35 * np.exp(-(((np.arange(31) - 7) / 5) ** 2)), 0.08),
        WHITE,
    )  # fmt: skip
    data = synthetic_card(truth, noise_de=0.5, seed=11)
    card = parse_card(data)
    # When the card is fitted
    result = fit(card)
    # Then every swatch's true (noise-free) colour is within 1 dE00 of the fitted model
    clean = parse_card(synthetic_card(truth, noise_de=0.0))
    model = result.palette()
    for swatch in clean.swatches:
        row = np.array([[float(swatch.parts.get(k, 0)) for k in model.keys]])
        got = lab_from_xyz(mix_tristimulus(model.table, row, weights()))[0]
        want = lab_from_xyz(np.asarray(swatch.reflectance) @ weights())
        assert float(delta_e_2000(got, want)) <= 1.0, swatch.label
    # and against the noisy measurements too
    assert result.max_residual <= 1.0 and result.mode == "two-constant"


def test_the_noise_free_fit_recovers_the_constants_themselves():
    # Given a card without noise, When it is fitted
    result = fit(parse_card(synthetic_card(KIT)))
    # Then the colours come back exactly, and K/S and S band by band (the smoothness
    # penalty rounds the steepest absorption edges off by up to a third)
    assert result.max_residual <= 0.6
    for truth, fitted in zip(KIT, result.paints, strict=True):
        ratio = (fitted.absorption / fitted.scattering) / (truth.absorption / truth.scattering)
        assert np.median(np.abs(ratio - 1)) <= 0.05 and np.abs(ratio - 1).max() <= 0.35
        assert np.abs(fitted.scattering / truth.scattering - 1).max() <= 0.15


def test_the_demo_card_fits_within_the_goals(demo):
    card, result, _palette = demo
    assert result.mean_residual <= 2.0
    errors = [error for _label, error in leave_one_out(card, result)]
    assert len(errors) == 3 and sum(errors) / len(errors) <= 3.0


@pytest.mark.parametrize(
    ("parts", "goal"),
    [
        ({"red": 1, "white": 1}, lambda lightness, chroma, hue: lightness >= 62),  # a clear pink
        ({"red": 1, "blue": 1}, lambda lightness, chroma, hue: chroma >= 8 and 260 <= hue <= 340),
        ({"blue": 1, "white": 1}, lambda lightness, chroma, hue: lightness >= 62),
        ({"blue": 1, "yellow": 1}, lambda lightness, chroma, hue: chroma >= 30 and 120 <= hue <= 180),
        ({"yellow": 1, "white": 3}, lambda lightness, chroma, hue: lightness >= 85 and 80 <= hue <= 110),
    ],
)  # fmt: skip
def test_the_fitted_demo_kit_mixes_like_paint(demo, parts, goal):
    _card, _result, palette = demo
    assert goal(*lch(parts, palette)), lch(parts, palette)


def test_a_card_missing_swatches_names_every_one():
    data = synthetic_card(KIT)
    data["swatches"] = [
        s
        for s in data["swatches"]
        if s["parts"] not in ({"red": 1, "white": 9}, {"yellow": 1, "blue": 1})
    ]
    data["kit"]["unit"] = "spoons"
    with pytest.raises(CardError) as caught:
        parse_card(data)
    messages = " ".join(p["message"] for p in caught.value.data["problems"])
    assert "1 red + 9 white" in messages and "1 yellow + 1 blue" in messages
    assert "drops or ml" in messages and caught.value.code == "bad_card"


def test_a_lab_card_is_fitted_single_constant_relative_to_white():
    # Given a CIELAB card of paints that do mix single-constant (S = 1, as white)
    single = tuple(paint(p.key, p.names["en"], p.names["zh-Hans"], p.curve) for p in KIT)
    data = synthetic_card(single)
    for swatch in data["swatches"]:
        curve = np.asarray(swatch.pop("reflectance"))
        swatch["lab"] = [round(float(v), 2) for v in lab_from_xyz(curve @ weights())]
    data["measurement"] = {"illuminant": "D65", "observer": "CIE 1931 2 Degree Standard Observer"}
    result = fit(parse_card(data))
    assert result.mode == "single-constant relative to white"
    assert all(np.allclose(p.scattering, 1.0) for p in result.paints)
    assert result.mean_residual <= 1.0


# Property tests on the fitted demo kit: what paint on a palette always does.
KEYS = ("red", "yellow", "blue", "white")
recipes = st.dictionaries(st.sampled_from(KEYS), st.integers(1, 9), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(recipes, st.integers(1, 10))
def test_adding_white_never_darkens(demo, parts, more):
    palette = demo[2]
    whiter = {**parts, "white": parts.get("white", 0) + more}
    assert lch(whiter, palette)[0] >= lch(parts, palette)[0] - 1e-9


@settings(max_examples=60, deadline=None)
@given(recipes)
def test_mixing_a_paint_with_itself_changes_nothing(demo, parts):
    palette = demo[2]
    doubled = {k: 2 * v for k, v in parts.items()}  # the mix, and as much again of it
    assert mix(doubled, palette) == mix(parts, palette)
    for key in parts:
        assert mix({key: 1}, palette) == mix({key: 5}, palette)


@settings(max_examples=60, deadline=None)
@given(recipes, st.randoms(use_true_random=False))
def test_the_order_of_parts_does_not_matter(demo, parts, rnd):
    palette = demo[2]
    items = list(parts.items())
    rnd.shuffle(items)
    assert mix(dict(items), palette) == mix(parts, palette)


@settings(max_examples=60, deadline=None)
@given(recipes, st.integers(2, 11))
def test_scaling_every_part_alike_changes_nothing(demo, parts, factor):
    palette = demo[2]
    assert mix({k: v * factor for k, v in parts.items()}, palette) == mix(parts, palette)
    row = np.array([[float(parts.get(k, 0)) for k in palette.keys]])
    assert np.allclose(
        mix_reflectance(palette.table, row), mix_reflectance(palette.table, row * factor)
    )


def screen_lab(hex_colour: str):
    return lab_from_xyz(xyz_from_srgb(rgb_of(hex_colour)))


def test_the_solver_is_exact_on_the_fitted_palette(demo):
    # Given every whole-part recipe of the fitted kit, enumerated here independently
    palette = demo[2]
    rows = [
        split for total in range(1, MAX_PARTS + 1)
        for split in itertools.product(range(total + 1), repeat=4) if sum(split) == total
    ]  # fmt: skip
    hexes = [mix(dict(zip(KEYS, row, strict=True)), palette) for row in rows[::1]]
    labs = np.array([screen_lab(h) for h in dict.fromkeys(hexes)])
    rng = np.random.default_rng(25)
    for value in rng.integers(0, 0xFFFFFF, 12):
        target = f"#{int(value):06X}"
        # When the solver answers
        recipe = solve(target, palette)
        # Then no recipe mixes closer by more than 0.1 dE00
        best = float(delta_e_2000(np.broadcast_to(screen_lab(target), labs.shape), labs).min())
        assert recipe.delta_e - best <= 0.1
        assert mix(recipe.parts, palette) == recipe.mixed


def test_the_fit_keeps_constants_positive_and_smooth(demo):
    for fitted in demo[1].paints:
        assert (fitted.absorption > 0).all() and (fitted.scattering > 0).all()
        assert len(fitted.k) == BANDS


def test_a_recipe_in_drops_never_asks_for_more_than_a_pot():
    kit = Kit(unit="drops", drop_ml=0.05, pot_ml=20.0, coverage_ml_per_cm2=0.004, coats=2)
    small = amounts({"red": 1, "white": 3}, area_cm2=100, kit=kit)
    assert small.unit == "drops" and small.amounts == {"red": 4.0, "white": 12.0}
    huge = amounts({"white": 1}, area_cm2=5000, kit=kit)  # 40 ml of white for one zone
    assert huge.capped and huge.batches == 2 and huge.amounts["white"] * 0.05 <= 20.0
    in_ml = amounts({"blue": 1, "yellow": 3}, area_cm2=856, kit=Kit(unit="ml"))
    assert in_ml.unit == "ml" and all(v <= 20.0 for v in in_ml.amounts.values())


def test_mixing_unknown_paint_still_says_why():
    with pytest.raises(PaintError) as caught:
        mix({"green": 1})
    assert caught.value.code == "unknown_paint"


def test_the_required_swatches_are_the_ladder_and_the_pairs():
    needed = required_swatches(["red", "yellow", "blue", "white"], "white")
    assert len(needed) == 4 + 3 * 4 + 3
