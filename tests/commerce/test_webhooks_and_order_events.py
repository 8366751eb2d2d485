"""What follows a payment never fails it: webhooks applied whole or not at all, and the
work a paid order sets going runs as jobs committed with the payment."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.commerce.conftest import checkout_body
from tests.commerce.test_checkout_api import cart_with, checkout
from tests.jobs import run_queued_jobs
from trunkshow.commerce import events
from trunkshow.commerce.models import Order, WebhookEvent
from trunkshow.commerce.payments import PaymentError, SandboxProvider, sign_webhook

pytestmark = pytest.mark.django_db(transaction=True)

WEBHOOK = "/api/v1/payments/sandbox/webhook"


def deliver(client, event: dict | bytes):
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return client.post(WEBHOOK, body, content_type="application/json",
                       HTTP_SANDBOX_SIGNATURE=sign_webhook(body))  # fmt: skip


@pytest.mark.parametrize(
    "event",
    [
        {"id": "evt_1", "type": "charge.captured", "data": "not an object"},
        {"id": "evt_1", "type": ["charge.captured"], "data": {}},
        {"id": "evt_1", "type": "charge.captured", "data": {"order_ref": 12}},
        {"id": "x" * 101, "type": "charge.captured", "data": {}},
        b"[1, 2, 3]",
    ],
    ids=["data-not-object", "type-not-text", "order-ref-not-text", "id-too-long", "not-object"],
)
def test_a_signed_event_of_a_shape_we_cannot_read_is_a_400_in_json(client, store, event):
    # When the provider sends a signed event we cannot read
    response = deliver(client, event)

    # Then it is told so in the API's error shape, and nothing is recorded
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] in {"bad_event", "bad_signature"}
    assert not WebhookEvent.objects.exists()


def pending_order_whose_checkout_died(client) -> Order:
    """Authorized at the provider, never captured nor marked paid: the process died."""
    cart_id = cart_with(client, [("TOTE-1", 1)])
    original = SandboxProvider.capture

    def crash(self, **kwargs):
        raise PaymentError("connection reset")

    SandboxProvider.capture = crash  # type: ignore[method-assign]
    try:
        assert checkout(client, cart_id, checkout_body()).status_code == 503
    finally:
        SandboxProvider.capture = original  # type: ignore[method-assign]
    Order.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    return Order.objects.get()


def test_an_event_whose_application_failed_is_applied_when_delivered_again(
    client, store, monkeypatch
):
    # Given an order left pending, and a first delivery of its event that fails midway
    order = pending_order_whose_checkout_died(client)
    from trunkshow.commerce import webhooks

    real_settle = webhooks.order_settle
    monkeypatch.setattr(webhooks, "order_settle", lambda **kw: (_ for _ in ()).throw(OSError()))
    event = {"id": "evt_9", "type": "charge.authorized", "data": {"order_ref": order.public_id}}
    failed = deliver(client, event)
    assert failed.status_code == 503 and failed.json()["code"] == "not_applied"
    assert WebhookEvent.objects.get().applied_at is None

    # When the provider delivers it again
    monkeypatch.setattr(webhooks, "order_settle", real_settle)
    again = deliver(client, event)

    # Then it is applied (not answered as a duplicate): the money is captured, the order paid
    assert again.status_code == 200 and again.json()["duplicate"] is False
    order.refresh_from_db()
    assert order.status == "paid"
    assert deliver(client, event).json()["duplicate"] is True


def test_a_webhook_leaves_an_order_still_being_charged_to_its_checkout(client, store):
    # Given a pending order whose checkout may still be charging (inside its lease)
    order = pending_order_whose_checkout_died(client)
    Order.objects.update(created_at=timezone.now())

    # When an event about it arrives
    event = {"id": "evt_3", "type": "charge.authorized", "data": {"order_ref": order.public_id}}
    assert deliver(client, event).status_code == 200

    # Then the order is neither paid nor cancelled behind its checkout's back
    order.refresh_from_db()
    assert order.status == "pending_payment"


def test_the_work_a_paid_order_sets_going_is_queued_with_the_payment(client, store):
    # When a checkout is paid (and the process were killed right after its commit)
    cart_id = cart_with(client, [("TOTE-1", 1)])
    placed = checkout(client, cart_id, checkout_body()).json()

    # Then the follow-up is already a job in the database, waiting for any worker
    job = DBTaskResult.objects.get(task_path__endswith="order_paid_follow_up")
    assert job.status == "READY" and job.queue_name == "orders"
    assert not mail.outbox
    # And when a worker runs it, the shopper is emailed, once however often it runs
    run_queued_jobs("orders")
    run_queued_jobs("orders")
    (message,) = mail.outbox
    assert placed["number"] in message.subject


def test_a_failing_subscriber_never_fails_the_payment_and_is_tried_again(
    client, store, monkeypatch
):
    # Given an app whose order-paid work fails (out of capacity, a bug)
    calls: list[int] = []

    def out_of_capacity(order_id: int) -> None:
        calls.append(order_id)
        raise RuntimeError("no capacity")

    monkeypatch.setitem(events._handlers, events.ORDER_PAID, [out_of_capacity])

    # When a shopper pays
    cart_id = cart_with(client, [("TOTE-1", 1)])
    response = checkout(client, cart_id, checkout_body())

    # Then the payment stands
    assert response.status_code == 201 and Order.objects.get().status == "paid"
    # And the worker's run fails without a trace for the shopper, queuing a later try
    run_queued_jobs("orders")
    assert len(calls) == 1
    retry = DBTaskResult.objects.get(task_path__endswith="order_paid_follow_up", status="READY")
    assert retry.args_kwargs["args"] == [Order.objects.get().pk, 2]
    assert retry.run_after > timezone.now()
    assert not mail.outbox


@pytest.mark.parametrize("signature", ["", "t=1,v1=00", "nonsense"])
def test_an_event_the_provider_did_not_sign_is_a_401(client, store, signature):
    # When someone posts an event without the provider's signature
    body = json.dumps({"id": "evt_x", "type": "charge.captured", "data": {}}).encode()
    response = client.post(
        WEBHOOK, body, content_type="application/json", HTTP_SANDBOX_SIGNATURE=signature
    )

    # Then it is refused as unauthenticated, and nothing is recorded
    assert response.status_code == 401
    assert response.json()["code"] == "bad_signature"
    assert not WebhookEvent.objects.exists()
