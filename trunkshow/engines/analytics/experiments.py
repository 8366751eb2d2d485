"""A/B tests: stable assignment and a fixed-horizon read-out.

Design: fixed horizon. The sample size per variant is fixed before the
test starts, from the baseline conversion, the smallest relative lift worth
finding, alpha and power. Until every variant has that many visitors the
read-out gives counts and the effect the current sample could detect, but no
p-value, interval or winner: looking early cannot then raise the false
positive rate above alpha. At the horizon the primary metric (conversion to
a paid order) is compared to the control with a two-sided two-proportion
z-test (Wald interval on the difference); revenue per visitor with Welch's
t-test. More than two variants: each is compared to the control at
alpha / (variants - 1) (Bonferroni). Sample-ratio mismatch: a chi-square
test of visitors against the weights; p < 0.001 warns that assignment or
tracking is broken and the result is not to be trusted.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SRM_ALPHA = 0.001


def assign(experiment: str, visitor: str, weights: Sequence[tuple[str, int]]) -> str:
    """The variant of `visitor`: the same for the same visitor, whatever the session.

    A SHA-256 of experiment and visitor, read as a number in [0, 1), falls in
    one variant's share of the weights; other experiments hash differently,
    so being in one arm here says nothing about an arm elsewhere.
    """
    total = sum(weight for _key, weight in weights if weight > 0)
    if total <= 0:
        raise ValueError("an experiment needs a variant with a positive weight")
    digest = hashlib.sha256(f"{experiment}\x00{visitor}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64 * total
    for key, weight in weights:
        if weight <= 0:
            continue
        if point < weight:
            return key
        point -= weight
    return next(key for key, weight in reversed(weights) if weight > 0)


def sample_size(*, baseline: float, relative_lift: float, alpha: float, power: float) -> int:
    """Visitors per variant for a two-sided two-proportion z-test to find the lift."""
    treated = baseline * (1 + relative_lift)
    if not 0 < baseline < 1 or not 0 < treated < 1:
        raise ValueError("baseline and baseline x (1 + lift) must be between 0 and 1")
    z_alpha = _stats().norm.ppf(1 - alpha / 2)
    z_power = _stats().norm.ppf(power)
    pooled = (baseline + treated) / 2
    spread = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_power * math.sqrt(
        baseline * (1 - baseline) + treated * (1 - treated)
    )
    needed: int = math.ceil(float(spread**2 / (treated - baseline) ** 2))
    return needed


@dataclass(frozen=True)
class Arm:
    key: str
    weight: int
    visitors: int
    completions: int
    converted: int  # visitors with a paid order
    revenue_cents: int
    revenue_sq_cents: int  # sum over visitors of (their revenue in cents) squared


@dataclass(frozen=True)
class Comparison:
    variant: str
    against: str
    difference: float  # absolute, in conversion rate
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    revenue_difference: float  # per visitor, currency units
    revenue_ci_low: float
    revenue_ci_high: float
    revenue_p_value: float


@dataclass(frozen=True)
class Readout:
    horizon_reached: bool
    sample_size: int
    smallest_arm: int
    minimum_detectable_effect: float | None  # absolute, on conversion, at the current sample
    srm_p_value: float | None
    srm_warning: bool
    comparisons: list[Comparison]
    winner: str | None


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _conversion(control: Arm, other: Arm, alpha: float) -> tuple[float, float, float, float]:
    p_c, p_t = _rate(control.converted, control.visitors), _rate(other.converted, other.visitors)
    difference = p_t - p_c
    pooled = _rate(control.converted + other.converted, control.visitors + other.visitors)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / control.visitors + 1 / other.visitors))
    p_value = 1.0 if se_pooled == 0 else float(2 * _stats().norm.sf(abs(difference) / se_pooled))
    se = math.sqrt(p_c * (1 - p_c) / control.visitors + p_t * (1 - p_t) / other.visitors)
    half = float(_stats().norm.ppf(1 - alpha / 2)) * se
    return difference, difference - half, difference + half, p_value


def _moments(arm: Arm) -> tuple[float, float]:
    mean = arm.revenue_cents / 100 / arm.visitors
    square = arm.revenue_sq_cents / 10_000 / arm.visitors
    variance = max(0.0, (square - mean**2) * arm.visitors / max(1, arm.visitors - 1))
    return mean, math.sqrt(variance)


def _revenue(control: Arm, other: Arm, alpha: float) -> tuple[float, float, float, float]:
    (m_c, s_c), (m_t, s_t) = _moments(control), _moments(other)
    difference = m_t - m_c
    v_c, v_t = s_c**2 / control.visitors, s_t**2 / other.visitors
    if v_c + v_t == 0:
        return difference, difference, difference, 1.0
    result = _stats().ttest_ind_from_stats(m_t, s_t, other.visitors, m_c, s_c, control.visitors,
                                        equal_var=False)  # fmt: skip
    freedom = (v_c + v_t) ** 2 / (
        (v_c**2 / max(1, control.visitors - 1)) + (v_t**2 / max(1, other.visitors - 1))
    )
    half = float(_stats().t.ppf(1 - alpha / 2, freedom)) * math.sqrt(v_c + v_t)
    return difference, difference - half, difference + half, float(result.pvalue)


def readout(arms: Sequence[Arm], *, sample_size: int, alpha: float, power: float) -> Readout:
    """Read an experiment whose first arm is the control (see the module's docstring)."""
    smallest = min((arm.visitors for arm in arms), default=0)
    reached = len(arms) >= 2 and smallest >= sample_size
    counted = sum(arm.visitors for arm in arms)
    srm_p = None
    if len(arms) >= 2 and counted >= 20:
        total_weight = sum(arm.weight for arm in arms)
        expected = [counted * arm.weight / total_weight for arm in arms]
        srm_p = float(_stats().chisquare([arm.visitors for arm in arms], expected).pvalue)
    per_test = alpha / max(1, len(arms) - 1)
    mde = None
    if smallest > 0 and arms:
        base = _rate(arms[0].converted, arms[0].visitors) or 0.5
        z = _stats().norm.ppf(1 - per_test / 2) + _stats().norm.ppf(power)
        mde = float(z * math.sqrt(2 * base * (1 - base) / smallest))
    comparisons = []
    if reached:
        control = arms[0]
        for other in arms[1:]:
            diff, low, high, p_value = _conversion(control, other, per_test)
            r_diff, r_low, r_high, r_p = _revenue(control, other, per_test)
            comparisons.append(Comparison(
                other.key, control.key, diff, low, high, p_value, p_value < per_test,
                r_diff, r_low, r_high, r_p,
            ))  # fmt: skip
    winner = None
    significant = [c for c in comparisons if c.significant]
    if significant:
        best = max(significant, key=lambda c: c.difference)
        winner = best.variant if best.difference > 0 else None
        if winner is None and all(c.significant and c.difference < 0 for c in comparisons):
            winner = arms[0].key  # every new variant is worse than the control
    return Readout(
        horizon_reached=reached, sample_size=sample_size, smallest_arm=smallest,
        minimum_detectable_effect=mde, srm_p_value=srm_p,
        srm_warning=srm_p is not None and srm_p < SRM_ALPHA, comparisons=comparisons,
        winner=winner,
    )  # fmt: skip


def _stats() -> Any:
    """SciPy's statistics, loaded on the first read-out (75 MiB no web request needs)."""
    from scipy import stats

    return stats
