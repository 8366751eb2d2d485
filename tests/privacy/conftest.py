from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.commerce.conftest import checkout_body
from tests.quiz.conftest import TRAVELLER, demo_quiz  # noqa: F401 - shared fixture
from tests.studio.conftest import store, tote_template  # noqa: F401 - shared fixtures
from tests.studio.test_designs_api import design
from trunkshow.campaigns.models import ReminderSignup
from trunkshow.quiz.models import QuizResult
from trunkshow.studio.models import Design
from trunkshow.studio.services import preview_path

VISITOR = "a" * 32
EMAIL = "zhaoxi.privacy@example.com"
NAME = "Zhaoxi"
ORDER_NAME = "林朝夕"
STREET = "南京西路 1266 号"


@dataclass
class Shopper:
    visitor: str
    email: str
    files: list[Path]


def api(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def shopper(client, demo_quiz, tote_template):  # noqa: F811
    """A shopper with one of everything: consent, quiz result with a named video,
    a design with a monogram in a paid order, another cart, a remind-me entry."""
    headers = {"HTTP_X_VISITOR_ID": VISITOR, "REMOTE_ADDR": "10.9.0.1"}
    client.post("/en/privacy/consent/", {"choice": "selected", "analytics": "1"}, **headers)
    result = api(
        client,
        "/api/v1/quizzes/ask-the-designer/result",
        {"answers": TRAVELLER, "name": NAME, "market": "CN", "locale": "en"},
        **headers,
    )
    assert result.status_code == 200, result.content
    made = api(client, "/api/v1/designs", design(), **headers).json()
    cart = api(client, "/api/v1/carts", {"market": "CN"}, **headers).json()["id"]
    api(client, f"/api/v1/carts/{cart}/lines", {"design_id": made["id"], "quantity": 1}, **headers)
    body = checkout_body(email=EMAIL, name=ORDER_NAME)
    placed = api(
        client, f"/api/v1/carts/{cart}/checkout", body, HTTP_IDEMPOTENCY_KEY="k", **headers
    )
    assert placed.json()["status"] == "paid", placed.content
    api(client, "/api/v1/carts", {"market": "CN"}, **headers)
    ReminderSignup.objects.create(
        campaign=_campaign(), market_id="CN", email=EMAIL, locale="en", visitor_id=VISITOR
    )
    # The rendered files, as the video worker would leave them (with the name in them).
    message = QuizResult.objects.get(visitor_id=VISITOR).video_message
    folder = Path(settings.MEDIA_ROOT) / "video" / "messages" / message.token
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name in ("message.mp4", "poster.jpg", "en.vtt"):
        (folder / name).write_bytes(f"WEBVTT card for {NAME}".encode())
        files.append(folder / name)
    preview = preview_path(Design.objects.get(public_id=made["id"]).content_hash)
    preview.parent.mkdir(parents=True, exist_ok=True)
    preview.write_bytes(b"PNG monogram LJ for " + NAME.encode())
    files.append(preview)
    return Shopper(VISITOR, EMAIL, files)


def _campaign():
    from tests.factories import campaign

    return campaign()
