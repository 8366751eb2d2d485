"""GET /api/v1/analytics/funnel: the contract's shape, staff only, fields named on refusal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from trunkshow.campaigns.streams import staff_token_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/funnel"
QUIZ = "ask-the-designer"
# 2026-12-06 23:30 in Shanghai: a December 6 shopper in CN.
LATE = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)


@pytest.fixture
def staff_client(client):
    staff = get_user_model().objects.create_user("analyst", password="pw-an-123", is_staff=True)
    client.force_login(staff)
    return client


def test_staff_get_the_funnel_of_a_market_and_range_as_the_contract_writes_it(
    staff_client, history
):
    # When staff ask for CN from Dec 1 to Dec 7 (Shanghai dates)
    response = staff_client.get(URL, {"quiz": QUIZ, "market": "CN", "from": "2026-12-01",
                                      "to": "2026-12-07"})  # fmt: skip
    # Then the three CN shoppers of Dec 6 are counted, rates of the first step
    assert response.status_code == 200
    body = response.json()
    assert body["steps"][:3] == [
        {"key": "viewed", "visitors": 3, "rate": 1.0},
        {"key": "first_answer", "visitors": 2, "rate": 0.6667},
        {"key": "completed", "visitors": 1, "rate": 0.3333},
    ]
    assert [s["key"] for s in body["steps"]][3:] == ["video_50", "product_click", "add_to_cart",
                                                       "paid"]  # fmt: skip
    assert body["by_question"] == [{"key": "shoes", "shown": 3, "answered": 2, "drop_off": 0.3333}]


def test_a_staff_api_token_works_too(client, history):
    staff = get_user_model().objects.create_user("bot", password="pw-bot-123", is_staff=True)
    _token, secret = staff_token_create(user=staff, name="reports")
    response = client.get(URL, {"quiz": QUIZ, "from": "2026-11-30", "to": "2026-12-31"},
                          HTTP_AUTHORIZATION=f"Bearer {secret}")  # fmt: skip
    assert response.status_code == 200
    assert response.json()["steps"][0]["visitors"] == 5


def test_no_credentials_is_401_and_a_shopper_is_403(client, history):
    assert client.get(URL, {"quiz": QUIZ}).status_code == 401
    shopper = get_user_model().objects.create_user("lin", password="pw-lin-123")
    client.force_login(shopper)
    assert client.get(URL, {"quiz": QUIZ}).status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"quiz": "no-such-quiz"}, "quiz"),
        ({"quiz": QUIZ, "market": "XX"}, "market"),
        ({"quiz": QUIZ, "from": "2026-12-08", "to": "2026-12-01"}, "from"),
        ({"quiz": QUIZ, "from": "2025-01-01", "to": "2026-01-02"}, "to"),
        ({"quiz": QUIZ, "from": "2026-13-01"}, "from"),
    ],
)
def test_a_bad_quiz_market_or_range_is_a_422_naming_the_field(staff_client, history, query, field):
    response = staff_client.get(URL, query)
    assert response.status_code == 422
    assert [item["loc"][-1] for item in response.json()["detail"]] == [field]


def test_a_range_of_exactly_366_days_is_allowed(staff_client, history):
    response = staff_client.get(URL, {"quiz": QUIZ, "from": "2026-01-01", "to": "2027-01-01"})
    assert response.status_code == 200
