"""A double-tapped "Pay": one cart, many checkouts at once, one order and one charge."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.commerce.conftest import checkout_body
from trunkshow.commerce.models import Order, SandboxCharge
from trunkshow.commerce.payments import SandboxProvider
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.django_db(transaction=True)


def new_cart_with_a_tote() -> str:
    client = Client()
    cart = client.post("/api/v1/carts", json.dumps({"market": "CN"}),
                       content_type="application/json").json()["id"]  # fmt: skip
    added = client.post(f"/api/v1/carts/{cart}/lines", json.dumps({"sku": "TOTE-1", "quantity": 1}),
                        content_type="application/json")  # fmt: skip
    assert added.status_code == 201
    return cart


def pay(cart: str, key: str | None) -> tuple[int, dict]:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = Client().post(f"/api/v1/carts/{cart}/checkout", json.dumps(checkout_body()),
                             content_type="application/json", **headers)  # fmt: skip
    return response.status_code, response.json()


def at_once(calls: list) -> list[tuple[int, dict]]:
    answers: list[tuple[int, dict]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(call) -> None:
        try:
            start.wait(timeout=30)
            answers.append(call())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return answers


@pytest.fixture
def slow_provider(monkeypatch):
    """The provider takes a moment to authorize, as a real one does: every request that
    can get as far as charging does so while the others arrive."""
    original = SandboxProvider.authorize

    def authorize(self, **kwargs):
        threading.Event().wait(0.3)
        return original(self, **kwargs)

    monkeypatch.setattr(SandboxProvider, "authorize", authorize)


@pytest.mark.parametrize("keys", [[None] * 4, ["tap-1", "tap-2", "tap-3", "tap-4"]],
                         ids=["no-key", "different-keys"])  # fmt: skip
def test_one_cart_checked_out_four_times_at_once_is_one_order_and_one_charge(
    store, slow_provider, keys
):
    # Given a cart with one bag, and a shopper tapping "Pay" four times
    cart = new_cart_with_a_tote()

    # When the four checkouts arrive at the same moment
    answers = at_once([lambda key=key: pay(cart, key) for key in keys])

    # Then one is paid and the others are told which order the cart became
    paid = [body for status, body in answers if status == 201]
    assert len(paid) == 1, answers
    refused = [(status, body) for status, body in answers if status != 201]
    assert all(status == 409 for status, _body in refused), refused
    assert all(body["code"] == "cart_already_ordered" for _status, body in refused)
    assert all(body["order_id"] == paid[0]["order_id"] for _status, body in refused)
    # And one order, one charge, one unit allocated
    assert Order.objects.count() == 1 and Order.objects.get().status == "paid"
    assert SandboxCharge.objects.count() == 1
    assert StockItem.objects.get(sku="TOTE-1", market_id="CN").allocated == 1


def test_a_checkout_meeting_an_order_still_being_charged_leaves_it_alone(store, monkeypatch):
    # Given a first checkout whose charge is on its way (the provider has not answered)
    cart = new_cart_with_a_tote()
    charging, answer = threading.Event(), threading.Event()
    original = SandboxProvider.authorize

    def authorize(self, **kwargs):
        charging.set()
        answer.wait(30)
        return original(self, **kwargs)

    monkeypatch.setattr(SandboxProvider, "authorize", authorize)
    first: list[tuple[int, dict]] = []

    def first_checkout() -> None:
        try:
            first.append(pay(cart, "first"))
        finally:
            connection.close()

    thread = threading.Thread(target=first_checkout)
    thread.start()
    assert charging.wait(30)

    # When a second checkout of the same cart arrives meanwhile
    status, body = pay(cart, "second")

    # Then it is refused, naming the order, which is left pending for its checkout
    assert status == 409 and body["code"] == "cart_already_ordered"
    order = Order.objects.get()
    assert body["order_id"] == order.public_id and order.status == "pending_payment"
    # And the first checkout goes on to take the money and mark the order paid
    answer.set()
    thread.join(30)
    assert first[0][0] == 201 and first[0][1]["order_id"] == order.public_id
    order.refresh_from_db()
    assert order.status == "paid" and SandboxCharge.objects.get().status == "captured"
