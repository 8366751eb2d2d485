"""The roll-up: events after the mark, folded into journeys and daily counts.

Events are read in id order up to the last one stored more than LAG ago: an
id is taken when a transaction inserts, and a transaction still open could
commit a smaller id later, so the newest minute is never marked as read.
Reports add that unread tail in memory (selectors.counts), so they are
exact to the last committed event. One roll-up at a time: the mark row is
locked (SQLite serialises writers by itself).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from trunkshow.analytics.models import DailyCount, Event, RollupMark, VisitorJourney
from trunkshow.engines.analytics.journeys import (
    Counts,
    EventRow,
    Journey,
    counts_change,
    journeys_apply,
)

LAG = timedelta(seconds=60)
BATCH = 20_000
EVENT_FIELDS = (
    "id", "kind", "visitor_id", "occurred_at", "market", "locale", "quiz", "quiz_version",
    "variant", "question", "position", "profile", "progress", "amount_reporting",
)  # fmt: skip
Slice = tuple[str, date, str, str, int, str]  # quiz, day, market, locale, version, variant


def event_row(row: Mapping[str, Any]) -> EventRow:
    amount: Decimal | None = row["amount_reporting"]
    return EventRow(
        id=row["id"], kind=row["kind"], visitor=row["visitor_id"], at=row["occurred_at"],
        market=row["market"], locale=row["locale"], quiz=row["quiz"],
        quiz_version=row["quiz_version"], variant=row["variant"], question=row["question"],
        position=row["position"], profile=row["profile"], progress=row["progress"],
        amount_cents=None if amount is None else int(amount * 100),
    )  # fmt: skip


def journey_of(row: VisitorJourney) -> Journey:
    state = row.state
    return Journey(
        visitor=row.visitor_id, quiz=row.quiz, market=row.market, locale=row.locale,
        quiz_version=row.quiz_version, variant=row.variant, day=row.day,
        depth=state["depth"], shown=frozenset(state["shown"]),
        answered=frozenset(state["answered"]),
        positions=tuple((q, p) for q, p in state["positions"]), profile=state["profile"],
        completed=state["completed"], video=frozenset(state["video"]), orders=state["orders"],
        revenue_cents=state["revenue_cents"], last_event=row.last_event,
    )  # fmt: skip


def _state(journey: Journey) -> dict[str, Any]:
    return {
        "depth": journey.depth, "shown": sorted(journey.shown),
        "answered": sorted(journey.answered), "positions": [list(p) for p in journey.positions],
        "profile": journey.profile, "completed": journey.completed,
        "video": sorted(journey.video), "orders": journey.orders,
        "revenue_cents": journey.revenue_cents,
    }  # fmt: skip


def slice_of(journey: Journey) -> Slice:
    return (journey.quiz, journey.day, journey.market, journey.locale,
            journey.quiz_version or 0, journey.variant)  # fmt: skip


def stored_journeys(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Journey]:
    wanted = set(pairs)
    visitors = sorted({visitor for visitor, _quiz in wanted})
    found: dict[tuple[str, str], Journey] = {}
    for start in range(0, len(visitors), 500):
        for row in VisitorJourney.objects.filter(visitor_id__in=visitors[start : start + 500]):
            if (row.visitor_id, row.quiz) in wanted:
                found[row.visitor_id, row.quiz] = journey_of(row)
    return found


def fold(
    rows: list[EventRow], journeys: dict[tuple[str, str], Journey], time_zones: dict[str, str]
) -> tuple[dict[Slice, Counts], dict[tuple[str, str], Journey]]:
    """Apply events (in id order) to journeys in place; return count changes per slice
    and the journeys that changed."""
    before: dict[tuple[str, str], Journey | None] = {}
    for event in rows:
        key = (event.visitor, event.quiz)
        previous = journeys.get(key)
        _old, new = journeys_apply(journeys, event, time_zones)
        if new is not None and key not in before:
            before[key] = previous
    changes: dict[Slice, Counts] = defaultdict(Counter)
    changed = {}
    for key, previous in before.items():
        after = journeys[key]
        changed[key] = after
        changes[slice_of(after)].update(counts_change(previous, after))
    return changes, changed


@transaction.atomic
def analytics_rollup(*, time_zones: dict[str, str], batch: int = BATCH) -> int:
    """Fold the next events into journeys and daily counts; return how many were read.

    `time_zones` maps a market code to its IANA zone (cohort days are the
    market's days); the caller reads markets, analytics imports no app.
    """
    mark, _created = RollupMark.objects.select_for_update().get_or_create(pk=1)
    settled = (
        Event.objects.filter(id__gt=mark.last_event, occurred_at__lt=timezone.now() - LAG)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if settled is None:
        return 0
    rows = [
        event_row(r)
        for r in Event.objects.filter(id__gt=mark.last_event, id__lte=settled)
        .order_by("id")
        .values(*EVENT_FIELDS)[:batch]
    ]
    if not rows:
        return 0
    journeys = stored_journeys((r.visitor, r.quiz) for r in rows if r.quiz and r.visitor)
    existing = set(journeys)
    changes, changed = fold(rows, journeys, time_zones)
    _save_journeys(changed, existing)
    _add_counts(changes)
    mark.last_event = rows[-1].id
    mark.save(update_fields=["last_event", "updated_at"])
    return len(rows)


def _save_journeys(changed: dict[tuple[str, str], Journey], existing: set[tuple[str, str]]) -> None:
    new = [
        VisitorJourney(
            visitor_id=j.visitor, quiz=j.quiz, market=j.market, locale=j.locale,
            quiz_version=j.quiz_version, variant=j.variant, day=j.day, state=_state(j),
            last_event=j.last_event,
        )
        for key, j in changed.items() if key not in existing
    ]  # fmt: skip
    VisitorJourney.objects.bulk_create(new, batch_size=1000)
    old = [key for key in changed if key in existing]
    for start in range(0, len(old), 500):
        chunk = old[start : start + 500]
        rows = VisitorJourney.objects.filter(visitor_id__in=[v for v, _q in chunk])
        updated = []
        for row in rows:
            journey = changed.get((row.visitor_id, row.quiz))
            if journey is not None and (row.visitor_id, row.quiz) in existing:
                row.state, row.last_event = _state(journey), journey.last_event
                updated.append(row)
        VisitorJourney.objects.bulk_update(updated, ["state", "last_event"], batch_size=1000)


def _add_counts(changes: dict[Slice, Counts]) -> None:
    if not changes:
        return
    quizzes = {s[0] for s in changes}
    days = {s[1] for s in changes}
    stored = {
        (r.quiz, r.day, r.market, r.locale, r.quiz_version, r.variant, r.metric, r.key): r
        for r in DailyCount.objects.filter(quiz__in=quizzes, day__in=days)
    }
    new, updated = [], []
    for (quiz, day, market, locale, version, variant), counts in changes.items():
        for (metric, key), value in counts.items():
            row = stored.get((quiz, day, market, locale, version, variant, metric, key))
            if row is None:
                new.append(DailyCount(quiz=quiz, day=day, market=market, locale=locale,
                                      quiz_version=version, variant=variant, metric=metric,
                                      key=key, value=value))  # fmt: skip
            else:
                row.value += value
                updated.append(row)
    DailyCount.objects.bulk_create(new, batch_size=1000)
    DailyCount.objects.bulk_update(updated, ["value"], batch_size=1000)
