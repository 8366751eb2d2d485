"""Lint a quiz: reachability (exact), profile shares, translations, sellability.

Reachability is exact, not sampled: the answers' weights are scaled to
integers and the distinct trait totals are built question by question with
their multiplicities (a dynamic programme over sums), so a 16-question quiz
with 2 to 6 answers each is checked in full whenever its distinct totals
stay under ``max_states``. Each distinct total is scored with the same rule
as a real shopper (``scoring.choose_profile``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from trunkshow.engines.quiz.schema import QuizDefinition
from trunkshow.engines.quiz.scoring import choose_profile

RARE_SHARE = Fraction(2, 100)


@dataclass
class LintReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shares: dict[str, Fraction] = field(default_factory=dict)
    combinations: int = 0
    distinct_totals: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _scale(definition: QuizDefinition) -> int:
    denominators = [
        weight.denominator
        for question in definition.questions
        for answer in question.answers
        for weight in answer.weights.values()
    ]
    return math.lcm(*denominators) if denominators else 1


def profile_distribution(
    definition: QuizDefinition, *, max_states: int = 2_000_000
) -> tuple[Counter[str], int, int] | None:
    """Count, for every answer combination, the profile it gives.

    Return (combinations per profile, all combinations, distinct totals), or
    None when the distinct totals outgrow `max_states`.
    """
    traits = list(definition.traits)
    scale = _scale(definition)
    states: Counter[tuple[int, ...]] = Counter({tuple(0 for _ in traits): 1})
    for question in definition.questions:
        steps = [
            tuple(int(answer.weights.get(t, Fraction(0)) * scale) for t in traits)
            for answer in question.answers
        ]
        following: Counter[tuple[int, ...]] = Counter()
        for state, count in states.items():
            for step in steps:
                following[tuple(a + b for a, b in zip(state, step, strict=True))] += count
        if len(following) > max_states:
            return None
        states = following
    per_profile: Counter[str] = Counter()
    for state, count in states.items():
        totals = {t: Fraction(v, scale) for t, v in zip(traits, state, strict=True)}
        winner, _scores = choose_profile(definition.profiles, totals)
        per_profile[winner] += count
    return per_profile, sum(states.values()), len(states)


def lint(
    definition: QuizDefinition,
    *,
    locales: Sequence[str],
    sellable_tags: Mapping[str, set[str]] | None = None,
    in_stock_tags: Mapping[str, set[str]] | None = None,
    max_states: int = 2_000_000,
) -> LintReport:
    """Check a parsed definition; `sellable_tags` maps each market to its products' tags."""
    report = LintReport()

    for path, texts in definition.texts():
        for locale in locales:
            if not texts.get(locale):
                report.errors.append(f"{path}: missing translation for {locale}")

    distribution = profile_distribution(definition, max_states=max_states)
    if distribution is None:
        report.errors.append(
            f"answer combinations give more than {max_states:,} distinct trait totals; "
            "reachability cannot be checked exactly: use fewer traits or simpler weights"
        )
    else:
        per_profile, combinations, distinct = distribution
        report.combinations, report.distinct_totals = combinations, distinct
        for profile in definition.profiles:
            share = Fraction(per_profile.get(profile.key, 0), combinations)
            report.shares[profile.key] = share
            if share == 0:
                report.errors.append(f"profile {profile.key}: no combination of answers reaches it")
            elif share < RARE_SHARE:
                report.warnings.append(
                    f"profile {profile.key}: reached by only {float(share):.2%} of random answers"
                )

    for qi, question in enumerate(definition.questions):
        if len({tuple(sorted(a.weights.items())) for a in question.answers}) == 1:
            report.warnings.append(
                f"questions[{qi}] ({question.key}): every answer has the same weights, "
                "so it cannot change the profile"
            )

    for market, tags in (sellable_tags or {}).items():
        for profile in definition.profiles:
            wanted = {t for t, w in profile.vector.items() if w > 0}
            if not wanted & tags:
                report.errors.append(
                    f"profile {profile.key}: no sellable product in market {market} "
                    f"carries any of its traits ({', '.join(sorted(wanted))})"
                )
            elif in_stock_tags is not None and not wanted & in_stock_tags.get(market, set()):
                report.warnings.append(
                    f"profile {profile.key}: its products are all out of stock in market {market}"
                )
    return report
