"""Hypothesis strategies for quiz definitions (plain data, as YAML would give)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

TRAITS = ["city", "travel", "art", "active", "evening"]


def texts(label: str) -> dict[str, str]:
    return {"en": label, "zh-Hans": f"{label}（中文）"}


@st.composite
def definitions(draw: Any, max_questions: int = 6, max_answers: int = 3) -> dict[str, Any]:
    traits = TRAITS[: draw(st.integers(2, len(TRAITS)))]
    weight = st.integers(-2, 4) | st.sampled_from([0.5, 1.5, 0.25])
    n_questions = draw(st.integers(1, max_questions))
    questions = []
    for qi in range(n_questions):
        n_answers = draw(st.integers(2, max_answers))
        questions.append(
            {
                "key": f"q{qi}",
                "text": texts(f"Question {qi}?"),
                "answers": [
                    {
                        "key": f"a{ai}",
                        "text": texts(f"Answer {ai}"),
                        "weights": draw(
                            st.dictionaries(st.sampled_from(traits), weight, max_size=3)
                        ),
                    }
                    for ai in range(n_answers)
                ],
            }
        )
    profiles = []
    for pi in range(draw(st.integers(1, 5))):
        vector = draw(
            st.dictionaries(st.sampled_from(traits), st.integers(1, 3), min_size=1, max_size=3)
        )
        profiles.append(
            {
                "key": f"p{pi}",
                "title": texts(f"Profile {pi}"),
                "description": texts(f"About profile {pi}"),
                "traits": vector,
            }
        )
    return {
        "slug": "generated",
        "title": texts("Generated"),
        "traits": {t: texts(t.title()) for t in traits},
        "questions": questions,
        "profiles": profiles,
    }
