"""The campaign engine: what a market shows at an instant, countdowns, local times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trunkshow.engines.campaign.schedule import (
    ARCHIVE,
    MomentKind,
    NonexistentLocalTime,
    Status,
    Window,
    local_to_utc,
    next_moment,
    overlaps,
    seconds_until,
    showing,
    status_at,
    utc_to_local,
)

T0 = datetime(2027, 1, 1, tzinfo=UTC)
MARKETS = ["CN", "US"]
ZONES = {"CN": "Asia/Shanghai", "US": "America/New_York"}

instants = st.integers(min_value=0, max_value=400 * 24 * 3600).map(
    lambda s: T0 + timedelta(seconds=s)
)


@st.composite
def windows(draw: st.DrawFn, campaign: str | None = None) -> Window:
    start = draw(instants)
    length = draw(st.integers(min_value=1, max_value=10 * 24 * 3600))
    teaser = draw(st.integers(min_value=0, max_value=14 * 24 * 3600))
    return Window(
        campaign=campaign or draw(st.sampled_from(["a", "b", "c", "d"])),
        market=draw(st.sampled_from(MARKETS)),
        starts_at=start,
        ends_at=start + timedelta(seconds=length),
        teaser=timedelta(seconds=teaser),
    )


def accepted(candidates: list[Window]) -> list[Window]:
    """What an admin refusing overlaps would have kept, in the order authored."""
    kept: list[Window] = []
    for window in candidates:
        if not overlaps([*kept, window]):
            kept.append(window)
    return kept


@settings(max_examples=300)
@given(st.lists(windows(), max_size=12), instants)
def test_at_most_one_campaign_is_live_per_market(candidates, now):
    # Given any campaigns the admin accepted
    kept = accepted(candidates)
    for market in MARKETS:
        # Then at any instant at most one is live in a market
        live = [w for w in kept if w.market == market and status_at(w, now) is Status.LIVE]
        assert len(live) <= 1
        # And the market shows it
        shown = showing(kept, market=market, now=now)
        if live:
            assert shown is not None and shown.window == live[0]
            assert shown.status is Status.LIVE


@settings(max_examples=300)
@given(st.lists(windows(), max_size=12), instants)
def test_a_market_shows_one_campaign_even_from_overlapping_data(candidates, now):
    for market in MARKETS:
        shown = showing(candidates, market=market, now=now)
        statuses = [status_at(w, now) for w in candidates if w.market == market]
        if Status.LIVE in statuses:
            assert shown is not None and shown.status is Status.LIVE
        elif any(statuses):
            assert shown is not None and shown.window.market == market
        else:
            assert shown is None
        # The same data shown in any order gives the same answer.
        assert showing(list(reversed(candidates)), market=market, now=now) == shown


@settings(max_examples=300)
@given(windows(), instants, st.lists(instants, max_size=5))
def test_the_countdown_is_never_negative_and_counts_to_a_future_moment(window, now, drops):
    moment = next_moment(window, now, drops=drops)
    if moment is None:
        assert now >= window.ends_at
        return
    assert moment.at > now
    assert seconds_until(moment.at, now) >= 1
    if moment.kind is MomentKind.START:
        assert moment.at == window.starts_at
    elif moment.kind is MomentKind.DROP:
        assert window.starts_at <= now < moment.at < window.ends_at
        assert moment.at == min(d for d in drops if now < d < window.ends_at)
    else:
        assert not [d for d in drops if now < d < window.ends_at]


@given(instants, instants)
def test_seconds_until_is_zero_once_the_moment_has_come(at, now):
    seconds = seconds_until(at, now)
    assert seconds >= 0
    assert (seconds == 0) == (now >= at)


@settings(max_examples=300)
@given(windows(), instants)
def test_status_follows_start_end_and_the_archive(window, now):
    status = status_at(window, now)
    if now < window.starts_at - window.teaser:
        assert status is None
    elif now < window.starts_at:
        assert status is Status.TEASER
    elif now < window.ends_at:
        assert status is Status.LIVE
    elif now < window.ends_at + ARCHIVE:
        assert status is Status.ENDED
    else:
        assert status is None


# Wall-clock times around New York's DST changes of 2027 (14 March, 7 November).
local_times = st.datetimes(
    min_value=datetime(2027, 3, 12), max_value=datetime(2027, 3, 16)
) | st.datetimes(min_value=datetime(2027, 11, 5), max_value=datetime(2027, 11, 9))


@settings(max_examples=400)
@given(local_times, local_times, local_times, st.sampled_from(sorted(ZONES.values())))
def test_status_is_consistent_with_the_markets_clock_across_dst(start, end, now, zone):
    # Given a campaign authored in the market's wall-clock time
    start, end = sorted([start, end])
    try:
        starts_at, ends_at = local_to_utc(start, zone), local_to_utc(end, zone)
        now_at = local_to_utc(now, zone)
    except NonexistentLocalTime:
        return  # the admin refuses a time the clocks skip; tested below
    if ends_at <= starts_at:
        return
    window = Window("a", "US", starts_at, ends_at, teaser=timedelta(0))
    # Then the market's clocks show the times as authored
    assert utc_to_local(starts_at, zone).replace(tzinfo=None) == start.replace(fold=0)
    # And the campaign is live exactly while the market's clocks are between them
    live = status_at(window, now_at) is Status.LIVE
    assert live == (starts_at <= now_at < ends_at)
    if live:
        assert utc_to_local(now_at, zone) >= utc_to_local(starts_at, zone)


def test_a_day_authored_across_spring_forward_lasts_23_hours():
    starts_at = local_to_utc(datetime(2027, 3, 14, 0, 0), "America/New_York")
    ends_at = local_to_utc(datetime(2027, 3, 15, 0, 0), "America/New_York")
    assert ends_at - starts_at == timedelta(hours=23)
    assert starts_at == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)
    assert ends_at == datetime(2027, 3, 15, 4, 0, tzinfo=UTC)


def test_a_day_authored_across_fall_back_lasts_25_hours():
    starts_at = local_to_utc(datetime(2027, 11, 7, 0, 0), "America/New_York")
    ends_at = local_to_utc(datetime(2027, 11, 8, 0, 0), "America/New_York")
    assert ends_at - starts_at == timedelta(hours=25)


def test_a_time_the_clocks_skip_is_refused_and_a_repeated_one_is_the_first():
    with pytest.raises(NonexistentLocalTime, match="2027-03-14 02:30"):
        local_to_utc(datetime(2027, 3, 14, 2, 30), "America/New_York")
    # 01:30 happens twice on 7 November; the first is still daylight time (UTC-4).
    assert local_to_utc(datetime(2027, 11, 7, 1, 30), "America/New_York") == datetime(
        2027, 11, 7, 5, 30, tzinfo=UTC
    )


def test_shanghai_has_no_dst_and_nine_oclock_is_one_utc():
    assert local_to_utc(datetime(2027, 4, 27, 9, 59), "Asia/Shanghai") == datetime(
        2027, 4, 27, 1, 59, tzinfo=UTC
    )


def test_overlaps_name_both_campaigns_in_one_market_only():
    a = Window("spring", "CN", T0, T0 + timedelta(days=1))
    b = Window("summer", "CN", T0 + timedelta(hours=23), T0 + timedelta(days=2))
    c = Window("summer", "US", T0, T0 + timedelta(days=1))
    adjacent = Window("autumn", "CN", T0 + timedelta(days=2), T0 + timedelta(days=3))
    assert overlaps([a, b, c, adjacent]) == [(a, b)]


def test_a_live_campaign_beats_a_teaser_and_a_teaser_beats_an_archive():
    ended = Window("old", "CN", T0 - timedelta(days=2), T0 - timedelta(days=1))
    teaser = Window("next", "CN", T0 + timedelta(days=1), T0 + timedelta(days=2))
    live = Window("now", "CN", T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert showing([ended, teaser], market="CN", now=T0).window.campaign == "next"
    assert showing([ended, teaser, live], market="CN", now=T0).window.campaign == "now"
    assert showing([ended], market="CN", now=T0).status is Status.ENDED
    assert showing([ended], market="CN", now=T0 + ARCHIVE) is None
    assert showing([ended, teaser, live], market="US", now=T0) is None


def test_a_window_must_end_after_it_starts_and_be_aware():
    with pytest.raises(ValueError, match="end after"):
        Window("a", "CN", T0, T0)
    with pytest.raises(ValueError, match="aware"):
        Window("a", "CN", datetime(2027, 1, 1), datetime(2027, 1, 2))


# --- The waiting room ---------------------------------------------------------

from trunkshow.engines.campaign.admission import Pace  # noqa: E402


@st.composite
def paces(draw: st.DrawFn) -> Pace:
    return Pace(
        opens_at=draw(instants),
        batch=draw(st.integers(min_value=1, max_value=500)),
        every=timedelta(milliseconds=draw(st.integers(min_value=1, max_value=120_000))),
        valid_for=timedelta(seconds=draw(st.integers(min_value=1, max_value=3600))),
    )


@settings(max_examples=300)
@given(paces(), st.integers(min_value=0, max_value=5000), st.integers(0, 5000), instants)
def test_tickets_are_admitted_in_the_order_shoppers_arrived(pace, first, second, now):
    # Given two shoppers, the one who arrived first never waits longer
    early, late = sorted([first, second])
    assert pace.admitted_at(early) <= pace.admitted_at(late)
    if pace.is_admitted(late, now):
        assert pace.is_admitted(early, now)
    assert pace.position(early, now) <= pace.position(late, now)
    # And nobody is admitted before the opening, by anyone's clock but the server's
    if now < pace.opens_at:
        assert not pace.is_admitted(early, now)


@settings(max_examples=300)
@given(paces(), st.integers(min_value=0, max_value=5000), instants)
def test_position_and_wait_are_never_negative_and_agree(pace, rank, now):
    position = pace.position(rank, now)
    wait = pace.estimated_wait_s(rank, now)
    assert position >= 0 and wait >= 0
    assert (position == 0) == pace.is_admitted(rank, now)
    if pace.is_admitted(rank, now):
        assert wait == 0
    assert wait == -(-pace.estimated_wait_ms(rank, now) // 1000)
    # At the instant it said, the ticket is admitted, and not a microsecond before
    assert pace.is_admitted(rank, pace.admitted_at(rank))
    assert not pace.is_admitted(rank, pace.admitted_at(rank) - timedelta(microseconds=1))


@settings(max_examples=300)
@given(paces(), st.integers(min_value=0, max_value=5000), instants)
def test_no_two_shoppers_are_admitted_at_once_and_the_pace_is_kept(pace, rank, now):
    # Given a waiting room whose pace leaves room between two turns (batch per interval
    # at most one per millisecond, the clock's resolution being the microsecond)
    assume(pace.every >= timedelta(milliseconds=1) * pace.batch)
    # Then the next shopper in arrival order comes strictly later: nobody shares a turn
    # with the one before (shoppers admitted together race, and the fastest poller wins)
    assert pace.admitted_at(rank) < pace.admitted_at(rank + 1)
    # And over any interval no more are admitted than the pace allows
    later = now + pace.every
    assert pace.admitted_count(later) - pace.admitted_count(now) <= pace.batch


# --- Units set aside at admission ---------------------------------------------

import itertools  # noqa: E402

from trunkshow.engines.campaign.admission import admit_due  # noqa: E402

shelves = st.dictionaries(
    st.sampled_from(["RED", "BLUE", "GREEN"]), st.integers(min_value=-2, max_value=40), max_size=3
)


@settings(max_examples=500)
@given(
    st.sets(st.integers(min_value=0, max_value=200), max_size=60),
    st.integers(min_value=0, max_value=250),
    shelves,
    st.integers(min_value=1, max_value=5),
)
def test_units_go_to_tickets_in_the_order_they_arrived(waiting, due, available, claim):
    # Given tickets waiting on a shelf, the pace having reached the first `due` ranks
    admitted = admit_due(waiting=list(waiting), due=due, available=available, claim=claim)
    ranks = [a.rank for a in admitted]
    eligible = sorted(r for r in waiting if r < due)
    # Then those admitted are the earliest arrivals among the due ones, in rank order:
    # nobody is admitted while someone who arrived before them waits
    assert ranks == eligible[: len(ranks)]
    # And no ticket is admitted before its turn
    assert all(r < due for r in ranks)
    # And no more is set aside than the shelf has, nor more than a shopper's claim
    for sku in available:
        assert sum(a.holds.get(sku, 0) for a in admitted) <= max(0, available[sku])
    assert all(0 < q <= claim for a in admitted for q in a.holds.values())
    # And the one admitted earlier has at least what a later one has (the shelf empties
    # from the front of the queue)
    for early, late in itertools.pairwise(admitted):
        for sku, units in late.holds.items():
            assert early.holds.get(sku, 0) >= units
    # And a due ticket left waiting is waiting because the shelf is empty
    if available and len(ranks) < len(eligible):
        left = {
            sku: max(0, units) - sum(a.holds.get(sku, 0) for a in admitted)
            for sku, units in available.items()
        }
        assert all(units == 0 for units in left.values())


@given(st.sets(st.integers(min_value=0, max_value=50), max_size=20), st.integers(0, 60))
def test_a_shelf_of_no_sku_admits_at_the_pace_with_nothing_set_aside(waiting, due):
    admitted = admit_due(waiting=list(waiting), due=due, available={}, claim=1)
    assert [a.rank for a in admitted] == sorted(r for r in waiting if r < due)
    assert all(a.holds == {} for a in admitted)


def test_a_claim_below_one_unit_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        admit_due(waiting=[0], due=1, available={"RED": 1}, claim=0)
