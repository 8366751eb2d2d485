"""The analytics engine: journeys and reports, without Django."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from trunkshow.engines.analytics.journeys import (
    EventRow,
    counts_change,
    journey_counts,
    journeys_apply,
    journeys_from_events,
)
from trunkshow.engines.analytics.reports import by_question, funnel, profiles

T0 = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
ZONES = {"CN": "Asia/Shanghai", "US": "America/New_York"}


def ev(i, kind, visitor="v1", minutes=0, **fields):
    return EventRow(id=i, kind=kind, visitor=visitor, at=T0 + timedelta(minutes=minutes),
                    market=fields.pop("market", "CN"), quiz="q", **fields)  # fmt: skip


def total(journeys):
    counts = Counter()
    for journey in journeys.values():
        counts.update(journey_counts(journey))
    return counts


def test_a_journeys_day_is_its_first_views_day_in_the_markets_zone():
    # Given views at 15:30 UTC: 23:30 in Shanghai, 10:30 in New York, and 40
    # minutes later (past midnight in Shanghai)
    events = [ev(1, "quiz_viewed", "cn"), ev(2, "quiz_viewed", "us", market="US"),
              ev(3, "quiz_viewed", "cn", minutes=40)]  # fmt: skip
    journeys = journeys_from_events(events, ZONES)
    # Then the Chinese visitor's cohort day is Shanghai's first day, once
    assert journeys["cn", "q"].day.isoformat() == "2026-12-01"
    assert journeys["us", "q"].day.isoformat() == "2026-12-01"


def test_steps_count_only_in_order_and_completion_counts_as_the_first_answer():
    # Given a visitor who pays before viewing the video, and one API client
    # who completes without reporting single answers
    events = [
        ev(1, "quiz_viewed"), ev(2, "quiz_completed", profile="traveller"),
        ev(3, "added_to_cart"), ev(4, "order_paid", amount_cents=10000),
        ev(5, "quiz_viewed", "api"), ev(6, "quiz_completed", "api", profile="city"),
    ]  # fmt: skip
    steps = {s.key: s.visitors for s in funnel(total(journeys_from_events(events, ZONES)))}
    # Then both reach "completed"; nobody reaches the video or beyond it in order
    assert steps == {"viewed": 2, "first_answer": 2, "completed": 2, "video_50": 0,
                     "product_click": 0, "add_to_cart": 0, "paid": 0}  # fmt: skip


def test_drop_off_of_a_branching_quiz_counts_who_was_shown_each_question():
    # Given a quiz whose second question depends on the first answer: 3 go to
    # "beach" (2 answer it), 1 to "city" (answers it)
    events, i = [], 0
    for visitor, branch, answers in [("a", "beach", True), ("b", "beach", True),
                                     ("c", "beach", False), ("d", "city", True)]:  # fmt: skip
        for kind, question, position in [("quiz_viewed", "", None), ("question_shown", "first", 1),
                                         ("question_answered", "first", 1),
                                         ("question_shown", branch, 2)]:  # fmt: skip
            i += 1
            events.append(ev(i, kind, visitor, i, question=question, position=position))
        if answers:
            i += 1
            events.append(ev(i, "question_answered", visitor, i, question=branch, position=2))
    rows = by_question(total(journeys_from_events(events, ZONES)))
    # Then each branch question's drop-off is over those who saw it, not all 4
    assert [(r.key, r.shown, r.answered, r.drop_off) for r in rows] == [
        ("first", 4, 4, 0.0), ("beach", 3, 2, 0.3333), ("city", 1, 1, 0.0)]  # fmt: skip


KINDS = ["quiz_viewed", "question_shown", "question_answered", "quiz_completed",
         "video_started", "video_progress", "result_product_clicked", "added_to_cart",
         "order_paid"]  # fmt: skip


@st.composite
def histories(draw):
    size = draw(st.integers(1, 60))
    events = []
    for i in range(1, size + 1):
        kind = draw(st.sampled_from(KINDS))
        events.append(
            ev(i, kind, draw(st.sampled_from(["a", "b", "c"])), i,
               market=draw(st.sampled_from(["CN", "US"])),
               question=draw(st.sampled_from(["x", "y"])) if "question" in kind else "",
               position=draw(st.integers(1, 3)) if "question" in kind else None,
               profile=draw(st.sampled_from(["p", "r"])) if kind == "quiz_completed" else "",
               progress=draw(st.sampled_from([25, 50, 75, 100])) if kind == "video_progress" else None,
               amount_cents=draw(st.integers(0, 10**6)) if kind == "order_paid" else None)
        )  # fmt: skip
    cuts = sorted(draw(st.lists(st.integers(0, size), max_size=5)))
    return events, cuts


@settings(max_examples=200, deadline=None)
@given(histories())
def test_folding_events_in_any_batches_adds_up_to_counting_them_at_once(history):
    # Given events folded batch by batch, each batch adding its counts' change
    events, cuts = history
    journeys, summed = {}, Counter()
    for start, end in zip([0, *cuts], [*cuts, len(events)], strict=True):
        before = dict(journeys)
        touched = set()
        for event in events[start:end]:
            _old, new = journeys_apply(journeys, event, ZONES)
            if new is not None:
                touched.add((event.visitor, event.quiz))
        for key in touched:
            summed.update(counts_change(before.get(key), journeys[key]))
    # Then the sums equal the counts of the journeys made from all events at once
    assert +summed == +total(journeys_from_events(events, ZONES))


def test_revenue_and_average_order_value_per_profile():
    events = [ev(1, "quiz_viewed"), ev(2, "quiz_completed", profile="p"),
              ev(3, "order_paid", amount_cents=12345), ev(4, "order_paid", amount_cents=55),
              ev(5, "quiz_viewed", "w"), ev(6, "order_paid", "w", amount_cents=100)]  # fmt: skip
    rows = {r.profile: r for r in profiles(total(journeys_from_events(events, ZONES)))}
    assert (rows["p"].orders, str(rows["p"].revenue), str(rows["p"].average_order_value)) == (
        2, "124.00", "62.00")  # fmt: skip
    assert (rows[""].completions, rows[""].orders, str(rows[""].revenue)) == (0, 1, "1.00")
