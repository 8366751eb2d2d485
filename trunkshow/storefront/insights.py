"""What the staff dashboard and the analytics API share: a report's cut checked and read.

Here, above every app, markets (their time zones) and quizzes can be read;
analytics itself imports none of them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from trunkshow.analytics.selectors import Cut, counts
from trunkshow.common.errors import Invalid
from trunkshow.common.models import Market
from trunkshow.engines.analytics import reports
from trunkshow.engines.analytics.journeys import Counts
from trunkshow.quiz.experiments import market_time_zones
from trunkshow.quiz.models import Quiz

MAX_DAYS = 366
DEFAULT_DAYS = 14


def report_cut(
    *,
    quiz: str,
    market: str | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    locale: str | None = None,
    quiz_version: int | None = None,
    variant: str | None = None,
) -> Cut:
    """Check what a report is asked for; raise Invalid naming every bad field.

    Without dates: the last two weeks up to today in the market's time zone
    (UTC for all markets). Both dates are included.
    """
    problems: list[tuple[tuple[str, ...], str]] = []
    if not Quiz.objects.filter(slug=quiz[:40]).exists():
        problems.append((("query", "quiz"), _("No quiz %(slug)s.") % {"slug": repr(quiz[:40])}))
    zone = "UTC"
    if market is not None:
        found = Market.objects.filter(code=market[:8]).values_list("time_zone", flat=True).first()
        if found is None:
            problems.append(
                (("query", "market"), _("No market %(code)s.") % {"code": repr(market[:8])})
            )
        else:
            zone = found
    today = datetime.now(ZoneInfo(zone)).date()
    day_to = day_to or today
    day_from = day_from or day_to - timedelta(days=DEFAULT_DAYS - 1)
    if day_from > day_to:
        problems.append((("query", "from"), _("'from' must not be after 'to'.")))
    elif (day_to - day_from).days + 1 > MAX_DAYS:
        problems.append(
            (
                ("query", "to"),
                _("The range from 'from' to 'to' is longer than %(n)s days.") % {"n": MAX_DAYS},
            )
        )
    if problems:
        raise Invalid(problems)
    return Cut(quiz=quiz, day_from=day_from, day_to=day_to, market=market, locale=locale,
               quiz_version=quiz_version, variant=variant)  # fmt: skip


def report_counts(cut: Cut) -> Counts:
    return counts(cut, time_zones=market_time_zones())


def funnel_payload(summed: Counts) -> dict[str, Any]:
    """The API's funnel: steps with their rate of the first, drop-off per question."""
    return {
        "steps": [asdict(step) for step in reports.funnel(summed)],
        "by_question": [asdict(row) for row in reports.by_question(summed)],
    }
