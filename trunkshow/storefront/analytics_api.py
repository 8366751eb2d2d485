"""Staff analytics API: the quiz funnel with drop-off per question, experiment read-outs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from trunkshow.campaigns.stream_api import require_staff
from trunkshow.common.api_errors import ApiError
from trunkshow.common.errors import Invalid
from trunkshow.quiz.experiments import experiment_readout
from trunkshow.quiz.models import Experiment
from trunkshow.storefront.insights import funnel_payload, report_counts, report_cut

router = Router(tags=["analytics"])
STAFF_ONLY = "Only staff may read analytics."


class FunnelStepOut(Schema):
    key: str
    visitors: int
    rate: float


class FunnelQuestionOut(Schema):
    key: str
    shown: int
    answered: int
    drop_off: float


class FunnelOut(Schema):
    steps: list[FunnelStepOut]
    by_question: list[FunnelQuestionOut]


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


class ExperimentVariantOut(Schema):
    key: str
    version: int
    weight: int
    visitors: int
    completions: int
    completion_rate: float
    converted: int = Field(..., description="Visitors with a paid order.")
    conversion_rate: float
    revenue: str = Field(..., description="In the reporting currency.")
    revenue_per_visitor: float


class ExperimentComparisonOut(Schema):
    variant: str
    against: str
    difference: float = Field(..., description="In conversion rate, variant minus control.")
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    revenue_difference: float
    revenue_ci_low: float
    revenue_ci_high: float
    revenue_p_value: float


class SampleRatioOut(Schema):
    p_value: float | None
    warning: bool


class ExperimentOut(Schema):
    slug: str
    quiz: str
    title: str
    design: str = Field(..., description="fixed-horizon")
    starts_at: datetime
    stops_at: datetime | None
    alpha: float
    power: float
    baseline_rate: float
    minimum_lift: float
    sample_size_per_variant: int
    enough_data: bool = Field(..., description="False: not enough data yet; no verdict.")
    minimum_detectable_effect: float | None
    sample_ratio_mismatch: SampleRatioOut
    variants: list[ExperimentVariantOut]
    comparisons: list[ExperimentComparisonOut] = Field(..., description="Empty until enough_data.")
    winner: str | None
    promoted_variant: str | None


@router.get(
    "/experiments/{slug}", response=ExperimentOut, summary="An experiment's read-out (staff)"
)
def experiment(request: HttpRequest, slug: str) -> dict[str, Any]:
    require_staff(request, refusal=STAFF_ONLY)
    found = Experiment.objects.select_related("quiz").filter(slug=slug[:24]).first()
    if found is None:
        raise ApiError(404, "not_found", _("No experiment %(slug)s.") % {"slug": repr(slug[:24])})
    return experiment_readout(found)
