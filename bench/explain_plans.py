"""Check the PostgreSQL plan of every query the campaign-day journey runs.

Walks the journey (bench/load/journey.py: campaign page, quiz, result,
video, add to bag, sandbox checkout, studio design) in both markets through
Django's test client, in process, on a PostgreSQL demo database, then what
the workers run all day (the database queue's next job, the periodic
sweeps of renders, orders, holds and idempotency keys); captures every
query and EXPLAINs each distinct one with
`enable_seqscan = off`, so a sequential scan left in a plan means no index
can serve it (on a demo-sized table the planner would rightly scan anyway).
Prints each query's scans and fails when a table that grows with shoppers
(orders, carts, results, videos, designs, jobs, sessions...) is scanned.

Run alone: .venv/bin/python bench/explain_plans.py [--database postgres://.../db]
With --database the demo data already there is used as is; without, a
fresh demo shop is made in BENCH_DEMO_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/trunkshow_bench, emptied first).
Skipped (exit 0) when no PostgreSQL answers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Tables that grow with every shopper, order or job; a scan of one of them
# gets slower every minute of a campaign. The rest are the brand's own data
# (markets, products, prices, quizzes, templates, clips), a few hundred rows.
GROWING = {
    "quiz_quizresult", "video_videomessage", "commerce_cart", "commerce_cartline",
    "commerce_order", "commerce_orderline", "commerce_orderevent", "commerce_payment",
    "commerce_sandboxcharge", "commerce_idempotencyrecord", "commerce_webhookevent",
    "inventory_reservation", "studio_design", "atelier_workorder", "atelier_kitorder",
    "campaigns_dropticket", "campaigns_remindersignup", "django_session",
    "django_tasks_database_dbtaskresult", "axes_accessattempt", "axes_accesslog",
    "common_workerheartbeat",
}  # fmt: skip
LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def scans(plan: dict) -> list[tuple[str, str]]:
    found = []
    if plan.get("Relation Name"):
        found.append((plan["Node Type"], plan["Relation Name"]))
    for child in plan.get("Plans", []):
        found.extend(scans(child))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="a PostgreSQL demo database to use as is")
    parser.add_argument("--journeys", type=int, default=4)
    args = parser.parse_args()

    import psycopg

    url = args.database or os.environ.get(
        "BENCH_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trunkshow_bench"
    )
    try:
        psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        print(f"skipped: no PostgreSQL at {url} ({exc})")
        return 0
    if args.database:
        env = {**os.environ, "DATABASE_URL": url}
    else:
        from _load import demo_environment

        os.environ["BENCH_DEMO_DATABASE_URL"] = url
        env = demo_environment(ROOT)
    for name in ("DATABASE_URL", "TRUNKSHOW_VAR_DIR"):
        if name in env:
            os.environ[name] = env[name]
    os.environ.update(DJANGO_SETTINGS_MODULE="trunkshow.settings", RATELIMIT_ENABLE="0")
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from load.journey import run_journey

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(5)

    def send(method, path, body, name, headers):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if method == "GET":
            response = client.get(path, **extra)
        else:
            response = client.generic(method, path, json.dumps(body), "application/json", **extra)
        is_json = response.get("Content-Type", "").startswith("application/json")
        return response.status_code, response.json() if is_json else None

    with CaptureQueriesContext(connection) as captured:
        for number in range(args.journeys):
            failed = run_journey(send, rng, shopper=number % 2)
            if failed:
                print(f"journey {number} failed: {failed}")
                return 1

        # What the workers run all day beside it: the database queue's next
        # job, and the periodic sweeps (rolled back: nothing changes).
        from django_tasks_db.models import DBTaskResult

        from trunkshow.commerce import idempotency, orders
        from trunkshow.inventory.reservations import reservations_purge_expired
        from trunkshow.video import services as video

        with transaction.atomic():
            DBTaskResult.objects.ready().filter(
                backend_name="default", queue_name__in=["orders", "default"]
            ).get_locked()
            video.messages_sweep()
            video.messages_expire()
            orders.orders_reconcile()
            reservations_purge_expired()
            idempotency.idempotency_records_purge()
            transaction.set_rollback(True)

    distinct: dict[str, str] = {}
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.lstrip().split(" ", 1)[0].upper() in {"SELECT", "UPDATE", "DELETE"}:
            distinct.setdefault(LITERALS.sub("?", sql), sql)

    bad = []
    with connection.cursor() as cursor:
        for shape, sql in distinct.items():
            with transaction.atomic():
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                transaction.set_rollback(True)
            found = scans(plan[0]["Plan"])
            seq = sorted({table for node, table in found if node == "Seq Scan"})
            grows = [t for t in seq if t in GROWING]
            mark = "SEQ-SCAN-ON-GROWING" if grows else "ok"
            print(
                f"{mark:20} {', '.join(sorted({f'{n}:{t}' for n, t in found})) or '-':60} {shape[:110]}"
            )
            if grows:
                bad.append((grows, sql))
    print(f"\n{len(distinct)} distinct queries in {args.journeys} journeys "
          f"({len(captured.captured_queries)} run); sequential scans on growing tables: {len(bad)}")  # fmt: skip
    for tables, sql in bad:
        print(f"  {tables}: {sql[:300]}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
