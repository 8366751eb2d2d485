"""The quiz's analytics events, recorded through analytics' one request function."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trunkshow.analytics.models import Kind
from trunkshow.analytics.services import record_request_event
from trunkshow.quiz.models import QuizResult, QuizVersion


def viewed_event(request: HttpRequest, version: QuizVersion, **context: Any) -> None:
    record_request_event(
        request,
        Kind.QUIZ_VIEWED,
        quiz=version.quiz.slug,
        quiz_version=version.number,
        **context,
    )


def completed_event(request: HttpRequest, result: QuizResult, variant: str = "") -> None:
    """The quiz-completed event, recorded in the transaction that stores the result."""
    record_request_event(
        request,
        Kind.QUIZ_COMPLETED,
        market=result.market_id,
        locale=result.locale,
        quiz=result.version.quiz.slug,
        quiz_version=result.version.number,
        variant=variant,
        profile=result.profile_key,
    )
