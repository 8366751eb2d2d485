"""Many buyers, few units, real threads and real connections: exactly the units are sold."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.commerce.conftest import checkout_body
from trunkshow.commerce.models import Order
from trunkshow.inventory.models import StockItem

BUYERS = 12
UNITS = 4


def buy(
    results: list[int], errors: list[BaseException], start: threading.Barrier, n: int = 0
) -> None:
    # Distinct shoppers come from distinct addresses with distinct e-mails: holds are
    # capped per address and per e-mail.
    client = Client(REMOTE_ADDR=f"127.0.0.{n + 2}")
    try:
        cart = client.post("/api/v1/carts", json.dumps({"market": "CN"}),
                           content_type="application/json").json()["id"]  # fmt: skip
        start.wait(timeout=30)
        added = client.post(f"/api/v1/carts/{cart}/lines",
                            json.dumps({"sku": "TOTE-1", "quantity": 1}),
                            content_type="application/json")  # fmt: skip
        if added.status_code != 201:
            results.append(added.status_code)
            return
        paid = client.post(f"/api/v1/carts/{cart}/checkout", json.dumps(checkout_body(email=f"buyer{n}@example.com")),
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY=cart)  # fmt: skip
        results.append(paid.status_code)
    except BaseException as exc:
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_many_buyers_at_once_buy_exactly_the_units_there_are(store):
    StockItem.objects.filter(sku="TOTE-1", market_id="CN").update(on_hand=UNITS)
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(BUYERS)
    threads = [
        threading.Thread(target=buy, args=(results, errors, start, n)) for n in range(BUYERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert results.count(201) == UNITS
    assert all(code in (201, 409) for code in results), results
    item = StockItem.objects.get(sku="TOTE-1", market_id="CN")
    assert item.allocated == UNITS <= item.on_hand
    assert Order.objects.filter(status="paid").count() == UNITS
