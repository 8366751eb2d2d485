"""Reports from summed cohort counts (journeys.py says what each count is)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from trunkshow.engines.analytics.journeys import FUNNEL_STEPS, Counts

VIDEO_MARKS = (0, 25, 50, 75, 100)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass(frozen=True)
class Step:
    key: str
    visitors: int
    rate: float  # of the first step's visitors


@dataclass(frozen=True)
class QuestionRow:
    key: str
    shown: int
    answered: int
    drop_off: float  # of those shown, the share who did not answer


@dataclass(frozen=True)
class ProfileRow:
    profile: str
    completions: int
    share: float
    orders: int
    buyers: int
    revenue: Decimal
    average_order_value: Decimal | None


@dataclass(frozen=True)
class VideoRow:
    mark: int  # 0 = started
    visitors: int
    rate: float  # of the visitors whose video started


def funnel(counts: Counts) -> list[Step]:
    first = counts["step", FUNNEL_STEPS[0]]
    return [
        Step(key, counts["step", key], _rate(counts["step", key], first)) for key in FUNNEL_STEPS
    ]


def by_question(counts: Counts) -> list[QuestionRow]:
    """Per question, in the order shoppers met them (mean position), then by key."""
    keys = [key for metric, key in counts if metric == "shown"]

    def order(key: str) -> tuple[float, str]:
        return (counts["shown_position", key] / counts["shown", key], key)

    return [
        QuestionRow(
            key,
            counts["shown", key],
            counts["answered", key],
            _rate(counts["shown", key] - counts["answered", key], counts["shown", key]),
        )
        for key in sorted(keys, key=order)
    ]


def cents(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def profiles(counts: Counts) -> list[ProfileRow]:
    """Profile mix with orders, revenue and average order value per profile.

    Orders of visitors who never completed the quiz are under profile "".
    """
    completions = sum(v for (metric, _k), v in counts.items() if metric == "profile")
    keys = {key for metric, key in counts if metric in ("profile", "orders")}
    rows = []
    for key in keys:
        orders, revenue = counts["orders", key], counts["revenue", key]
        rows.append(
            ProfileRow(
                profile=key,
                completions=counts["profile", key],
                share=_rate(counts["profile", key], completions),
                orders=orders,
                buyers=counts["converted_profile", key],
                revenue=cents(revenue),
                average_order_value=(cents(revenue) / orders).quantize(Decimal("0.01"))
                if orders
                else None,
            )
        )
    return sorted(rows, key=lambda r: (-r.completions, r.profile == "", r.profile))


def video(counts: Counts) -> list[VideoRow]:
    started = counts["video", "0"]
    return [VideoRow(m, counts["video", str(m)], _rate(counts["video", str(m)], started))
            for m in VIDEO_MARKS]  # fmt: skip
