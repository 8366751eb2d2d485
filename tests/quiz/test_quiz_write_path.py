"""A quiz result is one transaction: the result, its message and its render job, or nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.quiz.conftest import TRAVELLER
from trunkshow.quiz.models import QuizResult
from trunkshow.video.models import VideoMessage
from trunkshow.video.services import FRESH_PRIORITY

RESULT = "/api/v1/quizzes/ask-the-designer/result"


class Abandon(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_quiz_result_that_fails_to_store_leaves_no_message_and_no_render(
    demo_quiz, shop, monkeypatch
):
    # Given the result's own row cannot be written (after its message was)
    def broken_save(self, *args, **kwargs):
        raise Abandon("disk full")

    monkeypatch.setattr(QuizResult, "save", broken_save)

    # When a shopper finishes the quiz
    client = Client(raise_request_exception=False)
    response = client.post(RESULT, {"answers": TRAVELLER, "name": "Lin", "market": "CN"},
                           content_type="application/json")  # fmt: skip

    # Then the request fails and nothing half-made is left behind
    assert response.status_code == 500
    assert not VideoMessage.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_stored_result_is_readable_at_once_with_its_render_queued(demo_quiz, shop):
    # When a shopper finishes the quiz
    shopper = {"answers": TRAVELLER, "name": "Mei", "market": "CN"}
    body = Client().post(RESULT, shopper, content_type="application/json").json()

    # Then the result is in the database already, with its message and one render job
    stored = QuizResult.objects.select_related("video_message").get(public_id=body["result_id"])
    assert stored.video_message.token == body["video"]["id"]
    job = DBTaskResult.objects.get()
    assert job.task_path.endswith("render_video_message")
    assert job.args_kwargs["args"] == [stored.video_message.pk, True]  # fresh: before the rest
    assert job.priority == FRESH_PRIORITY
