"""Experiment reads: which version a visitor is served, and the read-out.

Assignment is a hash of the visitor id (engines/analytics/experiments.py),
so a visitor keeps their variant across sessions and API calls with nothing
stored; the events they cause carry the variant's label.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from trunkshow.analytics.selectors import Cut, counts
from trunkshow.common.local_cache import cached
from trunkshow.common.models import Market
from trunkshow.engines.analytics.experiments import Arm, assign, readout
from trunkshow.engines.quiz import QuizDefinition
from trunkshow.quiz.definitions import definition_of
from trunkshow.quiz.models import Experiment, ExperimentVariant, QuizVersion
from trunkshow.quiz.selectors import current_version

EVERY_DAY = (date(2000, 1, 1), date(2100, 1, 1))  # labels are unique to their experiment


@dataclass(frozen=True)
class Served:
    version: QuizVersion
    definition: QuizDefinition
    variant: str  # "" outside an experiment, else "experiment:key"


def running_experiment(*, quiz_slug: str) -> tuple[Experiment, list[ExperimentVariant]] | None:
    """The quiz's experiment running now (the latest started), with its variants."""

    def build() -> tuple[Experiment, list[ExperimentVariant]] | None:
        now = timezone.now()
        found = (
            Experiment.objects.filter(
                quiz__slug=quiz_slug, starts_at__lte=now, promoted_at__isnull=True
            )
            .filter(Q(stops_at__isnull=True) | Q(stops_at__gt=now))
            .order_by("-starts_at")
            .first()
        )
        if found is None:
            return None
        variants = list(found.variants.select_related("version__quiz", "experiment"))
        return (found, variants) if variants else None

    seconds = float(getattr(settings, "CATALOG_CACHE_SECONDS", 10))
    return cached(("quiz.experiment", quiz_slug), seconds, build)


def quiz_for_visitor(*, slug: str, visitor_id: str) -> Served | None:
    """The version `visitor_id` is served: their variant's while an experiment runs."""
    current = current_version(slug=slug)
    if current is None:
        return None
    running = running_experiment(quiz_slug=slug) if visitor_id else None
    if running is None:
        return Served(current[0], current[1], "")
    experiment, variants = running
    key = assign(experiment.slug, visitor_id, [(v.key, v.weight) for v in variants])
    chosen = next(v for v in variants if v.key == key)
    return Served(chosen.version, definition_of(chosen.version), chosen.label)


def market_time_zones() -> dict[str, str]:
    return dict(Market.objects.values_list("code", "time_zone"))


def _arm(experiment: Experiment, variant: ExperimentVariant, zones: dict[str, str]) -> Arm:
    summed = counts(
        Cut(quiz=experiment.quiz.slug, day_from=EVERY_DAY[0], day_to=EVERY_DAY[1],
            variant=variant.label),
        time_zones=zones,
    )  # fmt: skip
    return Arm(
        key=variant.key, weight=variant.weight, visitors=summed["visitors", ""],
        completions=summed["step", "completed"], converted=summed["converted", ""],
        revenue_cents=sum(v for (m, _k), v in summed.items() if m == "revenue"),
        revenue_sq_cents=summed["revenue_sq", ""],
    )  # fmt: skip


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def experiment_readout(experiment: Experiment) -> dict[str, Any]:
    """The read-out: per variant visitors, completions, conversion, revenue per visitor;
    the comparison with the control only once the planned sample is reached."""
    variants = list(experiment.variants.select_related("version", "experiment"))
    zones = market_time_zones()
    arms = [_arm(experiment, variant, zones) for variant in variants]
    result = readout(arms, sample_size=experiment.sample_size, alpha=float(experiment.alpha),
                     power=float(experiment.power))  # fmt: skip
    return {
        "slug": experiment.slug,
        "quiz": experiment.quiz.slug,
        "title": experiment.title,
        "design": "fixed-horizon",
        "starts_at": experiment.starts_at,
        "stops_at": experiment.stops_at,
        "alpha": float(experiment.alpha),
        "power": float(experiment.power),
        "baseline_rate": float(experiment.baseline_rate),
        "minimum_lift": float(experiment.minimum_lift),
        "sample_size_per_variant": experiment.sample_size,
        "enough_data": result.horizon_reached,
        "minimum_detectable_effect": result.minimum_detectable_effect,
        "sample_ratio_mismatch": {"p_value": result.srm_p_value, "warning": result.srm_warning},
        "variants": [
            {
                "key": arm.key,
                "version": variant.version.number,
                "weight": arm.weight,
                "visitors": arm.visitors,
                "completions": arm.completions,
                "completion_rate": _share(arm.completions, arm.visitors),
                "converted": arm.converted,
                "conversion_rate": _share(arm.converted, arm.visitors),
                "revenue": str((Decimal(arm.revenue_cents) / 100).quantize(Decimal("0.01"))),
                "revenue_per_visitor": round(arm.revenue_cents / 100 / arm.visitors, 2)
                if arm.visitors
                else 0.0,
            }
            for arm, variant in zip(arms, variants, strict=True)
        ],
        "comparisons": [asdict(c) for c in result.comparisons],
        "winner": result.winner,
        "promoted_variant": experiment.promoted_variant or None,
    }
