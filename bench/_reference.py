"""The reference for the quiz result's throughput goal (issue 28): the unavoidable work.

Mounted on the quiz's own router (so the same middleware, parser, renderer
and `ResultIn` body validation run), then one INSERT of a result row in one
transaction and nothing else: no scoring, ranking, stock read or video.
Imported only by bench/_reference_urls.py.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from trunkshow.quiz.api import ResultIn, router
from trunkshow.quiz.models import QuizResult, QuizVersion

_version: dict[str, int] = {}


@router.post("/bench/reference-result/{slug}", include_in_schema=False)
def reference_result(request: HttpRequest, slug: str, payload: ResultIn) -> dict[str, Any]:
    if slug not in _version:  # once per process, as the real endpoint's snapshot
        _version[slug] = QuizVersion.objects.filter(quiz__slug=slug).latest("number").pk
    with transaction.atomic():
        row = QuizResult.objects.create(
            version_id=_version[slug], market_id=payload.market or "CN",
            locale=payload.locale or "zh-Hans", name=(payload.name or "")[:40],
            answers=payload.answers, profile_key="reference",
        )  # fmt: skip
    return {"result_id": row.public_id}
