"""Checkout through the API: idempotent, paid once, never more than the stock."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.commerce.conftest import checkout_body
from trunkshow.commerce.models import IdempotencyRecord, Order, SandboxCharge, WebhookEvent
from trunkshow.commerce.orders import orders_reconcile
from trunkshow.commerce.payments import SandboxProvider, sign_webhook
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.django_db


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def cart_with(client, lines, market="CN") -> str:
    cart_id = post(client, "/api/v1/carts", {"market": market}).json()["id"]
    for sku, quantity in lines:
        assert (
            post(
                client, f"/api/v1/carts/{cart_id}/lines", {"sku": sku, "quantity": quantity}
            ).status_code
            == 201
        )
    return cart_id


def checkout(client, cart_id, body, key="key-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return post(client, f"/api/v1/carts/{cart_id}/checkout", body, **headers)


def allocated(sku: str, market: str = "CN") -> int:
    return StockItem.objects.get(sku=sku, market_id=market).allocated


def test_a_paid_checkout_returns_the_order_and_allocates_the_units(client, store):
    cart_id = cart_with(client, [("TOTE-1", 2), ("CLUTCH-1", 1)])

    response = checkout(client, cart_id, checkout_body(shipping_method="express"))

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "paid"
    assert body["total"] == {"amount": "2530.50", "currency": "CNY"}  # 2 x 1000 + 500.50 + 30
    assert len(body["access_token"]) >= 20
    assert allocated("TOTE-1") == 2 and allocated("CLUTCH-1") == 1
    order = Order.objects.get(public_id=body["order_id"])
    assert [e.to_status for e in order.events.all()] == ["pending_payment", "paid"]
    assert SandboxCharge.objects.get().status == "captured"


def test_the_shipping_method_defaults_to_the_markets_standard_one(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    body = checkout(client, cart_id, checkout_body()).json()
    assert body["total"]["amount"] == "1000.00"


def test_the_same_key_and_body_replays_the_same_response_and_charges_once(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    first = checkout(client, cart_id, checkout_body())
    again = checkout(client, cart_id, checkout_body())
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert Order.objects.count() == 1 and SandboxCharge.objects.count() == 1


def test_the_same_key_with_another_body_is_422(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    checkout(client, cart_id, checkout_body())
    other = checkout(client, cart_id, checkout_body(name="Mei"))
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_a_second_request_while_the_first_runs_is_409(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    # The first request has claimed the key and not finished yet.
    in_flight(cart_id, "key-1", lease_left=timedelta(seconds=30))
    response = checkout(client, cart_id, checkout_body())
    assert response.status_code == 409 and response.json()["code"] == "request_in_progress"
    assert not Order.objects.exists()


def in_flight(cart_id: str, key: str, *, lease_left: timedelta) -> IdempotencyRecord:
    from trunkshow.commerce.api import CheckoutIn
    from trunkshow.commerce.idempotency import request_fingerprint

    fingerprint = request_fingerprint(CheckoutIn(**checkout_body()).dict())
    return IdempotencyRecord.objects.create(
        scope=f"checkout:{cart_id}", key=key, request_hash=fingerprint,
        lease_until=timezone.now() + lease_left,
    )  # fmt: skip


def test_a_key_whose_first_request_died_can_be_retried_once_its_lease_ran_out(client, store):
    # Given a first request that claimed the key and died mid-way a while ago
    cart_id = cart_with(client, [("TOTE-1", 1)])
    in_flight(cart_id, "key-1", lease_left=timedelta(seconds=-1))

    # When the shopper's app retries with the same key
    response = checkout(client, cart_id, checkout_body())

    # Then the checkout runs, once, and its answer is kept for the next retry
    assert response.status_code == 201, response.json()
    replay = checkout(client, cart_id, checkout_body())
    assert replay.status_code == 201 and replay.json() == response.json()
    assert Order.objects.count() == 1 and SandboxCharge.objects.count() == 1


def test_a_kept_answer_is_forgotten_after_a_day(client, store):
    # Given a key answered more than 24 hours ago (for a cart that was then emptied)
    cart_id = cart_with(client, [("TOTE-1", 1)])
    record = in_flight(cart_id, "key-1", lease_left=timedelta(0))
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        done=True, response_status=402, response_body={"code": "payment_declined"},
        completed_at=timezone.now() - timedelta(hours=25), lease_until=None,
    )  # fmt: skip

    # When the same key comes again
    response = checkout(client, cart_id, checkout_body())

    # Then it is a new request, not yesterday's answer
    assert response.status_code == 201


def test_a_declined_payment_leaves_no_order_standing_and_gives_the_units_back(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    response = checkout(client, cart_id, checkout_body("sandbox-decline"))
    assert response.status_code == 402
    assert response.json()["code"] == "payment_declined"
    assert Order.objects.get().status == "cancelled"
    assert allocated("TOTE-1") == 0
    # The shopper can try again with another card (a new key): the cart reopened.
    retry = checkout(client, cart_id, checkout_body(), key="key-2")
    assert retry.status_code == 201 and allocated("TOTE-1") == 1


def test_when_stock_ran_out_every_short_line_is_listed(client, store):
    cart_id = cart_with(client, [("TOTE-1", 3), ("CLUTCH-1", 1)])
    # The holds ran out and someone else took units meanwhile.
    from django.utils import timezone

    from trunkshow.inventory.models import Reservation

    Reservation.objects.update(reserved_until=timezone.now())
    StockItem.objects.filter(sku="TOTE-1", market_id="CN").update(allocated=2)
    StockItem.objects.filter(sku="CLUTCH-1", market_id="CN").update(allocated=1)

    response = checkout(client, cart_id, checkout_body())

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert {line["sku"]: line["available"] for line in body["lines"]} == {
        "TOTE-1": 1,
        "CLUTCH-1": 0,
    }
    assert not Order.objects.exists()


def test_a_bad_address_names_each_field(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    body = checkout_body()
    body["address"] = {**body["address"], "postal_code": "12", "phone": "555", "country": "US"}
    response = checkout(client, cart_id, body)
    assert response.status_code == 422
    fields = {tuple(d["loc"]) for d in response.json()["detail"]}
    assert {("body", "address", "postal_code"), ("body", "address", "phone"),
            ("body", "address", "country")} <= fields  # fmt: skip
    # Missing keys are named by the schema, which checks types only ...
    missing = checkout(client, cart_id, {"email": "nope", "name": ""}, key="key-2")
    assert missing.status_code == 422
    assert {tuple(d["loc"])[:2] for d in missing.json()["detail"]} >= {
        ("body", "address"), ("body", "payment_token")}  # fmt: skip
    # ... and every bad value at once by the rule the checkout page shares.
    blank = {"email": "nope", "name": " ", "payment_token": "",
             "address": dict.fromkeys(("line1", "city", "postal_code", "country", "phone"), "")}  # fmt: skip
    refused = checkout(client, cart_id, blank, key="key-3")
    assert refused.status_code == 422
    assert {tuple(d["loc"]) for d in refused.json()["detail"]} >= {
        ("body", "email"), ("body", "name"), ("body", "payment_token"),
        ("body", "address", "district"), ("body", "address", "region"),
        ("body", "address", "line1")}  # fmt: skip


def test_an_order_is_shown_with_its_token_to_its_session_and_to_nobody_else(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    placed = checkout(client, cart_id, checkout_body()).json()
    url = f"/api/v1/orders/{placed['order_id']}"

    stranger = Client()
    shown = stranger.get(url, {"token": placed["access_token"]})
    assert shown.status_code == 200
    order = shown.json()
    assert order["status"] == "paid" and order["lines"][0]["sku"] == "TOTE-1"
    assert order["lines"][0]["mode"] == "standard"
    assert [h["to"] for h in order["history"]] == ["pending_payment", "paid"]
    assert order["total"]["amount"] == "1000.00"
    assert stranger.get(url).status_code == 404
    assert stranger.get(url, {"token": "x" * 32}).status_code == 404
    assert stranger.get("/api/v1/orders/not-an-order-at-all").status_code == 404


def test_a_campaign_limit_counts_what_this_email_already_bought(client, store):
    StockItem.objects.filter(sku="TOTE-1", market_id="CN").update(per_shopper_limit=1, on_hand=3)
    first = cart_with(client, [("TOTE-1", 1)])
    assert checkout(client, first, checkout_body()).status_code == 201
    # The same shopper on another device (another visitor), checking out with the same email
    phone = Client()
    second = cart_with(phone, [("TOTE-1", 1)])
    response = checkout(phone, second, checkout_body())
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "per_shopper_limit"
    assert body["field"] == "email"
    assert body["lines"][0]["reason"] == "limit"


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_email_is_sent_by_the_worker(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    placed = checkout(client, cart_id, checkout_body()).json()
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--interval", "0", "--no-startup-delay"
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lin@example.com"]
    assert placed["order_id"] in message.body and "¥1,000.00" in message.body


def test_money_taken_before_a_crash_is_settled_by_reconciliation(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    # The order was written, the provider charged, then the process died.
    from datetime import timedelta

    from trunkshow.commerce.checkout import checkout_place
    from trunkshow.commerce.models import Cart
    from trunkshow.commerce.payments import PaymentError
    from trunkshow.common.errors import Unavailable

    def crash(self, **kwargs):
        raise PaymentError("connection reset")

    provider = SandboxProvider()
    original = SandboxProvider.capture
    SandboxProvider.capture = crash  # type: ignore[method-assign]
    try:
        with pytest.raises(Unavailable):
            checkout_place(cart=Cart.objects.get(public_id=cart_id), payload=checkout_body())
    finally:
        SandboxProvider.capture = original  # type: ignore[method-assign]
    order = Order.objects.get()
    assert order.status == "pending_payment"
    assert provider.lookup(order_ref=order.public_id).status == "authorized"

    assert orders_reconcile(older_than=timedelta(0)) == {"settled": 1, "failed": 0}

    order.refresh_from_db()
    assert order.status == "paid"
    assert SandboxCharge.objects.get().status == "captured"


def test_an_order_with_no_money_is_cancelled_by_reconciliation(client, store):
    from datetime import timedelta

    cart_id = cart_with(client, [("TOTE-1", 1)])
    from trunkshow.commerce.payments import PaymentError

    def down(self, **kwargs):
        raise PaymentError("timeout")

    original = SandboxProvider.authorize
    SandboxProvider.authorize = down  # type: ignore[method-assign]
    try:
        assert checkout(client, cart_id, checkout_body()).status_code == 503
    finally:
        SandboxProvider.authorize = original  # type: ignore[method-assign]
    orders_reconcile(older_than=timedelta(0))
    assert Order.objects.get().status == "cancelled"
    assert allocated("TOTE-1") == 0


def test_a_signed_webhook_is_applied_once_and_a_forged_one_refused(client, store):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    placed = checkout(client, cart_id, checkout_body()).json()
    event = {"id": "evt_1", "type": "charge.captured", "data": {"order_ref": placed["order_id"]}}
    body = json.dumps(event).encode()
    url = "/api/v1/payments/sandbox/webhook"
    signed = {"HTTP_SANDBOX_SIGNATURE": sign_webhook(body)}

    first = client.post(url, body, content_type="application/json", **signed)
    again = client.post(url, body, content_type="application/json", **signed)

    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert WebhookEvent.objects.count() == 1
    forged = client.post(url, body, content_type="application/json",
                         HTTP_SANDBOX_SIGNATURE=sign_webhook(body, secret="not-ours"))  # fmt: skip
    assert forged.status_code == 401  # not signed by the provider: unauthenticated
    assert client.post(url, body, content_type="application/json").status_code == 401


def test_totals_are_computed_by_the_server(client, store):
    cart_id = cart_with(client, [("CLUTCH-1", 1)])
    body = checkout_body(total={"amount": "0.01"}, subtotal="0")
    placed = checkout(client, cart_id, body).json()
    assert Decimal(placed["total"]["amount"]) == Decimal("500.50")


def test_staff_see_any_order(client, store, django_user_model):
    cart_id = cart_with(client, [("TOTE-1", 1)])
    placed = checkout(client, cart_id, checkout_body()).json()

    staff = Client()
    staff.force_login(django_user_model.objects.create_user("ops", password="x", is_staff=True))
    shopper = Client()
    shopper.force_login(django_user_model.objects.create_user("someone", password="x"))
    assert staff.get(f"/api/v1/orders/{placed['order_id']}").status_code == 200
    assert shopper.get(f"/api/v1/orders/{placed['order_id']}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_one_proceeds_the_other_gets_409(client, store):
    import threading

    from django.db import connection

    cart_id = cart_with(client, [("TOTE-1", 1)])
    original = SandboxProvider.authorize
    entered = threading.Event()
    release = threading.Event()

    def slow_authorize(self, **kwargs):
        entered.set()
        release.wait(timeout=10)
        return original(self, **kwargs)

    SandboxProvider.authorize = slow_authorize  # type: ignore[method-assign]
    codes: list[int] = []

    def first() -> None:
        try:
            codes.append(checkout(Client(), cart_id, checkout_body()).status_code)
        finally:
            connection.close()

    try:
        thread = threading.Thread(target=first)
        thread.start()
        assert entered.wait(timeout=10)
        second = checkout(Client(), cart_id, checkout_body())
        release.set()
        thread.join(timeout=20)
    finally:
        SandboxProvider.authorize = original  # type: ignore[method-assign]
    assert second.status_code == 409 and second.json()["code"] == "request_in_progress"
    assert codes == [201]
    assert Order.objects.count() == 1 and SandboxCharge.objects.count() == 1
