from __future__ import annotations

from django_tasks import task

from trunkshow.analytics.rollup import analytics_rollup
from trunkshow.quiz.experiments import market_time_zones

ROLLUP_ROUNDS = 50  # a million events a minute at most; the rest next minute


@task()
def rollup_analytics() -> int:
    """Fold new analytics events into the daily counts (enqueued every minute by serve)."""
    zones = market_time_zones()
    total = 0
    for _round in range(ROLLUP_ROUNDS):
        done = analytics_rollup(time_zones=zones)
        total += done
        if not done:
            break
    return total
