"""Provider webhooks: verified, stored once per event id, then acted on."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from trunkshow.commerce.models import Order, Payment, WebhookEvent
from trunkshow.commerce.orders import order_settle, order_transition, payment_record
from trunkshow.commerce.payments import Charge, payment_provider


def webhook_receive(*, body: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Verify and apply one event; returns (event, fresh). A redelivery does nothing.

    Raises payments.InvalidSignature for a body we did not sign.
    """
    provider = payment_provider()
    event = provider.verify_webhook(body=body, signature=signature)
    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(
                provider=provider.name,
                event_id=str(event["id"])[:100],
                kind=str(event.get("type", ""))[:64],
                payload=event,
            )
    except IntegrityError:
        return WebhookEvent.objects.get(provider=provider.name, event_id=event["id"]), False
    _apply(event, provider_name=provider.name)
    return stored, True


def _apply(event: dict[str, Any], *, provider_name: str) -> None:
    data = event.get("data") or {}
    order = Order.objects.filter(public_id=str(data.get("order_ref", ""))[:32]).first()
    if order is None:
        return
    kind = event.get("type")
    if kind in {"charge.captured", "charge.authorized", "charge.declined"}:
        # Ask the provider rather than trust the payload's amounts.
        order_settle(order=order, actor="webhook")
    elif kind == "charge.refunded":
        charge = payment_provider().lookup(order_ref=order.public_id)
        if isinstance(charge, Charge):
            payment_record(order=order, provider=provider_name, charge=charge)
            if charge.status == Payment.Status.REFUNDED and order.status != Order.Status.REFUNDED:
                order_transition(order=order, to=Order.Status.REFUNDED, actor="webhook")
