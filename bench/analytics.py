"""Analytics' performance figures, each against a baseline measured in the same run.

1. Emitting (issue 26, goal <= 1.05x): POST /api/v1/quizzes/{slug}/result,
   the quiz result path, with analytics on (the quiz-completed event stored
   in the result's own transaction) against the same path with analytics off
   (ANALYTICS_ENABLED=False), in-process through Django's test client on a
   fresh demo shop, requests alternating on/off so drift hits both alike;
   median wall time and CPU time per request, and their ratios.
2. Reports (goal <= 1 s for a two-week funnel over 10 million events): see
   --events; the events are generated in the database itself.

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


def bench_emitting(requests: int) -> None:
    from django.test import Client, override_settings

    from trunkshow.analytics.models import Event, Kind
    from trunkshow.quiz.selectors import current_version

    _version, definition = current_version(slug=SLUG)
    rng = random.Random(26)
    client = Client(HTTP_HOST="localhost")

    def one() -> None:
        answers = {q.key: rng.choice(q.answers).key for q in definition.questions}
        body = {"answers": answers, "name": f"Lin {rng.randrange(10**6)}", "market": "CN",
                "locale": "zh-Hans"}  # fmt: skip
        response = client.post(
            f"/api/v1/quizzes/{SLUG}/result", json.dumps(body), content_type="application/json",
            HTTP_X_VISITOR_ID=uuid.uuid4().hex, REMOTE_ADDR=f"10.0.{rng.randrange(250)}.{rng.randrange(250)}",
        )  # fmt: skip
        assert response.status_code == 200, response.content[:300]

    def timed(enabled: bool) -> tuple[float, float]:
        with override_settings(ANALYTICS_ENABLED=enabled):
            wall, cpu = time.perf_counter(), time.process_time()
            one()
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
    parser.add_argument("--reuse", default="", help="TRUNKSHOW_VAR_DIR of an earlier run")
    args = parser.parse_args()
    setup_django(args.reuse)
    from django.db import connection

    print(f"database: {connection.vendor}")
    if not args.skip_emitting:
        bench_emitting(args.requests)


if __name__ == "__main__":
    main()
