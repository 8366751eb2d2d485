"""Experiment statistics: stable assignment, honest error rates at the fixed horizon."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from trunkshow.engines.analytics.experiments import Arm, assign, readout, sample_size

visitor_ids = st.text(alphabet="0123456789abcdef", min_size=1, max_size=64)
weight_lists = st.lists(st.integers(0, 100), min_size=2, max_size=4).filter(lambda w: sum(w) > 0)


@given(visitor_ids, weight_lists)
def test_the_same_visitor_always_gets_the_same_variant_and_never_a_weightless_one(visitor, weights):
    arms = [(f"v{i}", w) for i, w in enumerate(weights)]
    first = assign("exp", visitor, arms)
    assert all(assign("exp", visitor, arms) == first for _ in range(3))
    assert dict(arms)[first] > 0


def test_visitors_split_by_the_weights():
    counts = Counter(assign("exp", f"{n:032x}", [("a", 1), ("b", 3)]) for n in range(20_000))
    # 1:3 within a 99.9 % binomial interval
    low, high = stats.binom.interval(0.999, 20_000, 0.25)
    assert low <= counts["a"] <= high


def simulate(rng, p_control, p_variant, n, runs):
    decisions = []
    for _ in range(runs):
        c, t = rng.binomial(n, p_control), rng.binomial(n, p_variant)
        arms = [Arm("a", 1, n, n, int(c), int(c) * 5000, int(c) * 5000**2),
                Arm("b", 1, n, n, int(t), int(t) * 5000, int(t) * 5000**2)]  # fmt: skip
        result = readout(arms, sample_size=n, alpha=0.05, power=0.8)
        assert result.horizon_reached
        decisions.append(result.comparisons[0].significant)
    return sum(decisions)


def test_an_a_a_test_rejects_at_the_nominal_rate():
    # Given 2,000 A/A experiments run to their horizon
    rng = np.random.default_rng(26)
    n = sample_size(baseline=0.05, relative_lift=0.2, alpha=0.05, power=0.8)
    rejected = simulate(rng, 0.05, 0.05, n, 2000)
    # Then about 5 % claim a difference: within the 99 % binomial interval of 5 %
    low, high = stats.binom.interval(0.99, 2000, 0.05)
    assert low <= rejected <= high, rejected


def test_a_real_20_percent_lift_is_found_at_the_horizon_with_the_planned_power():
    rng = np.random.default_rng(27)
    n = sample_size(baseline=0.05, relative_lift=0.2, alpha=0.05, power=0.8)
    found = simulate(rng, 0.05, 0.06, n, 500)
    low, _high = stats.binom.interval(0.99, 500, 0.8)
    assert found >= low, found


def test_before_the_horizon_there_is_no_verdict_only_the_detectable_effect():
    arms = [Arm("a", 1, 100, 80, 2, 0, 0), Arm("b", 1, 100, 85, 9, 0, 0)]
    result = readout(arms, sample_size=1000, alpha=0.05, power=0.8)
    assert not result.horizon_reached and result.comparisons == [] and result.winner is None
    assert result.minimum_detectable_effect is not None and result.minimum_detectable_effect > 0


def test_a_sample_ratio_mismatch_is_flagged():
    arms = [Arm("a", 1, 1000, 0, 0, 0, 0), Arm("b", 1, 850, 0, 0, 0, 0)]
    assert readout(arms, sample_size=10, alpha=0.05, power=0.8).srm_warning
    even = [Arm("a", 1, 1000, 0, 0, 0, 0), Arm("b", 1, 990, 0, 0, 0, 0)]
    assert not readout(even, sample_size=10, alpha=0.05, power=0.8).srm_warning


def test_the_sample_size_matches_the_textbook_figure():
    # Two-sided alpha 0.05, power 0.8, 10 % -> 12 %: about 3,841 per arm (Fleiss)
    assert 3800 <= sample_size(baseline=0.10, relative_lift=0.2, alpha=0.05, power=0.8) <= 3900
