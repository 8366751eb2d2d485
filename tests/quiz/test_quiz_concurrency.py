"""Campaign day: many shoppers finishing the quiz at once, each result its own transaction."""

from __future__ import annotations

import threading

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.quiz.conftest import TRAVELLER
from trunkshow.quiz.models import QuizResult
from trunkshow.video.models import VideoMessage

RESULT = "/api/v1/quizzes/ask-the-designer/result"


@pytest.mark.django_db(transaction=True)
def test_many_shoppers_at_once_each_get_their_own_stored_result(demo_quiz, shop):
    # Given 24 shoppers finishing the quiz at the same moment
    answers: dict[int, dict] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def shopper(first: int) -> None:
        # Each from its own address, as distinct shoppers are (renders are
        # limited per address)
        client = Client(REMOTE_ADDR=f"127.0.0.{first + 2}")
        try:
            start.wait()
            for number in range(first, first + 3):
                response = client.post(RESULT, {"answers": TRAVELLER, "name": f"Lin {number}",
                                                "market": "CN", "locale": "en"},
                                       content_type="application/json")  # fmt: skip
                assert response.status_code == 200, response.content
                answers[number] = response.json()
        except BaseException as exc:
            errors.append(exc)

    # When they all submit from eight threads
    threads = [threading.Thread(target=shopper, args=(first,)) for first in range(0, 24, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then every shopper got their own answer, and each result reopens by its link at once
    assert not errors, errors
    assert len(answers) == 24
    for number, body in answers.items():
        assert body["name"] == f"Lin {number}"
        reopened = Client().get(f"/api/v1/quiz-results/{body['result_id']}")
        assert reopened.status_code == 200 and reopened.json()["name"] == f"Lin {number}"
        assert reopened.json()["video"]["id"] == body["video"]["id"]
    # And each is stored once, with its own message and render job
    for number, body in answers.items():
        stored = QuizResult.objects.select_related("video_message").get(public_id=body["result_id"])
        assert stored.name == f"Lin {number}"
        assert stored.video_message.name == f"Lin {number}"
        assert body["video"]["status"] == "queued"
    assert VideoMessage.objects.count() == 24
    assert QuizResult.objects.count() == 24
    assert DBTaskResult.objects.filter(task_path__endswith="render_video_message").count() == 24
