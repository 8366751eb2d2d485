"""Scoring: answers -> trait totals -> the profile that fits best, and why.

The rule, in full:
1. Each answer adds its trait weights to the shopper's totals.
2. Each profile scores the dot product of those totals with its trait vector.
3. A profile with requirements (``requires: [{trait, min}]``) is eligible only
   when every required total is reached; if no profile is eligible, all are.
4. The eligible profile with the highest score wins; a tie goes to the
   profile listed first in the definition.
All arithmetic is exact (fractions), so the same answers always give the same
profile, on every machine, and ``lint`` can check every combination.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from trunkshow.engines.quiz.schema import Profile, QuizDefinition


@dataclass(frozen=True)
class Score:
    profile: str
    totals: Mapping[str, Fraction]
    profile_scores: Mapping[str, Fraction]
    deciding_traits: tuple[str, ...]


class AnswerError(ValueError):
    """Answers that do not fit the quiz; `issues` names each bad question or answer.

    `reasons` says the same as data, one (field, code, params) per issue, so a
    caller can word it in the shopper's language: codes "unanswered",
    "not_text" (kind, allowed), "unknown_answer" (given, allowed),
    "unknown_question" and "more_unknown" (count).
    """

    def __init__(
        self,
        issues: list[tuple[str, str]],
        reasons: list[tuple[str, str, dict[str, str]]] | None = None,
    ) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in issues))
        self.issues = issues
        self.reasons = reasons if reasons is not None else [(f, "other", {}) for f, _m in issues]


# How a client sent a value, in JSON's words rather than Python's.
_JSON_KINDS: dict[type, str] = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
}


def check_answers(definition: QuizDefinition, answers: Mapping[str, str]) -> None:
    issues: list[tuple[str, str]] = []
    reasons: list[tuple[str, str, dict[str, str]]] = []

    def issue(field: str, message: str, code: str, **params: str) -> None:
        issues.append((field, message))
        reasons.append((field, code, params))

    for question in definition.questions:
        given = answers.get(question.key)
        allowed = ", ".join(a.key for a in question.answers)
        if given is None:
            issue(question.key, "is not answered", "unanswered")
        elif not isinstance(given, str):
            kind = _JSON_KINDS.get(type(given), "a value that is not text")
            issue(
                question.key,
                f"must be an answer key (text), not {kind}; choose one of: {allowed}",
                "not_text",
                kind=kind,
                allowed=allowed,
            )
        elif question.answer(given) is None:
            issue(
                question.key,
                f"has no answer {given[:40]!r}; choose one of: {allowed}",
                "unknown_answer",
                given=repr(given[:40]),
                allowed=allowed,
            )
    known = {q.key for q in definition.questions}
    unknown = [str(key)[:40] for key in answers if key not in known]
    # Name a few strangers; a body stuffed with keys must not echo itself back.
    for key in unknown[:5]:
        issue(key, "is not a question of this quiz", "unknown_question")
    if len(unknown) > 5:
        count = str(len(unknown) - 5)
        issue("answers", f"and {count} more keys that are not questions", "more_unknown",
              count=count)  # fmt: skip
    if issues:
        raise AnswerError(issues, reasons)


def trait_totals(definition: QuizDefinition, answers: Mapping[str, str]) -> dict[str, Fraction]:
    totals = dict.fromkeys(definition.traits, Fraction(0))
    for question in definition.questions:
        answer = question.answer(answers[question.key])
        if answer is None:
            raise AnswerError(
                [(question.key, "is not answered")], [(question.key, "unanswered", {})]
            )
        for trait, weight in answer.weights.items():
            totals[trait] += weight
    return totals


def _eligible(profile: Profile, totals: Mapping[str, Fraction]) -> bool:
    return all(totals.get(req.trait, Fraction(0)) >= req.minimum for req in profile.requires)


def choose_profile(
    profiles: Sequence[Profile], totals: Mapping[str, Fraction]
) -> tuple[str, dict[str, Fraction]]:
    """Return the winning profile key and every profile's score (see the module rule)."""
    scores = {
        p.key: sum((totals.get(t, Fraction(0)) * w for t, w in p.vector.items()), Fraction(0))
        for p in profiles
    }
    eligible = [p for p in profiles if _eligible(p, totals)] or list(profiles)
    best = eligible[0]
    for profile in eligible[1:]:
        if scores[profile.key] > scores[best.key]:
            best = profile
    return best.key, scores


def score(definition: QuizDefinition, answers: Mapping[str, str]) -> Score:
    """Score a complete set of answers; raise AnswerError naming every bad one.

    A quiz of n either/or questions has only 2**n outcomes, so results are
    remembered per definition and answers: a campaign-day crowd mostly hits
    the memo.
    """
    if len(answers) == len(definition.questions) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
    ):
        return _score_memo(definition, tuple(sorted(answers.items())))
    return _score(definition, answers)


@lru_cache(maxsize=65536)
def _score_memo(definition: QuizDefinition, answers: tuple[tuple[str, str], ...]) -> Score:
    return _score(definition, dict(answers))


def _score(definition: QuizDefinition, answers: Mapping[str, str]) -> Score:
    check_answers(definition, answers)
    totals = trait_totals(definition, answers)
    winner, scores = choose_profile(definition.profiles, totals)
    vector = definition.profile(winner).vector
    order = list(definition.traits)
    contributions = [
        (totals[t] * w, -order.index(t), t) for t, w in vector.items() if totals[t] * w > 0
    ]
    deciding = tuple(t for _c, _o, t in sorted(contributions, reverse=True)[:3])
    return Score(profile=winner, totals=totals, profile_scores=scores, deciding_traits=deciding)


def shopper_affinity(definition: QuizDefinition, result: Score) -> dict[str, float]:
    """Blend the profile's traits with the shopper's own answers, for ranking.

    The profile sets the direction; the shopper's own totals separate two
    City Explorers who answered differently. Both are scaled to at most 1.
    """
    vector = definition.profile(result.profile).vector
    top_profile = max((float(w) for w in vector.values() if w > 0), default=1.0)
    top_total = max((float(v) for v in result.totals.values() if v > 0), default=1.0)
    affinity: dict[str, float] = {}
    for trait in definition.traits:
        own = max(0.0, float(result.totals.get(trait, 0)))
        profile = max(0.0, float(vector.get(trait, 0)))
        affinity[trait] = profile / top_profile + own / top_total
    return affinity
