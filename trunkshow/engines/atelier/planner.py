"""Lead times from the queue and the workshop's real capacity.

The workshop paints its queue in order (first paid, first painted). Each
day it has the hours of the artisans working that day (their own hours per
weekday, minus their days off), in the workshop's time zone. Work paid today
starts tomorrow: the day's plan is made in the morning. A bag is done on the
day its cumulative hours are covered; then it dries and passes quality
control before it can ship. One pass over the queue and the days: O(orders +
days), so 10,000 queued bags plan in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DRYING_DAYS = 1
QUALITY_CHECK_DAYS = 1
MAX_PLANNING_DAYS = 3 * 365


@dataclass(frozen=True)
class Artisan:
    name: str
    # Hours at the bench per weekday, Monday first.
    hours: tuple[float, float, float, float, float, float, float]
    days_off: frozenset[date] = field(default_factory=frozenset)

    def hours_on(self, day: date) -> float:
        return 0.0 if day in self.days_off else max(0.0, self.hours[day.weekday()])


@dataclass(frozen=True)
class Workshop:
    time_zone: str
    artisans: tuple[Artisan, ...]
    closed: frozenset[date] = field(default_factory=frozenset)  # holidays for everyone

    def capacity(self, day: date) -> float:
        if day in self.closed:
            return 0.0
        return sum(artisan.hours_on(day) for artisan in self.artisans)

    def local_today(self, now: datetime) -> date:
        return now.astimezone(ZoneInfo(self.time_zone)).date()


@dataclass(frozen=True)
class Plan:
    finish: tuple[date, ...]  # the day each queued bag's painting is done
    ship: tuple[date, ...]  # the day each can ship (after drying and checking)


class NoCapacity(ValueError):
    """The workshop has no hours in the planning horizon (nobody works)."""


def _days(start: date) -> Iterator[date]:
    day = start
    for _ in range(MAX_PLANNING_DAYS):
        yield day
        day += timedelta(days=1)


def _ready(workshop: Workshop, finished: date) -> date:
    """Drying and quality control take working days of the workshop, not calendar days."""
    day, left = finished, DRYING_DAYS + QUALITY_CHECK_DAYS
    while left:
        day += timedelta(days=1)
        if day not in workshop.closed:
            left -= 1
    return day


def plan_queue(workshop: Workshop, efforts: Sequence[float], *, now: datetime) -> Plan:
    """The finish and ship dates of every bag in the queue, in queue order."""
    start = workshop.local_today(now) + timedelta(days=1)
    finish: list[date] = []
    covered = 0.0  # hours of capacity up to and including `day`
    needed = 0.0
    days = _days(start)
    day = start - timedelta(days=1)
    for effort in efforts:
        needed += max(0.0, effort)
        while covered + 1e-9 < needed:
            try:
                day = next(days)
            except StopIteration:
                raise NoCapacity("No artisan hours in the next three years.") from None
            covered += workshop.capacity(day)
        finish.append(max(day, start))
    ready_by_finish: dict[date, date] = {}
    ship = []
    for done in finish:
        if done not in ready_by_finish:
            ready_by_finish[done] = _ready(workshop, done)
        ship.append(ready_by_finish[done])
    return Plan(tuple(finish), tuple(ship))


def promise(
    workshop: Workshop, queued_efforts: Sequence[float], new_effort: float, *, now: datetime
) -> tuple[date, int]:
    """The ship date to promise a new shopper now, and the days from today to it."""
    plan = plan_queue(workshop, [*queued_efforts, new_effort], now=now)
    ship = plan.ship[-1]
    return ship, (ship - workshop.local_today(now)).days
