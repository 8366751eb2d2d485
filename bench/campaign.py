"""Campaign day at a drop, on PostgreSQL, against a real `manage.py serve`.

1,000 shoppers arrive within 10 s at a drop of 100 units that opens 2 s after the
first arrives. Each shopper, from an address of their own (X-Forwarded-For through
a trusted proxy, as behind the production load balancer: no rate limit is relaxed),
takes a waiting-room ticket on arrival, starts a cart, puts a plain bag in it (one in
ten: the baseline, an add-to-cart of a SKU in no drop, under the same load), asks for
its place when the server says its turn comes, as the page does, adds the drop bag
once admitted and pays.
Shoppers still waiting when the drop is sold out are told so and leave.

Prints: units sold (goal exactly 100), server errors (goal 0), fairness as Kendall's
tau between arrival order and purchase order among buyers (goal >= 0.9), p50/p99 of
the ticket and of the drop's add-to-cart beside the plain add-to-cart's, with ratios.
If bench/campaign_stream.py exists (the livestream's bench), its figures follow.

Run alone: .venv/bin/python bench/campaign.py [--shoppers 1000] [--units 100]
Needs PostgreSQL (BENCH_DROPS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_drops, created if missing and emptied).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import ensure_database, wait_until_up

DROP_SKU, PLAIN_SKU = "BENCH-DROP-1", "BENCH-PLAIN-1"
SETUP = """
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from trunkshow.campaigns.models import Campaign
from trunkshow.campaigns.services import campaign_schedule, drop_add
from trunkshow.catalog.models import Price, Product, ProductTranslation, Variant
from trunkshow.commerce.models import Cart, IdempotencyRecord, Order, Payment, SandboxCharge, ShippingMethod
from trunkshow.common.services import market_upsert
from trunkshow.inventory.models import Reservation, StockItem
Payment.objects.all().delete(); IdempotencyRecord.objects.all().delete(); SandboxCharge.objects.all().delete()
Order.objects.all().delete(); Cart.objects.all().delete(); Reservation.objects.all().delete()
Campaign.objects.all().delete()
cn = market_upsert(code="CN", names={"en": "China"}, currency="CNY", default_locale="zh-Hans",
                   time_zone="Asia/Shanghai", position=0)
product, _ = Product.objects.get_or_create(slug="bench-bag", defaults={"kind": "handbag"})
ProductTranslation.objects.get_or_create(product=product, locale="en", defaults={"title": "Bag"})
for sku in ("%(drop)s", "%(plain)s"):
    variant, _ = Variant.objects.get_or_create(sku=sku, defaults={"product": product, "color_hex": "#000000"})
    Price.objects.get_or_create(variant=variant, market=cn, defaults={"amount": Decimal("1000"), "currency": "CNY"})
    StockItem.objects.update_or_create(sku=sku, market=cn, defaults={"on_hand": 100000, "allocated": 0, "per_shopper_limit": None})
ShippingMethod.objects.get_or_create(market=cn, code="standard", defaults={"amount": Decimal("0"), "is_default": True})
now = timezone.now()
campaign = Campaign.objects.create(slug="bench-day")
campaign_schedule(campaign=campaign, windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=2))})
drop = drop_add(campaign=campaign, titles={"en": "Bench drop"}, opens_at=now + timedelta(seconds=%(opens_in)s),
                skus=["%(drop)s"], quantity=%(units)s, per_shopper_limit=1, waiting_room=True,
                batch_size=%(batch)s, batch_seconds=1)
print(drop.pk)
"""
ADDRESS = {"line1": "南京西路 1266 号", "district": "静安区", "city": "上海市", "region": "上海市",
           "postal_code": "200040", "country": "CN", "phone": "13800138000"}  # fmt: skip


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    codes: dict[str, dict[int, int]] = field(default_factory=dict)
    ms: dict[str, list[float]] = field(default_factory=dict)
    # (arrived, the instant the unit became theirs, the instant the add-to-cart answered)
    bought: list[tuple[float, tuple[float, int], float]] = field(default_factory=list)
    server_order: bool = False  # whether the server set the unit aside at admission
    sold_out: threading.Event = field(default_factory=threading.Event)

    def add(self, step: str, code: int, ms: float) -> None:
        with self.lock:
            self.codes.setdefault(step, {}).setdefault(code, 0)
            self.codes[step][code] += 1
            self.ms.setdefault(step, []).append(ms)

    def errors(self) -> int:
        """Answers of 500 and more from the server (599 is the client's: no answer in time)."""
        return sum(n for codes in self.codes.values() for c, n in codes.items() if 500 <= c < 599)

    def timeouts(self) -> int:
        return sum(codes.get(599, 0) for codes in self.codes.values())


def call(conn: http.client.HTTPConnection, tally: Tally, step: str, method: str, path: str,
         headers: dict[str, str], body: object = None) -> tuple[int, dict]:  # fmt: skip
    payload = json.dumps(body).encode() if body is not None else None
    started = time.perf_counter()
    try:
        conn.request(method, path, body=payload,
                     headers={"Content-Type": "application/json", **headers})  # fmt: skip
        response = conn.getresponse()
        data = response.read()
        code = response.status
    except (OSError, http.client.HTTPException):
        conn.close()
        code, data = 599, b""
    tally.add(step, code, (time.perf_counter() - started) * 1000)
    try:
        return code, json.loads(data) if data else {}
    except ValueError:
        return code, {}


def wait_of(answer: dict, default: float) -> float:
    """Seconds until the turn the server announced: its milliseconds where it gives them
    (the page's own poll uses them), else its whole seconds (the commit before)."""
    if "estimated_wait_ms" in answer:
        return float(answer["estimated_wait_ms"]) / 1000
    return float(answer.get("estimated_wait_s", default))


def shopper(n: int, port: int, drop_id: int, arrive_at: float, units: int, tally: Tally) -> None:
    time.sleep(max(0.0, arrive_at - time.monotonic()))
    arrived = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"X-Forwarded-For": f"10.{n // 62500}.{n // 250 % 250}.{n % 250 + 1}",
               "X-Visitor-Id": uuid.uuid4().hex}  # fmt: skip
    # The ticket first: it is what records the arrival. Starting a cart (and, for one in
    # ten, the baseline's plain add-to-cart) before it would put those shoppers behind
    # later arrivals by a request or two, an unfairness of the client's own making.
    code, ticket = call(conn, tally, "ticket", "POST", f"/api/v1/drops/{drop_id}/tickets", headers)
    if code != 201:
        return
    code, cart = call(conn, tally, "cart", "POST", "/api/v1/carts", headers, {"market": "CN"})
    if code != 201:
        return
    lines = f"/api/v1/carts/{cart['id']}/lines"
    if n % 10 == 0:  # the baseline, from one shopper in ten (100 samples, the same load)
        call(conn, tally, "plain add-to-cart", "POST", lines, headers,
             {"sku": PLAIN_SKU, "quantity": 1})  # fmt: skip
    wait = wait_of(ticket, 1.0)
    while not tally.sold_out.is_set():
        # A client that trusts the server's count, as the page does: ask again when it
        # says the turn comes (never more often than every 0.2 s, never less than every 3 s).
        time.sleep(min(3.0, max(0.2, wait)))
        code, place = call(conn, tally, "ticket poll", "GET",
                           f"/api/v1/drops/{drop_id}/tickets/{ticket['ticket']}", headers)  # fmt: skip
        if code != 200:
            continue
        if not place.get("admitted"):
            wait = wait_of(place, wait)
            continue
        code, _ = call(conn, tally, "drop add-to-cart", "POST", lines, headers,
                       {"sku": DROP_SKU, "quantity": 1, "ticket": ticket["ticket"]})  # fmt: skip
        if code != 201:
            return  # sold out (409), or told why
        answered = time.monotonic()
        # The purchase order is the order in which units became shoppers'. A server that
        # sets the unit aside at admission says so (`set_aside`) with the instant and the
        # rank it was admitted at (one admission may set several aside, in rank order):
        # the add-to-cart only moves that unit into the cart. Before, the unit was
        # theirs when the add-to-cart took it: its answer is the closest instant the
        # client sees.
        if place.get("set_aside", {}).get(DROP_SKU):
            secured = (datetime.fromisoformat(place["admitted_at"]).timestamp(), place["rank"])
            tally.server_order = True
        else:
            secured = (answered, 0)
        code, _ = call(conn, tally, "checkout", "POST", f"/api/v1/carts/{cart['id']}/checkout",
                       {**headers, "Idempotency-Key": cart["id"]},
                       {"email": f"s{n}@example.com", "name": "Shopper", "address": ADDRESS,
                        "payment_token": "sandbox-ok"})  # fmt: skip
        if code == 201:
            with tally.lock:
                tally.bought.append((arrived, secured, answered))
                if len(tally.bought) >= units:
                    tally.sold_out.set()  # what the page says at once to everyone waiting
        return
    conn.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(tally: Tally, units: int, sold: int) -> None:
    from scipy.stats import kendalltau

    by_arrival = sorted(tally.bought)

    def tau_by(key: int) -> float:
        order = sorted(range(len(by_arrival)), key=lambda i: by_arrival[i][key])
        rank = {i: r for r, i in enumerate(order)}
        return float(
            kendalltau(range(len(by_arrival)), [rank[i] for i in range(len(by_arrival))]).statistic
        )

    tau = tau_by(1)
    source = ("the server's admission, unit set aside" if tally.server_order
              else "the add-to-cart's answer")  # fmt: skip
    print(f"units {units}: sold {sold} (goal exactly {units}), server errors {tally.errors()} "
          f"(goal 0), client timeouts {tally.timeouts()}, fairness Kendall tau {tau:.3f} (goal >= 0.9) among {len(tally.bought)} buyers"
          f" (unit theirs at: {source})")  # fmt: skip
    print(
        f"for reference, tau of the order the add-to-cart answers reached the shoppers: {tau_by(2):.3f}"
    )
    base = tally.ms.get("plain add-to-cart", [])
    for step in ("plain add-to-cart", "ticket", "ticket poll", "drop add-to-cart", "checkout"):
        ms = tally.ms.get(step, [])
        ratio = (f"  x{pct(ms, 0.5) / pct(base, 0.5):.2f} p50, x{pct(ms, 0.99) / pct(base, 0.99):.2f}"
                 " p99 of the plain add-to-cart") if base and step != "plain add-to-cart" else "  (baseline)"  # fmt: skip
        print(f"{step:18s} n {len(ms):5d}  p50 {pct(ms, 0.5):7.1f} ms  p99 {pct(ms, 0.99):7.1f} ms"
              f"{ratio}  codes {dict(sorted(tally.codes.get(step, {}).items()))}")  # fmt: skip
    met = sold == units and not tally.errors() and tau >= 0.9
    print(f"goal exactly {units} sold, 0 server errors, tau >= 0.9: {'met' if met else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shoppers", type=int, default=1000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--arrive-within", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=5, help="tickets admitted each second")
    args = parser.parse_args()
    url = os.environ.get(
        "BENCH_DROPS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_drops"
    )
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "trunkshow.settings",
           "TRUNKSHOW_VAR_DIR": tempfile.mkdtemp(prefix="trunkshow-bench-"),
           # The bench client is the shoppers' proxy, as a load balancer is in production.
           "TRUSTED_PROXIES": "127.0.0.1"}  # fmt: skip
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = 18000 + random.randrange(1000)
    log = tempfile.NamedTemporaryFile(prefix="bench-campaign-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen([*manage, "serve", "--port", str(port), "--no-worker"],
                              cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        setup = SETUP % {"drop": DROP_SKU, "plain": PLAIN_SKU, "units": args.units,
                         "opens_in": 2 + 3, "batch": args.batch}  # fmt: skip
        out = subprocess.run([*manage, "shell", "--no-imports", "-c", setup], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True)  # fmt: skip
        drop_id = int(out.stdout.strip().splitlines()[-1])
        tally = Tally()
        start = time.monotonic() + 3.0  # the drop opens 2 s after the first arrival
        arrivals = sorted(
            start + random.random() * args.arrive_within for _ in range(args.shoppers)
        )
        threads = [threading.Thread(target=shopper, args=(n, port, drop_id, at, args.units, tally))
                   for n, at in enumerate(arrivals)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        check = subprocess.run(
            [*manage, "shell", "--no-imports", "-c",
             "from trunkshow.commerce.models import OrderLine;"
             f"print(sum(l.quantity for l in OrderLine.objects.filter(sku='{DROP_SKU}', order__status='paid')))"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        print(
            f"{args.shoppers} shoppers arriving within {args.arrive_within:.0f} s, "
            f"admitted {args.batch}/s, against manage.py serve on PostgreSQL"
        )
        report(tally, args.units, int(check.stdout.strip().splitlines()[-1]))
        print(f"server log: {log.name}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    try:
        import campaign_stream  # the livestream's bench, when it is there
    except ImportError:
        print("bench/campaign_stream.py not present: no livestream figures")
    else:
        campaign_stream.run()


if __name__ == "__main__":
    main()
