"""Retention removes what shoppers left without buying, and keeps what was bought."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.privacy.conftest import VISITOR, api
from tests.studio.test_designs_api import design
from trunkshow.commerce.models import Cart, Order
from trunkshow.privacy.retention import retention_apply
from trunkshow.quiz.models import QuizResult
from trunkshow.studio.models import Design
from trunkshow.video.models import VideoMessage

pytestmark = pytest.mark.django_db


def test_old_unbought_things_go_and_what_was_bought_stays(client, shopper, demo_quiz):
    # Given the shopper who bought (one of everything) and a browser that only browsed
    other = {"HTTP_X_VISITOR_ID": "c" * 32, "REMOTE_ADDR": "10.8.0.1"}
    api(client, "/api/v1/quizzes/ask-the-designer/result",
        {"answers": shopper_answers(), "name": "Mei", "market": "CN"}, **other)  # fmt: skip
    loose = api(client, "/api/v1/designs", design(monogram="MX"), **other).json()["id"]
    api(client, "/api/v1/carts", {"market": "CN"}, **other)
    message = QuizResult.objects.get(name="Mei").video_message
    folder = Path(settings.MEDIA_ROOT) / "video" / "messages" / message.token
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "poster.jpg").write_bytes(b"Mei")

    # When nothing is past the retention age, nothing goes
    assert retention_apply() == {"carts": 0, "quiz_results": 0, "designs": 0}

    # When the retention age has passed for everything
    later = timezone.now() + timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    removed = retention_apply(now=later)

    # Then the browser's result, its video and files, its open cart and loose design are gone
    assert removed == {"carts": 2, "quiz_results": 1, "designs": 1}
    assert not QuizResult.objects.filter(name="Mei").exists()
    assert not VideoMessage.objects.filter(pk=message.pk).exists() and not folder.exists()
    assert not Design.objects.filter(public_id=loose).exists()
    # And the buyer's order, its design, its cart and their quiz result stay
    assert Order.objects.count() == 1 and Cart.objects.filter(status="ordered").count() == 1
    assert QuizResult.objects.filter(visitor_id=VISITOR).exists()
    assert Design.objects.filter(visitor_id=VISITOR).exists()
    # And a second pass removes nothing more
    assert retention_apply(now=later) == {"carts": 0, "quiz_results": 0, "designs": 0}


def shopper_answers():
    from tests.quiz.conftest import TRAVELLER

    return TRAVELLER
