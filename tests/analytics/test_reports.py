"""Reports against a hand count of a generated history (tests/analytics/history.py)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.analytics.history import ZONES, expected, make_history, store
from trunkshow.analytics.rollup import analytics_rollup
from trunkshow.analytics.selectors import Cut, counts
from trunkshow.engines.analytics.reports import by_question, funnel, profiles, video

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def plans():
    return make_history()


def report(cut: Cut) -> dict[str, object]:
    summed = counts(cut, time_zones=ZONES)
    rows = by_question(summed)
    prof = profiles(summed)
    return {
        "steps": [s.visitors for s in funnel(summed)],
        "shown": {r.key: r.shown for r in rows},
        "answered": {r.key: r.answered for r in rows if r.answered},
        "profiles": {r.profile: r.completions for r in prof if r.completions},
        "orders": {r.profile: r.orders for r in prof if r.orders},
        "revenue": {r.profile: int(r.revenue * 100) for r in prof if r.revenue},
        "video": {int(r.mark): r.visitors for r in video(summed) if r.visitors},
    }


def hand(plans, **where) -> dict[str, object]:
    day_from, day_to = where.pop("days", (date(2000, 1, 1), date(2100, 1, 1)))
    chosen = [p for p in plans if day_from <= p.day <= day_to
              and all(getattr(p, k) == v for k, v in where.items())]  # fmt: skip
    found = expected(chosen)
    return {**found, "shown": dict(+found["shown"]), "answered": dict(+found["answered"]),
            "profiles": dict(found["profiles"]), "orders": dict(found["orders"]),
            "revenue": dict(found["revenue"]), "video": dict(+found["video"])}  # fmt: skip


CUTS = [
    ({}, {}),
    ({"market": "CN", "day_from": date(2026, 11, 3), "day_to": date(2026, 11, 9)},
     {"market": "CN", "days": (date(2026, 11, 3), date(2026, 11, 9))}),
    ({"variant": "new", "locale": "zh-Hans"}, {"variant": "new", "locale": "zh-Hans"}),
    ({"market": "US", "quiz_version": 1}, {"market": "US", "version": 1}),
]  # fmt: skip


@pytest.mark.parametrize("rolled_up", [0, 1234, 10**6], ids=["all-tail", "part", "all-rolled"])
def test_every_report_matches_the_hand_count(plans, rolled_up):
    # Given the history stored event by event, rolled up in uneven batches up
    # to a point (the rest read live from the events)
    stored = store(plans)
    done = 0
    while done < min(rolled_up, stored):
        done += analytics_rollup(time_zones=ZONES, batch=min(500, rolled_up - done))
    # When each cut is reported
    for cut, where in CUTS:
        wide = {"day_from": date(2000, 1, 1), "day_to": date(2100, 1, 1), **cut}
        # Then funnel, drop-off, profiles, revenue and video are the hand count's
        assert report(Cut(quiz="trip", **wide)) == hand(plans, **where), cut
