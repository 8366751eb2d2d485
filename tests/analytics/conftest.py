from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.commerce.conftest import store  # noqa: F401 - shared fixtures
from tests.factories import cn_market, us_market
from tests.quiz.conftest import DEMO_QUIZ, TRAVELLER, demo_quiz, shop  # noqa: F401
from trunkshow.analytics.services import record_event
from trunkshow.common.local_cache import clear_local_caches
from trunkshow.quiz.services import experiment_create, quiz_import

QUIZ = "ask-the-designer"
# 2026-12-06 23:30 in Shanghai: a December 6 shopper in CN.
LATE = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def visitors_accept_analytics(monkeypatch):
    """These tests are about what is counted: their visitors said yes to analytics.

    tests/analytics/test_consent.py checks that a visitor who did not is never counted.
    """
    from trunkshow.common import consent

    monkeypatch.setattr(
        consent, "UNDECIDED", consent.Consent(analytics=True, personalisation=True, chosen=False)
    )


@pytest.fixture
def history(demo_quiz):  # noqa: F811
    cn_market(), us_market()
    # Given three CN visitors and one US visitor on Dec 6 (local), and one CN
    # visitor whose view is at 23:30 on Nov 30 in Shanghai (outside the range)
    for n, (market, at, steps) in enumerate([
        ("CN", LATE, ["quiz_viewed", "question_answered", "quiz_completed"]),
        ("CN", LATE, ["quiz_viewed", "question_answered"]),
        ("CN", LATE, ["quiz_viewed"]),
        ("US", LATE, ["quiz_viewed", "question_answered"]),
        ("CN", LATE - timedelta(days=6), ["quiz_viewed", "question_answered"]),
    ]):  # fmt: skip
        for i, kind in enumerate(steps):
            extra = {"question": "shoes", "position": 1} if kind == "question_answered" else {}
            record_event(kind=kind, visitor_id=f"v{n}", market=market, quiz=QUIZ,
                         quiz_version=1, at=at + timedelta(minutes=i), profile="p", **extra)  # fmt: skip
        if "question_answered" not in steps:
            record_event(kind="question_shown", visitor_id=f"v{n}", market=market, quiz=QUIZ,
                         at=at + timedelta(minutes=1), question="shoes", position=1)  # fmt: skip


@pytest.fixture
def experiment(demo_quiz, shop):  # noqa: F811
    # Given the demo quiz in two published versions (v2 asks with other words)
    source = DEMO_QUIZ.read_text(encoding="utf-8")
    newer, _created = quiz_import(source=source.replace("title:", "# v2\ntitle:", 1))
    assert newer.number == 2
    made = experiment_create(
        slug="wording", quiz=demo_quiz.quiz,
        variants=[("control", demo_quiz, 1), ("new", newer, 1)],
        baseline_rate=Decimal("0.3"), minimum_lift=Decimal("0.5"),
        starts_at=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    clear_local_caches()
    return made
