"""A drop's per-shopper limit holds across one shopper's carts, tabs and API clients."""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.commerce.conftest import checkout_body
from tests.factories import campaign
from trunkshow.campaigns.services import drop_add
from trunkshow.commerce.models import Order
from trunkshow.inventory.models import Reservation


def open_drop(limit: int = 1, quantity: int = 5):
    """A drop of TOTE-1 in China, open a second ago, no waiting room."""
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=1))})
    return drop_add(
        campaign=c, titles={"en": "Red"}, opens_at=now - timedelta(seconds=1), skus=["TOTE-1"],
        quantity=quantity, per_shopper_limit=limit, waiting_room=False,
    )  # fmt: skip


def post(client: Client, path: str, body: dict | None = None, **headers: str):
    return client.post(path, json.dumps(body or {}), content_type="application/json", **headers)


def new_cart(client: Client, **headers: str) -> str:
    return post(client, "/api/v1/carts", {"market": "CN"}, **headers).json()["id"]


def add(client: Client, cart: str, quantity: int = 1, **headers: str):
    return post(
        client, f"/api/v1/carts/{cart}/lines", {"sku": "TOTE-1", "quantity": quantity}, **headers
    )


@pytest.mark.django_db
def test_a_second_tab_of_the_same_browser_cannot_hold_past_the_limit(store):
    # Given a drop of one bag per shopper, held in the bag of one browser tab
    open_drop(limit=1)
    browser = Client()
    first = new_cart(browser)
    assert add(browser, first).status_code == 201
    # When the same browser (same visitor cookie) starts a second cart and adds the bag
    second = new_cart(browser)
    response = add(browser, second)
    # Then it is refused naming the quantity, and the second cart holds nothing
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "per_shopper_limit"
    assert body["field"] == "quantity"
    assert body["have"] == 1
    assert body["lines"] == [
        {"sku": "TOTE-1", "requested": 1, "available": 0, "limit": 1, "reason": "limit"}
    ]
    assert not Reservation.objects.filter(holder=second).exists()
    # Once the first tab empties its bag, the second may hold it
    assert browser.delete(f"/api/v1/carts/{first}/lines/TOTE-1").status_code == 204
    assert add(browser, second).status_code == 201


@pytest.mark.django_db
def test_an_api_client_sending_its_visitor_id_is_one_shopper_across_its_carts(store):
    # Given a limit of two bags, and an app that sends its visitor id and keeps no cookies
    open_drop(limit=2)
    visitor = {"HTTP_X_VISITOR_ID": uuid.uuid4().hex}
    first = new_cart(Client(), **visitor)
    assert add(Client(), first, quantity=2, **visitor).status_code == 201
    # When it starts another cart, it cannot hold even one more
    second = new_cart(Client(), **visitor)
    refused = add(Client(), second, quantity=1, **visitor)
    assert refused.status_code == 409 and refused.json()["field"] == "quantity"
    # while another shopper (from an address of their own, as hold caps expect) still can
    other = Client(REMOTE_ADDR="10.0.0.2")
    answer = add(other, new_cart(other), quantity=1)
    assert answer.status_code == 201, answer.json()


@pytest.mark.django_db
def test_what_the_shopper_bought_in_one_cart_counts_in_the_next(store):
    # Given a shopper who bought the one bag allowed
    open_drop(limit=1)
    browser = Client()
    first = new_cart(browser)
    assert add(browser, first).status_code == 201
    paid = post(
        browser, f"/api/v1/carts/{first}/checkout", checkout_body(), HTTP_IDEMPOTENCY_KEY="k"
    )
    assert paid.status_code == 201
    # When they start a new cart in the same browser and add it again
    response = add(browser, new_cart(browser))
    # Then the bag they bought counts: refused, naming the quantity
    assert response.status_code == 409
    assert response.json()["code"] == "per_shopper_limit"
    assert response.json()["field"] == "quantity"


@pytest.mark.django_db
def test_the_same_email_from_another_device_is_refused_at_checkout_naming_the_email(store):
    # Given a shopper who bought the one bag allowed on their laptop
    open_drop(limit=1)
    laptop, phone = Client(), Client()
    cart = new_cart(laptop)
    assert add(laptop, cart).status_code == 201
    body = checkout_body(email="lin@example.com")
    assert post(laptop, f"/api/v1/carts/{cart}/checkout", body).status_code == 201
    # When their phone (another visitor) holds the bag and checks out with the same email
    other = new_cart(phone)
    assert add(phone, other).status_code == 201
    body = checkout_body(email="LIN@example.com")
    response = post(phone, f"/api/v1/carts/{other}/checkout", body)
    # Then checkout refuses, naming the email, and no second order is written
    assert response.status_code == 409
    assert response.json()["code"] == "per_shopper_limit"
    assert response.json()["field"] == "email"
    assert response.json()["lines"][0]["reason"] == "limit"
    assert Order.objects.filter(email__iexact="lin@example.com").count() == 1


TABS = 8


def add_in_tab(cart: str, visitor: str, start: threading.Barrier) -> int:
    client = Client(HTTP_X_VISITOR_ID=visitor)
    try:
        start.wait(timeout=60)
        return add(client, cart).status_code
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_tabs_of_one_shopper_adding_at_the_same_instant_hold_one_bag_in_all(store):
    # Given a drop of one bag per shopper with plenty of stock, and 8 tabs of one shopper
    open_drop(limit=1, quantity=20)
    visitor = uuid.uuid4().hex
    carts = [new_cart(Client(), HTTP_X_VISITOR_ID=visitor) for _ in range(TABS)]
    # When every tab adds the bag at the same instant, on real threads and connections
    start = threading.Barrier(TABS)
    with ThreadPoolExecutor(max_workers=TABS) as pool:
        codes = list(pool.map(lambda cart: add_in_tab(cart, visitor, start), carts))
    # Then exactly one tab holds it and the others are told the limit
    assert sorted(codes) == [201] + [409] * (TABS - 1)
    assert sum(r.quantity for r in Reservation.objects.filter(sku="TOTE-1")) == 1
