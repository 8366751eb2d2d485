"""One visitor's journey through one quiz, and the counts it adds to reports.

The rule, written out:

- A journey starts at the visitor's first view of the quiz. Its cohort day is
  that view's date in the market's time zone, and its market, language, quiz
  version and variant are the view's. Events of the visitor before that view,
  or about another quiz, are not part of it.
- Funnel steps, in order: viewed, first answer, completed, video 50 %,
  product clicked, added to cart, paid. A step counts when the visitor
  reaches it after every step before it (events taken in the order they
  happened). Completing the quiz counts as its first answer too: an API
  client reports no single answers.
- Per question: `shown` counts the visitors the question was shown to,
  `answered` those who answered it (an answer is also a showing). A quiz
  whose questions differ by path is counted right, because the denominator
  is who saw the question, never who reached its position.
- Profile: the first completion's. Orders and revenue (in the reporting
  currency, cents) are every paid order of the journey, under that profile
  ("" if the visitor bought without completing).
- Video: visitors whose video started, reached 25, 50, 75, 100 %.

Every count is a number of visitors (or orders, or cents) in one cohort day,
so counts of many days add up exactly: a visitor belongs to one day only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

FUNNEL_STEPS = (
    "viewed", "first_answer", "completed", "video_50", "product_click", "add_to_cart", "paid",
)  # fmt: skip

# Count keys: (metric, key). Additive over visitors and days.
Counts = Counter[tuple[str, str]]


@dataclass(frozen=True)
class EventRow:
    """One stored event, as much of it as reports read."""

    id: int
    kind: str
    visitor: str
    at: datetime
    market: str = ""
    locale: str = ""
    quiz: str = ""
    quiz_version: int | None = None
    variant: str = ""
    question: str = ""
    position: int | None = None
    profile: str = ""
    progress: int | None = None
    amount_cents: int | None = None


@dataclass(frozen=True)
class Journey:
    visitor: str
    quiz: str
    market: str
    locale: str
    quiz_version: int | None
    variant: str
    day: date
    depth: int = 1  # funnel steps reached in order (viewed is the first)
    shown: frozenset[str] = frozenset()
    answered: frozenset[str] = frozenset()
    positions: tuple[tuple[str, int], ...] = ()  # first position each question was seen at
    profile: str = ""
    completed: bool = False
    video: frozenset[int] = frozenset()
    orders: int = 0
    revenue_cents: int = 0
    last_event: int = 0


def _step_of(event: EventRow) -> int | None:
    kind = event.kind
    if kind == "question_answered":
        return 1
    if kind == "quiz_completed":
        return 2
    if kind == "video_progress" and (event.progress or 0) >= 50:
        return 3
    if kind == "result_product_clicked":
        return 4
    if kind == "added_to_cart":
        return 5
    if kind == "order_paid":
        return 6
    return None


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def journey_start(event: EventRow, time_zone: str) -> Journey:
    """The journey a quiz view starts (the caller checks it is a view of a quiz)."""
    return Journey(
        visitor=event.visitor, quiz=event.quiz, market=event.market, locale=event.locale,
        quiz_version=event.quiz_version, variant=event.variant,
        day=event.at.astimezone(_zone(time_zone)).date(), last_event=event.id,
    )  # fmt: skip


def journey_advance(journey: Journey, event: EventRow) -> Journey:
    """The journey after one more of its visitor's events (later than the ones before)."""
    changes: dict[str, object] = {"last_event": max(journey.last_event, event.id)}
    step = _step_of(event)
    if step is not None and (step == journey.depth or (step == 2 and journey.depth == 1)):
        changes["depth"] = step + 1
    kind = event.kind
    if kind in ("question_shown", "question_answered") and event.question:
        changes["shown"] = journey.shown | {event.question}
        if event.question not in dict(journey.positions) and event.position:
            changes["positions"] = (*journey.positions, (event.question, event.position))
        if kind == "question_answered":
            changes["answered"] = journey.answered | {event.question}
    elif kind == "quiz_completed" and not journey.completed:
        changes.update(completed=True, profile=event.profile)
    elif kind == "video_started":
        changes["video"] = journey.video | {0}
    elif kind == "video_progress" and event.progress:
        changes["video"] = journey.video | {0, event.progress}
    elif kind == "order_paid":
        changes.update(
            orders=journey.orders + 1,
            revenue_cents=journey.revenue_cents + (event.amount_cents or 0),
        )
    return replace(journey, **changes)  # type: ignore[arg-type]


def journey_counts(journey: Journey) -> Counts:
    """The counts a journey adds to its cohort day."""
    counts: Counts = Counter()
    counts["visitors", ""] = 1
    for index in range(journey.depth):
        counts["step", FUNNEL_STEPS[index]] = 1
    positions = dict(journey.positions)
    for question in journey.shown:
        counts["shown", question] = 1
        counts["shown_position", question] = positions.get(question, 0)
    for question in journey.answered:
        counts["answered", question] = 1
    if journey.completed:
        counts["profile", journey.profile] = 1
    for mark in journey.video:
        counts["video", str(mark)] = 1
    if journey.orders:
        counts["orders", journey.profile] = journey.orders
        counts["revenue", journey.profile] = journey.revenue_cents
        counts["converted", ""] = 1
        counts["revenue_sq", ""] = journey.revenue_cents**2
        if journey.completed:
            counts["converted_profile", journey.profile] = 1
    return +counts  # drop zeros


def counts_change(before: Journey | None, after: Journey) -> Counts:
    """What replacing `before` by `after` adds to the cohort's counts (may be negative)."""
    change = Counter(journey_counts(after))
    if before is not None:
        change.subtract(journey_counts(before))
    return Counter({key: value for key, value in change.items() if value})


def journeys_from_events(
    events: list[EventRow], time_zones: dict[str, str], default_zone: str = "UTC"
) -> dict[tuple[str, str], Journey]:
    """Every journey in `events` (any order): the reference the roll-up must agree with."""
    journeys: dict[tuple[str, str], Journey] = {}
    for event in sorted(events, key=lambda e: (e.at, e.id)):
        journeys_apply(journeys, event, time_zones, default_zone)
    return journeys


def journeys_apply(
    journeys: dict[tuple[str, str], Journey],
    event: EventRow,
    time_zones: dict[str, str],
    default_zone: str = "UTC",
) -> tuple[Journey | None, Journey | None]:
    """Apply one event in place; return the journey before and after (None: not part of one)."""
    if not event.quiz or not event.visitor:
        return None, None
    key = (event.visitor, event.quiz)
    before = journeys.get(key)
    if before is None:
        if event.kind != "quiz_viewed":
            return None, None
        after = journey_start(event, time_zones.get(event.market, default_zone))
    else:
        after = journey_advance(before, event)
    journeys[key] = after
    return before, after
