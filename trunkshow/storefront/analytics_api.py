"""Staff analytics API: the quiz funnel with drop-off per question (issue 26)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from trunkshow.campaigns.stream_api import require_staff
from trunkshow.common.api_errors import ApiError
from trunkshow.common.errors import Invalid
from trunkshow.storefront.insights import funnel_payload, report_counts, report_cut

router = Router(tags=["analytics"])
STAFF_ONLY = "Only staff may read analytics."


class StepOut(Schema):
    key: str
    visitors: int
    rate: float


class QuestionRowOut(Schema):
    key: str
    shown: int
    answered: int
    drop_off: float


class FunnelOut(Schema):
    steps: list[StepOut]
    by_question: list[QuestionRowOut]


class FunnelQuery(Schema):
    quiz: str
    market: str | None = None
    day_from: date | None = Field(None, alias="from")
    day_to: date | None = Field(None, alias="to")
    locale: str | None = None
    version: int | None = None
    variant: str | None = None


@router.get("/analytics/funnel", response=FunnelOut, summary="The quiz funnel (staff)")
def funnel(request: HttpRequest, filters: Query[FunnelQuery]) -> dict[str, Any]:
    require_staff(request, refusal=STAFF_ONLY)
    try:
        cut = report_cut(
            quiz=filters.quiz, market=filters.market, day_from=filters.day_from,
            day_to=filters.day_to, locale=filters.locale, quiz_version=filters.version,
            variant=filters.variant,
        )  # fmt: skip
    except Invalid as exc:
        raise ApiError.from_domain(exc, where="query") from exc
    return funnel_payload(report_counts(cut))
