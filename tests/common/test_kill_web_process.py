"""A web process killed with SIGKILL loses nothing it has answered: a 200 is stored.

Results and orders go through the real application server (Granian, as
`manage.py serve` starts it) on the test's database, SQLite or PostgreSQL;
the server is killed while other requests are still in flight.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.commerce.conftest import checkout_body, store  # noqa: F401 - shared fixture
from tests.common.test_serve import database_url, free_port, get, processes_marked, wait_for
from tests.quiz.conftest import TRAVELLER, demo_quiz  # noqa: F401 - shared fixture
from trunkshow.commerce.models import Order
from trunkshow.inventory.models import StockItem
from trunkshow.quiz.models import QuizResult

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
SHOPPERS = 12


def call(base: str, method: str, path: str, body: object, headers: dict[str, str] | None = None):
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base + path, data=json.dumps(body).encode(), method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None
    except OSError:  # in flight when the server was killed: no answer, no promise
        return 0, None


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_results_and_orders_answered_before_a_sigkill_are_all_stored(
    tmp_path,
    demo_quiz,  # noqa: F811
    store,  # noqa: F811
):
    StockItem.objects.filter(sku="TOTE-1").update(on_hand=100)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    mark = f"TRUNKSHOW_TEST_MARK={uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(tmp_path),
        # Every shopper comes from 127.0.0.1 here: the limits are not under test.
        "RATELIMIT_ENABLE": "0",
        "HOLD_MAX_CARTS_PER_ADDRESS": "1000",
        "HOLD_MAX_UNITS_PER_ADDRESS": "1000",
        mark.split("=")[0]: mark.split("=")[1],
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "1",
         "--no-worker"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: get(f"{base}/healthz"), timeout=60)
        # Given carts with a bag each, ready to pay
        carts = []
        for _ in range(SHOPPERS):
            cart = call(base, "POST", "/api/v1/carts", {"market": "CN"})[1]
            assert call(base, "POST", f"/api/v1/carts/{cart['id']}/lines",
                        {"sku": "TOTE-1", "quantity": 1})[0] == 201  # fmt: skip
            carts.append(cart["id"])

        # When shoppers send results and checkouts at once, and the web
        # processes are killed with SIGKILL once a few of each are answered
        answered: dict[str, list[str]] = {"results": [], "orders": []}
        some = threading.Condition()

        def result(number: int) -> None:
            body = {"answers": TRAVELLER, "name": f"Lin {number}", "locale": "en", "market": "CN"}
            status, data = call(base, "POST", "/api/v1/quizzes/ask-the-designer/result", body)
            with some:
                if status == 200:
                    answered["results"].append(data["result_id"])
                some.notify()

        def order(cart_id: str) -> None:
            status, data = call(base, "POST", f"/api/v1/carts/{cart_id}/checkout",
                                checkout_body(), {"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            with some:
                if status == 201:
                    answered["orders"].append(data["order_id"])
                some.notify()

        threads = [threading.Thread(target=result, args=(n,)) for n in range(SHOPPERS)]
        threads += [threading.Thread(target=order, args=(c,)) for c in carts]
        for thread in threads:
            thread.start()
        with some:
            some.wait_for(lambda: min(map(len, answered.values())) >= 3, timeout=60)
            results, orders = list(answered["results"]), list(answered["orders"])
        for pid in processes_marked(mark):
            if pid != server.pid:
                os.kill(pid, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=60)

        # Then every result and order answered before the kill is stored,
        # each order paid
        assert results and orders
        assert QuizResult.objects.filter(public_id__in=results).count() == len(results)
        stored = Order.objects.filter(public_id__in=orders)
        assert stored.count() == len(orders)
        assert set(stored.values_list("status", flat=True)) == {"paid"}
    finally:
        server.kill()
        for pid in processes_marked(mark):
            os.kill(pid, signal.SIGKILL)
