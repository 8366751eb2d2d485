"""Provider webhooks: verified, recorded once per event id, applied until it worked.

Applying asks the provider what happened (it is a remote system, so never
from inside a transaction), and the event is marked applied only after
that succeeded: a delivery whose application failed is answered with an
error, and the provider's redelivery applies it. An event applied once is
answered as a duplicate ever after. Applying is safe to repeat (settling
an order locks it and moves it only if the provider's answer says so), so
two deliveries racing do no harm.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trunkshow.commerce.models import Order, Payment, WebhookEvent
from trunkshow.commerce.orders import order_settle, order_transition, payment_record
from trunkshow.commerce.payments import Charge, payment_provider
from trunkshow.common.errors import Invalid

KNOWN_KINDS = {"charge.captured", "charge.authorized", "charge.declined", "charge.refunded"}


class MalformedEvent(Invalid):
    code = "bad_event"


def webhook_receive(*, body: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Verify and apply one event; returns (event, fresh). A redelivery does nothing.

    Raises payments.InvalidSignature for a body we did not sign and
    MalformedEvent for a signed event of a shape we cannot read.
    """
    provider = payment_provider()
    event = provider.verify_webhook(body=body, signature=signature)
    kind, order_ref = _read(event)
    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(
                provider=provider.name, event_id=event["id"], kind=kind, payload=event
            )
    except IntegrityError:
        stored = WebhookEvent.objects.get(provider=provider.name, event_id=event["id"])
        if stored.applied_at is not None:
            return stored, False
    _apply(kind, order_ref, provider_name=provider.name)
    WebhookEvent.objects.filter(pk=stored.pk).update(applied_at=timezone.now())
    return stored, True


def _read(event: dict[str, Any]) -> tuple[str, str]:
    """The event's kind and order, or MalformedEvent naming every bad field."""
    problems: list[tuple[tuple[str, ...], str]] = []
    event_id, kind, data = event.get("id"), event.get("type", ""), event.get("data")
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= 100:
        problems.append((("id",), "The event id must be text of 1 to 100 characters."))
    if not isinstance(kind, str) or len(kind) > 64:
        problems.append((("type",), "The event type must be text of at most 64 characters."))
    if not isinstance(data, dict):
        problems.append((("data",), "The event's data must be an object."))
        order_ref: Any = ""
    else:
        order_ref = data.get("order_ref", "")
        if not isinstance(order_ref, str) or len(order_ref) > 32:
            problems.append((("data", "order_ref"), "order_ref must be an order id."))
    if problems:
        raise MalformedEvent(problems)
    return str(kind), str(order_ref)


def _apply(kind: str, order_ref: str, *, provider_name: str) -> None:
    if kind not in KNOWN_KINDS:
        return  # recorded, nothing to do: providers add kinds over time
    order = Order.objects.filter(public_id=order_ref).first()
    if order is None:
        return
    if kind in {"charge.captured", "charge.authorized", "charge.declined"}:
        # Ask the provider rather than trust the payload's amounts.
        order_settle(order=order, actor="webhook")
    elif kind == "charge.refunded":
        charge = payment_provider().lookup(order_ref=order.public_id)
        if isinstance(charge, Charge):
            payment_record(order=order, provider=provider_name, charge=charge)
            if charge.status == Payment.Status.REFUNDED and order.status != Order.Status.REFUNDED:
                order_transition(order=order, to=Order.Status.REFUNDED, actor="webhook")
