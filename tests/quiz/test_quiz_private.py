"""A quiz result carries the shopper's name: never kept by a cache."""

from __future__ import annotations

import json

from tests.quiz.conftest import TRAVELLER
from trunkshow.quiz.models import QuizResult

PRIVATE = "private, no-store"


def test_a_result_its_reopening_and_its_page_are_private(client, demo_quiz, shop):
    body = {
        "answers": TRAVELLER,
        "name": "Lin",
        "locale": "en",
        "market": "CN",
        "personalised": True,
    }
    made = client.post("/api/v1/quizzes/ask-the-designer/result", json.dumps(body),
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 200 and made["Cache-Control"] == PRIVATE
    result_id = made.json()["result_id"]
    assert client.get(f"/api/v1/quiz-results/{result_id}")["Cache-Control"] == PRIVATE
    public_id = QuizResult.objects.get().public_id
    page = client.get(f"/en/quiz/result/{public_id}/")
    assert page.status_code == 200 and page["Cache-Control"] == PRIVATE
