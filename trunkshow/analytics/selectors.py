"""Reads for reports: daily counts summed, plus the events not yet rolled up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from trunkshow.analytics.models import DailyCount, Event, RollupMark
from trunkshow.analytics.rollup import EVENT_FIELDS, Slice, event_row, fold, stored_journeys
from trunkshow.engines.analytics.journeys import Counts

TAIL_LIMIT = 200_000  # past this the roll-up has stopped; reports say so rather than stall


@dataclass(frozen=True)
class Cut:
    """Which journeys a report counts: one quiz, cohort days, optional slices."""

    quiz: str
    day_from: date
    day_to: date
    market: str | None = None
    locale: str | None = None
    quiz_version: int | None = None
    variant: str | None = None

    def takes(self, part: Slice) -> bool:
        quiz, day, market, locale, version, variant = part
        return (
            quiz == self.quiz
            and self.day_from <= day <= self.day_to
            and self.market in (None, market)
            and self.locale in (None, locale)
            and self.quiz_version in (None, version)
            and self.variant in (None, variant)
        )


def counts(cut: Cut, *, time_zones: dict[str, str]) -> Counts:
    """Every count (engines/analytics/journeys.py) of the journeys in `cut`, exact to the
    last committed event: the rolled-up days plus the tail folded in memory."""
    query = DailyCount.objects.filter(quiz=cut.quiz, day__gte=cut.day_from, day__lte=cut.day_to)
    for field in ("market", "locale", "quiz_version", "variant"):
        value = getattr(cut, field)
        if value is not None:
            query = query.filter(**{field: value})
    total: Counts = Counter()
    for row in query.values("metric", "key").annotate(value=Sum("value")):
        total[row["metric"], row["key"]] += row["value"]
    for part, change in tail_changes(time_zones).items():
        if cut.takes(part):
            total.update(change)
    return +total


def tail_changes(time_zones: dict[str, str] | None = None) -> dict[Slice, Counts]:
    mark = RollupMark.objects.filter(pk=1).values_list("last_event", flat=True).first() or 0
    rows = [
        event_row(r)
        for r in Event.objects.filter(id__gt=mark).order_by("id").values(*EVENT_FIELDS)[:TAIL_LIMIT]
    ]
    if not rows:
        return {}
    journeys = stored_journeys((r.visitor, r.quiz) for r in rows if r.quiz and r.visitor)
    changes, _changed = fold(rows, journeys, time_zones or {})
    return changes
