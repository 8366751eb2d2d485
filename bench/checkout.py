"""Campaign day at the checkout, on PostgreSQL: never oversold, however many buyers.

2,000 checkout attempts from 200 concurrent clients on 100 units of one
bag: each attempt makes a cart, adds the bag, and pays with the sandbox
token. Prints units sold (must be exactly 100), server errors (must be 0),
paid orders per second, and how fast a buyer hears "sold out" once it is.
The baseline is the same load on a naive read-check-write endpoint in the
same run, on the same server: it prints how much that one oversold.

Run alone: .venv/bin/python bench/checkout.py [--attempts 2000] [--clients 200]
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/trunkshow_bench,
created if missing).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import ensure_database, wait_until_up

UNITS = 100
SKU = "BENCH-TOTE-1"
SETUP = f"""
from decimal import Decimal
from trunkshow.catalog.models import Price, Product, ProductTranslation, Variant
from trunkshow.commerce.models import Cart, IdempotencyRecord, Order, Payment, SandboxCharge, ShippingMethod
from trunkshow.common.services import market_upsert
from trunkshow.inventory.models import Reservation, StockItem
Payment.objects.all().delete(); Order.objects.all().delete(); Cart.objects.all().delete(); Reservation.objects.all().delete()
IdempotencyRecord.objects.all().delete(); SandboxCharge.objects.all().delete()
cn = market_upsert(code="CN", names={{"en": "China"}}, currency="CNY", default_locale="zh-Hans",
                   time_zone="Asia/Shanghai", position=0)
product, _ = Product.objects.get_or_create(slug="bench-tote", defaults={{"kind": "handbag"}})
ProductTranslation.objects.get_or_create(product=product, locale="en", defaults={{"title": "Tote"}})
variant, _ = Variant.objects.get_or_create(sku="{SKU}", defaults={{"product": product, "color_hex": "#000000"}})
Price.objects.get_or_create(variant=variant, market=cn, defaults={{"amount": Decimal("1000"), "currency": "CNY"}})
ShippingMethod.objects.get_or_create(market=cn, code="standard", defaults={{"amount": Decimal("0"), "is_default": True}})
StockItem.objects.update_or_create(sku="{SKU}", market=cn, defaults={{"on_hand": {UNITS}, "allocated": 0}})
"""
ADDRESS = {"line1": "南京西路 1266 号", "district": "静安区", "city": "上海市", "region": "上海市",
           "postal_code": "200040", "country": "CN", "phone": "13800138000"}  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.codes: dict[int, int] = {}
        self.sold_out_ms: list[float] = []
        self.sold_at: list[float] = []

    def add(self, code: int, elapsed_ms: float, when: float) -> None:
        with self.lock:
            self.codes[code] = self.codes.get(code, 0) + 1
            if code == 201:
                self.sold_at.append(when)
            elif code == 409:
                self.sold_out_ms.append(elapsed_ms)


def request(conn: http.client.HTTPConnection, method: str, path: str, body: object = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:  # fmt: skip
    payload = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=payload,
                 headers={"Content-Type": "application/json", **(headers or {})})  # fmt: skip
    response = conn.getresponse()
    data = response.read()
    try:
        parsed = json.loads(data) if data else {}
    except ValueError:
        parsed = {}
    return response.status, parsed


def shopper(port: int, attempts: list[int], tally: Tally, naive: bool) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while True:
        with tally.lock:
            if not attempts:
                break
            attempts.pop()
        started = time.perf_counter()
        try:
            if naive:
                code, _ = request(conn, "POST", f"/naive/buy/{SKU}")
            else:
                code, cart = request(conn, "POST", "/api/v1/carts", {"market": "CN"})
                if code == 201:
                    cart_id = cart["id"]
                    code, _ = request(conn, "POST", f"/api/v1/carts/{cart_id}/lines",
                                      {"sku": SKU, "quantity": 1})  # fmt: skip
                    if code == 201:
                        code, _ = request(
                            conn, "POST", f"/api/v1/carts/{cart_id}/checkout",
                            {"email": f"b{cart_id}@example.com", "name": "Buyer",
                             "address": ADDRESS, "payment_token": "sandbox-ok"},
                            {"Idempotency-Key": str(cart_id)},
                        )  # fmt: skip
        except (OSError, http.client.HTTPException):
            code = 599
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        tally.add(code, (time.perf_counter() - started) * 1000, time.perf_counter())
    conn.close()


def run(port: int, attempts: int, clients: int, naive: bool) -> tuple[Tally, float]:
    queue = list(range(attempts))
    tally = Tally()
    threads = [
        threading.Thread(target=shopper, args=(port, queue, tally, naive)) for _ in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trunkshow_bench")
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "trunkshow.settings",
           "TRUNKSHOW_VAR_DIR": tempfile.mkdtemp(prefix="trunkshow-bench-"),
           "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}"}  # fmt: skip
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "wsgi", "--port", str(port),
         "--workers", "2", "--blocking-threads", "8", "--no-ws", "--log-level", "warning",
         "_naive_wsgi:application"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        results = {}
        for name, naive in (("checkout", False), ("naive read-check-write", True)):
            subprocess.run(
                [*manage, "shell", "--no-imports", "-c", SETUP], cwd=ROOT, env=env, check=True
            )
            tally, seconds = run(port, args.attempts, args.clients, naive)
            results[name] = (tally, seconds)
            sold = tally.codes.get(201, 0)
            errors = sum(n for code, n in tally.codes.items() if code >= 500)
            span = (max(tally.sold_at) - min(tally.sold_at)) if len(tally.sold_at) > 1 else seconds
            sold_out = statistics.median(tally.sold_out_ms) if tally.sold_out_ms else float("nan")
            print(f"{name:24s} {args.attempts} attempts, {args.clients} clients, {UNITS} units: "
                  f"sold {sold} (oversold {max(0, sold - UNITS)}), server errors {errors}, "
                  f"{sold / span if span else 0:.0f} sales/s, sold-out answer p50 {sold_out:.0f} ms, "
                  f"all in {seconds:.1f} s, codes {dict(sorted(tally.codes.items()))}")  # fmt: skip
        check = subprocess.run(
            [*manage, "shell", "--no-imports", "-c",
             "from trunkshow.commerce.models import Order; from trunkshow.inventory.models import StockItem;"
             f"i = StockItem.objects.get(sku='{SKU}'); print(i.on_hand, i.allocated)"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        real = results["checkout"][0].codes.get(201, 0)
        naive_sold = results["naive read-check-write"][0].codes.get(201, 0)
        print(f"stock after the naive run (on hand, allocated): {check.stdout.strip()}")
        print(f"goal exactly {UNITS} sold and 0 server errors: "
              f"{'met' if real == UNITS and not any(c >= 500 for c in results['checkout'][0].codes) else 'MISSED'}")  # fmt: skip
        print(
            f"ratio naive sold / units {naive_sold / UNITS:.2f}x  (checkout: {real / UNITS:.2f}x)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
