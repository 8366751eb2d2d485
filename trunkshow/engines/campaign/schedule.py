"""Which campaign a market shows at an instant, and what the countdown counts to.

The rule, written out:

- A campaign runs in a market from `starts_at` (included) to `ends_at`
  (excluded), both instants in UTC. They are authored as wall-clock times in
  the market's time zone (`local_to_utc`), so "09:00 in New York" is 13:00 or
  14:00 UTC depending on daylight saving time, and a window authored across a
  DST change lasts 23 or 25 hours of real time, as the market's clocks say.
- Its status at an instant `now`:
  `teaser`  from `starts_at - teaser` to `starts_at`,
  `live`    from `starts_at` to `ends_at`,
  `ended`   from `ends_at` to `ends_at + archive` (7 days: the archive),
  nothing   otherwise.
- A market shows at most one campaign: the live one (if windows overlap,
  which the admin refuses, the earliest start wins, then the smallest key);
  else the teaser starting soonest; else the archive that ended last.
- The next moment that matters is the start while teasing; while live, the
  first drop opening after `now` and before the end, else the end; nothing
  once ended. A countdown is the whole seconds from `now` to that moment,
  rounded up, never negative: it reads 0 only once the moment has come, so a
  page that reloads at 0 finds the new status on the server.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

TEASER = timedelta(days=7)
ARCHIVE = timedelta(days=7)


class Status(StrEnum):
    TEASER = "teaser"
    LIVE = "live"
    ENDED = "ended"


class MomentKind(StrEnum):
    START = "start"
    DROP = "drop"
    END = "end"


class NonexistentLocalTime(ValueError):
    """A wall-clock time the market's clocks skip (the hour lost to daylight saving)."""


@dataclass(frozen=True)
class Window:
    """One campaign's run in one market, in UTC."""

    campaign: str
    market: str
    starts_at: datetime
    ends_at: datetime
    teaser: timedelta = TEASER

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("A window's instants must be time-zone aware.")
        if self.ends_at <= self.starts_at:
            raise ValueError("A window must end after it starts.")
        if self.teaser < timedelta(0):
            raise ValueError("A teaser cannot last a negative time.")

    def overlaps(self, other: Window) -> bool:
        """Return True if both run in one market at some instant ([start, end) intersect)."""
        return (
            self.market == other.market
            and self.starts_at < other.ends_at
            and other.starts_at < self.ends_at
        )


@dataclass(frozen=True)
class Moment:
    kind: MomentKind
    at: datetime


@dataclass(frozen=True)
class Showing:
    window: Window
    status: Status


def status_at(window: Window, now: datetime, *, archive: timedelta = ARCHIVE) -> Status | None:
    """Return the window's status at `now`, or None when the market does not show it."""
    if now < window.starts_at - window.teaser:
        return None
    if now < window.starts_at:
        return Status.TEASER
    if now < window.ends_at:
        return Status.LIVE
    if now < window.ends_at + archive:
        return Status.ENDED
    return None


def showing(
    windows: Iterable[Window], *, market: str, now: datetime, archive: timedelta = ARCHIVE
) -> Showing | None:
    """Return the one campaign `market` shows at `now` (see the module's rule), or None."""
    live: list[Window] = []
    teasers: list[Window] = []
    ended: list[Window] = []
    for window in windows:
        if window.market != market:
            continue
        status = status_at(window, now, archive=archive)
        if status is Status.LIVE:
            live.append(window)
        elif status is Status.TEASER:
            teasers.append(window)
        elif status is Status.ENDED:
            ended.append(window)
    # Every field in the key: the same windows in any order give the same answer.
    if live:
        return Showing(min(live, key=_earliest), Status.LIVE)
    if teasers:
        return Showing(min(teasers, key=_earliest), Status.TEASER)
    if ended:
        return Showing(min(ended, key=_latest_end), Status.ENDED)
    return None


def _earliest(w: Window) -> tuple[datetime, str, datetime, timedelta]:
    return (w.starts_at, w.campaign, w.ends_at, w.teaser)


def _latest_end(w: Window) -> tuple[float, str, datetime, timedelta]:
    return (-w.ends_at.timestamp(), w.campaign, w.starts_at, w.teaser)


def next_moment(window: Window, now: datetime, *, drops: Iterable[datetime] = ()) -> Moment | None:
    """Return the next moment that matters after `now` (start, next drop, end), or None."""
    if now < window.starts_at:
        return Moment(MomentKind.START, window.starts_at)
    if now < window.ends_at:
        upcoming = [at for at in drops if now < at < window.ends_at]
        if upcoming:
            return Moment(MomentKind.DROP, min(upcoming))
        return Moment(MomentKind.END, window.ends_at)
    return None


def seconds_until(at: datetime, now: datetime) -> int:
    """Whole seconds from `now` to `at`, rounded up; 0 once `at` has come, never negative."""
    return max(0, math.ceil((at - now).total_seconds()))


def overlaps(windows: Sequence[Window]) -> list[tuple[Window, Window]]:
    """Return every pair of windows running in one market at once (a campaign runs
    once per market, so two windows of one campaign there overlap too)."""
    found = []
    for i, first in enumerate(windows):
        for second in windows[i + 1 :]:
            if first.overlaps(second):
                found.append((first, second))
    return found


def local_to_utc(local: datetime, zone: str) -> datetime:
    """Return the UTC instant of a wall-clock time in `zone`.

    A time the clocks skip (02:30 on a spring-forward night in New York), or
    one whose instant is past the calendar's end, raises NonexistentLocalTime;
    a time they show twice (01:30 on a fall-back night) is its first
    occurrence, the one still on daylight saving time.
    """
    if local.tzinfo is not None:
        raise ValueError("Give the wall-clock time without a time zone.")
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz, fold=0)
    try:
        instant = aware.astimezone(UTC)
    except OverflowError as exc:  # 9999-12-31 23:59 west of Greenwich: past datetime's range
        raise NonexistentLocalTime(f"{local:%Y-%m-%d %H:%M} is out of range in {zone}.") from exc
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(fold=0):
        raise NonexistentLocalTime(f"{local:%Y-%m-%d %H:%M} does not exist in {zone}.")
    return instant


def utc_to_local(instant: datetime, zone: str) -> datetime:
    """Return `instant` as the market's clocks show it (aware, in `zone`)."""
    if instant.tzinfo is None:
        raise ValueError("Give an aware instant.")
    return instant.astimezone(ZoneInfo(zone))
