"""Analytics reports and experiment statistics: pure Python, no Django.

journeys.py turns one visitor's events into their journey through a quiz and
the additive counts that journey adds to its cohort day; reports.py turns
summed counts into the funnel, drop-off per question, profile mix, revenue
per profile and video completion.
"""

from trunkshow.engines.analytics.journeys import (
    FUNNEL_STEPS,
    Counts,
    EventRow,
    Journey,
    journey_advance,
    journey_counts,
)

__all__ = ["FUNNEL_STEPS", "Counts", "EventRow", "Journey", "journey_advance", "journey_counts"]
