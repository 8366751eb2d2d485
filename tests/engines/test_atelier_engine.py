"""The workshop's promises: honest about the queue, the artisans, their days off and the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from trunkshow.engines.atelier import (
    Artisan,
    DesignWork,
    Workshop,
    estimate_hours,
    plan_queue,
    promise,
)

WEEKDAYS = (7.0, 7.0, 7.0, 7.0, 7.0, 0.0, 0.0)
MONDAY_MORNING = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def workshop(*artisans: Artisan, tz: str = "Asia/Shanghai") -> Workshop:
    return Workshop(tz, artisans or (Artisan("Mei", WEEKDAYS),))


def test_the_promise_grows_as_the_queue_grows():
    shop = workshop()
    _ship, empty = promise(shop, [], 4, now=MONDAY_MORNING)
    _ship, busy = promise(shop, [6.0] * 20, 4, now=MONDAY_MORNING)
    assert busy > empty


def test_another_artisan_shortens_it():
    queue = [6.0] * 20
    _ship, alone = promise(workshop(), queue, 4, now=MONDAY_MORNING)
    _ship, two = promise(workshop(Artisan("Mei", WEEKDAYS), Artisan("Lin", WEEKDAYS)), queue, 4,
                         now=MONDAY_MORNING)  # fmt: skip
    assert two < alone


def test_days_off_and_weekends_are_not_working_days():
    # Work paid Monday starts Tuesday; seven hours a day.
    plain = plan_queue(workshop(), [7.0], now=MONDAY_MORNING)
    assert plain.finish == (date(2026, 12, 1),)
    away = workshop(Artisan("Mei", WEEKDAYS, frozenset({date(2026, 12, 1), date(2026, 12, 2)})))
    assert plan_queue(away, [7.0], now=MONDAY_MORNING).finish == (date(2026, 12, 3),)
    # Friday's work finished, the weekend is skipped by the painting but drying goes on.
    friday = plan_queue(workshop(), [7.0] * 4, now=MONDAY_MORNING)
    assert friday.finish[-1] == date(2026, 12, 4)
    assert friday.ship[-1] == date(2026, 12, 6)


def test_the_workshops_own_clock_decides_what_today_is():
    evening_utc = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # Tue 01:00 Shanghai, Mon 12:00 NY
    shanghai = plan_queue(workshop(tz="Asia/Shanghai"), [7.0], now=evening_utc)
    new_york = plan_queue(workshop(tz="America/New_York"), [7.0], now=evening_utc)
    assert shanghai.finish == (date(2026, 12, 2),)
    assert new_york.finish == (date(2026, 12, 1),)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.1, 20.0), min_size=1, max_size=60))
def test_bags_finish_in_queue_order_and_ship_after_drying(efforts):
    plan = plan_queue(workshop(), efforts, now=MONDAY_MORNING)
    assert list(plan.finish) == sorted(plan.finish)
    assert all((ship - done).days >= 2 for done, ship in zip(plan.finish, plan.ship, strict=True))
    assert plan.finish[0] >= date(2026, 12, 1)


def test_more_work_in_a_design_takes_longer():
    simple = DesignWork(
        painted_area=0.3, zones=1, colours=1, strokes=0, stencil=False, monogram=False
    )
    busy = DesignWork(painted_area=0.9, zones=4, colours=5, strokes=40, stencil=True, monogram=True)
    assert estimate_hours(busy) > estimate_hours(simple) > 0
