"""Analytics' performance figures, each against a baseline measured in the same run.

1. Emitting (issue 26, goal <= 1.05x): POST /api/v1/quizzes/{slug}/result,
   the quiz result path, with analytics on (the quiz-completed event stored
   in the result's own transaction) against the same path with analytics off
   (ANALYTICS_ENABLED=False), in-process through Django's test client on a
   fresh demo shop, requests alternating on/off so drift hits both alike;
   median wall time and CPU time per request, and their ratios.
2. Reports (goal <= 1 s for a two-week funnel over 10 million events): see
   --events (1 million by default; 10 million is the issue's figure, about ten
   minutes of roll-up here); the events are generated in the database itself.

Run alone: .venv/bin/python bench/analytics.py [--requests 400] [--reuse VAR_DIR]
PostgreSQL: BENCH_DEMO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_analytics
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment

SLUG = "ask-the-designer"


def setup_django(reuse: str) -> None:
    if reuse:  # a shop an earlier run made (its path was printed), to spare the demo build
        env = {
            **os.environ,
            "TRUNKSHOW_VAR_DIR": reuse,
            "DJANGO_SETTINGS_MODULE": "trunkshow.settings",
        }
    else:
        env = demo_environment(ROOT)
        print(f"demo shop in {env['TRUNKSHOW_VAR_DIR']} (--reuse it next time)")
    env["RATELIMIT_ENABLE"] = "0"  # thousands of results from one process
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a reused shop may predate this code


def bench_emitting(requests: int) -> None:
    from django.test import Client, override_settings

    from trunkshow.analytics.models import Event, Kind
    from trunkshow.common.consent import consent_record
    from trunkshow.quiz.selectors import current_version

    _version, definition = current_version(slug=SLUG)
    rng = random.Random(26)
    client = Client(HTTP_HOST="localhost")

    def one(visitor: str) -> None:
        answers = {q.key: rng.choice(q.answers).key for q in definition.questions}
        body = {"answers": answers, "name": f"Lin {rng.randrange(10**6)}", "market": "CN",
                "locale": "zh-Hans"}  # fmt: skip
        response = client.post(
            f"/api/v1/quizzes/{SLUG}/result", json.dumps(body), content_type="application/json",
            HTTP_X_VISITOR_ID=visitor, REMOTE_ADDR=f"10.0.{rng.randrange(250)}.{rng.randrange(250)}",
        )  # fmt: skip
        assert response.status_code == 200, response.content[:300]

    def timed(enabled: bool) -> tuple[float, float]:
        # Each request a new visitor who accepted analytics (undecided is not tracked),
        # the choice stored before the clock starts.
        visitor = uuid.uuid4().hex
        consent_record(visitor_id=visitor, analytics=True, personalisation=True, source="api")
        with override_settings(ANALYTICS_ENABLED=enabled):
            wall, cpu = time.perf_counter(), time.process_time()
            one(visitor)
            return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000

    for index in range(40):  # warm both paths (caches, connections)
        timed(index % 2 == 0)
    stored_before = Event.objects.filter(kind=Kind.QUIZ_COMPLETED).count()
    on: list[tuple[float, float]] = []
    off: list[tuple[float, float]] = []
    # Request by request, on and off in turn (which goes first alternates), so
    # the machine's drift reaches both alike; medians shrug off the stalls.
    for index in range(requests):
        order = (True, False) if index % 2 == 0 else (False, True)
        for enabled in order:
            (on if enabled else off).append(timed(enabled))
    stored = Event.objects.filter(kind=Kind.QUIZ_COMPLETED).count() - stored_before
    assert stored == requests, (stored, requests)

    def med(rows: list[tuple[float, float]], i: int) -> float:
        return statistics.median(r[i] for r in rows)

    print(f"quiz result, analytics off   wall {med(off, 0):6.2f} ms  cpu {med(off, 1):6.2f} ms")
    print(f"quiz result, analytics on    wall {med(on, 0):6.2f} ms  cpu {med(on, 1):6.2f} ms")
    print(
        f"ratio on/off                 wall {med(on, 0) / med(off, 0):.3f}x"
        f"  cpu {med(on, 1) / med(off, 1):.3f}x  (goal <= 1.05x; medians of {requests}"
        " requests each, alternating)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--skip-emitting", action="store_true")
    parser.add_argument(
        "--events", type=int, default=1_000_000, help="10000000 for the issue's figure; 0: none"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", default="", help="TRUNKSHOW_VAR_DIR of an earlier run")
    parser.add_argument(
        "--max-rollup-seconds", type=float, default=0,
        help="stop rolling up after this long (0: roll up everything)",
    )  # fmt: skip
    parser.add_argument("--from", dest="day_from", default="2026-10-01", help="the cut's first day")
    parser.add_argument("--to", dest="day_to", default="2026-10-14", help="the cut's last day")
    parser.add_argument(
        "--resume", action="store_true", help="with --reuse: keep the events an earlier run made"
    )
    parser.add_argument(
        "--drop-database",
        action="store_true",
        help="PostgreSQL: drop the shop's database at the end (10 million events take GBs)",
    )
    args = parser.parse_args()
    setup_django(args.reuse)
    from django.db import connection

    print(f"database: {connection.vendor}")
    try:
        if not args.skip_emitting:
            bench_emitting(args.requests)
        if args.events:
            bench_reports(
                args.events, args.repeat, args.resume, args.max_rollup_seconds,
                date.fromisoformat(args.day_from), date.fromisoformat(args.day_to),
            )  # fmt: skip
    finally:
        if args.drop_database:
            drop_database()


def drop_database() -> None:
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return  # a SQLite shop lives in its temporary folder
    name = connection.settings_dict["NAME"]
    connections.close_all()
    import psycopg

    given = connection.settings_dict
    params = {"user": given["USER"], "host": given["HOST"], "port": given["PORT"],
              "password": given["PASSWORD"]}  # fmt: skip
    with psycopg.connect(
        dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"database {name} dropped")


# --- 2. Reports over many events -------------------------------------------------------

KINDS = [
    ("quiz_viewed", "", "NULL", "NULL"), ("question_shown", "first", "1", "NULL"),
    ("question_answered", "first", "1", "NULL"), ("question_shown", "second", "2", "NULL"),
    ("question_answered", "second", "2", "NULL"), ("quiz_completed", "", "NULL", "NULL"),
    ("video_progress", "", "NULL", "50"), ("result_product_clicked", "", "NULL", "NULL"),
    ("added_to_cart", "", "NULL", "NULL"), ("order_paid", "", "NULL", "NULL"),
]  # fmt: skip


def generate_events(total: int) -> int:
    """Fill the events table in the database itself: visitor v does the first (v mod 10) + 1
    steps of ten, 60 days from 2026-09-01, half in each market; return the rows made."""
    from django.db import connection

    visitors = total * 10 // 55 + 1
    span = 60 * 24 * 3600 // visitors or 1
    case = lambda column: "CASE g % 10 " + " ".join(  # noqa: E731
        f"WHEN {i} THEN {value}" for i, value in enumerate(column)) + " END"  # fmt: skip
    kind = case([f"'{k[0]}'" for k in KINDS])
    question = case([f"'{k[1]}'" for k in KINDS])
    position = case([k[2] for k in KINDS])
    progress = case([k[3] for k in KINDS])
    vendor = connection.vendor
    seconds = f"((g / 10) * {span} + g % 10)"
    if vendor == "postgresql":
        series = f"generate_series(0, {visitors * 10 - 1}) AS s(g)"
        when = f"timestamptz '2026-09-01 00:00:00+00' + make_interval(secs => {seconds})"
        source = f"FROM {series}"
        prefix = ""
    else:
        last = visitors * 10 - 1  # an int: the statement holds no outside text
        prefix = (
            f"WITH RECURSIVE s(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM s WHERE g < {last}) "  # noqa: S608
        )
        when = f"strftime('%Y-%m-%d %H:%M:%f', '2026-09-01', '+' || {seconds} || ' seconds')"
        source = "FROM s"
    market = "CASE (g / 10) % 2 WHEN 0 THEN 'CN' ELSE 'US' END"
    sql = (
        prefix
        + "INSERT INTO analytics_event (kind, occurred_at, visitor_id, market, locale, quiz, "
        "quiz_version, variant, question, position, answer, profile, progress, ref, amount, "
        "currency, amount_reporting) "
        f"SELECT {kind}, {when}, 'v' || (g / 10), {market}, "
        f"CASE (g / 10) % 2 WHEN 0 THEN 'zh-Hans' ELSE 'en' END, 'bench', 1, '', {question}, "
        f"{position}, CASE WHEN g % 10 IN (2, 4) THEN 'a' ELSE '' END, "
        f"CASE WHEN g % 10 >= 5 THEN 'p' || ((g / 10) % 3) ELSE '' END, {progress}, "
        f"CASE WHEN g % 10 >= 8 THEN 'cart' || (g / 10) ELSE '' END, "
        f"CASE WHEN g % 10 = 9 THEN 100 ELSE NULL END, "
        f"CASE WHEN g % 10 = 9 THEN (CASE (g / 10) % 2 WHEN 0 THEN 'CNY' ELSE 'USD' END) ELSE '' END, "
        f"CASE WHEN g % 10 = 9 THEN 14.08 ELSE NULL END "
        f"{source} WHERE g % 10 <= (g / 10) % 10"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def naive_funnel(day_from, day_to, market: str) -> list[int]:  # type: ignore[no-untyped-def]
    """The baseline: the same funnel read straight from the events (no pre-aggregation):
    visitors whose first view is in the range, and which kinds each of them reached."""
    from django.db.models import Count, Min

    from trunkshow.analytics.models import Event

    viewers = (
        Event.objects.filter(quiz="bench", market=market, kind="quiz_viewed")
        .values("visitor_id")
        .annotate(first=Min("occurred_at"))
        .filter(first__date__gte=day_from, first__date__lte=day_to)
        .values("visitor_id")
    )
    reached = Event.objects.filter(quiz="bench", visitor_id__in=viewers).values("kind")
    return [row["n"] for row in reached.annotate(n=Count("visitor_id", distinct=True))]


def bench_reports(
    total: int, repeat: int, resume: bool = False, max_rollup: float = 0,
    day_from: date = date(2026, 10, 1), day_to: date = date(2026, 10, 14),
) -> None:  # fmt: skip

    from django.db import connection

    from trunkshow.analytics.models import DailyCount, Event, RollupMark
    from trunkshow.analytics.rollup import analytics_rollup
    from trunkshow.analytics.selectors import Cut, counts
    from trunkshow.engines.analytics.reports import by_question, funnel

    if resume:  # the events and roll-up an interrupted run (--reuse) left: roll up the rest
        made = Event.objects.filter(quiz="bench").count()
        print(f"{connection.vendor}: {made:,} events kept from an earlier run")
    else:
        Event.objects.filter(quiz="bench").delete()
        DailyCount.objects.filter(quiz="bench").delete()
        started = time.perf_counter()
        made = generate_events(total)
        if made < 0:  # SQLite does not count an INSERT ... SELECT's rows
            made = Event.objects.filter(quiz="bench").count()
        print(
            f"{connection.vendor}: {made:,} events generated in "
            f"{time.perf_counter() - started:.1f} s"
        )
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load, at once: without statistics PostgreSQL
        # plans the roll-up's "next 50,000 by id" as a scan of every event (ten times
        # slower at 10 million).
        cursor.execute("ANALYZE analytics_event")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('analytics_event'))")
            print(f"events table with its indexes: {cursor.fetchone()[0]}")
    zones = {"CN": "Asia/Shanghai", "US": "America/New_York"}
    started, folded = time.perf_counter(), 0
    while True:
        done = analytics_rollup(time_zones=zones, batch=50_000)
        folded += done
        spent = time.perf_counter() - started
        if not done or (max_rollup and spent > max_rollup):
            break
    print(
        f"roll-up: {folded:,} events in {spent:.1f} s ({folded / spent:,.0f} events/s, a job each minute)"
    )
    behind = Event.objects.filter(id__gt=RollupMark.objects.get(pk=1).last_event).count()
    if behind:  # stopped by --max-rollup-seconds: reports fold the unread tail, as the site does
        print(f"roll-up stopped with {behind:,} events unread (reports fold at most 200,000)")
    cut = Cut(quiz="bench", day_from=day_from, day_to=day_to, market="CN")
    print(f"cut: CN cohorts {day_from} to {day_to}")

    def ours() -> None:
        summed = counts(cut, time_zones=zones)
        funnel(summed), by_question(summed)

    def timed(run) -> float:  # type: ignore[no-untyped-def]
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            run()
            samples.append(time.perf_counter() - began)
        return statistics.median(samples)

    report = timed(ours)
    baseline = timed(lambda: naive_funnel(cut.day_from, cut.day_to, "CN"))
    print(
        f"two-week CN funnel + drop-off, pre-aggregated   {report * 1000:8.1f} ms  (goal <= 1000 ms)"
    )
    print(f"same funnel from the raw events (baseline)       {baseline * 1000:8.1f} ms")
    print(f"ratio pre-aggregated / raw                       {report / baseline:8.4f}x")
    if behind:
        # The same report without the tail: what it costs once the roll-up has caught up
        # (its tail is then the last minute's events).
        from unittest import mock

        with mock.patch("trunkshow.analytics.selectors.tail_changes", lambda *_a: {}):
            caught_up = timed(ours)
        print(f"the same, rolled-up days alone (no tail)         {caught_up * 1000:8.1f} ms")
        print(f"ratio rolled-up days alone / raw                 {caught_up / baseline:8.4f}x")


if __name__ == "__main__":
    main()
