"""A flood of named results renders a bounded number of videos per client."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.quiz.conftest import TRAVELLER
from tests.quiz.test_quiz_api import post_result
from trunkshow.video.models import VideoMessage

pytestmark = pytest.mark.django_db


def named(name: str) -> dict[str, object]:
    return {"answers": TRAVELLER, "name": name, "locale": "en", "market": "CN"}


def renders_queued() -> int:
    return DBTaskResult.objects.filter(queue_name="video", status="READY").count()


def test_past_the_render_limit_a_result_still_answers_with_the_nameless_card(
    client, demo_quiz, shop, settings
):
    # Given a client allowed three personal renders
    settings.VIDEO_RENDER_LIMIT = 3
    answers = [post_result(client, named(f"Shopper {n}")) for n in range(3)]
    assert all(r.json()["video"]["status"] == "queued" for r in answers)
    assert renders_queued() == 3

    # When it asks for more named results
    more = [post_result(client, named(f"Bot {n}")) for n in range(5)]

    # Then each still answers 200 with its result, its video "limited": the
    # nameless card for these picks plays, rendered once for all of them
    assert [r.status_code for r in more] == [200] * 5
    videos = [r.json()["video"] for r in more]
    assert {v["status"] for v in videos} == {"limited"}
    assert len({v["id"] for v in videos}) == 1 and videos[0]["hls_url"]
    assert VideoMessage.objects.get(token=videos[0]["id"]).name == ""
    assert renders_queued() == 4
    assert [r.json()["name"] for r in more] == [f"Bot {n}" for n in range(5)]

    # And reopening a limited result says so too
    again = client.get(f"/api/v1/quiz-results/{more[0].json()['result_id']}").json()
    assert again["video"]["status"] == "limited"


def test_another_client_still_gets_its_personal_video(client, demo_quiz, shop, settings):
    # Given one address past its render limit
    settings.VIDEO_RENDER_LIMIT = 2
    for n in range(4):
        post_result(client, named(f"Bot {n}"))

    # When a shopper from another address asks for theirs
    shopper = Client(REMOTE_ADDR="127.0.0.2")
    body = post_result(shopper, named("Lin")).json()

    # Then it is made for them, by name
    assert body["video"]["status"] == "queued"
    assert VideoMessage.objects.get(token=body["video"]["id"]).name == "Lin"
