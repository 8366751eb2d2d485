"""Carts (found by visitor id) and orders (by e-mail, or by one of those carts).

Erase keeps every order's amounts, lines and dates for the books (tax law
outlives the right to erasure, GDPR art. 17(3)(b)) and removes the person:
e-mail, name, address, session.
"""

from __future__ import annotations

from django.db.models import Q

from trunkshow.commerce.models import (
    Cart,
    CartLine,
    IdempotencyRecord,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    SandboxCharge,
    ShippingMethod,
    WebhookEvent,
)
from trunkshow.common.personal_data import ExportPart, Subject, not_personal, register


def collect(subject: Subject) -> None:
    mine = Q(visitor_id__in=subject.visitor_ids)
    if subject.email:
        mine |= Q(email__iexact=subject.email)
    carts = list(Cart.objects.filter(mine).values_list("public_id", flat=True))
    found = Q(cart__public_id__in=carts)
    if subject.email:
        found |= Q(email__iexact=subject.email)
    orders = Order.objects.filter(found)
    subject.add("orders", orders.values_list("public_id", flat=True))
    carts += [c for c in orders.values_list("cart__public_id", flat=True) if c]
    subject.add("carts", carts)
    designs = set(
        CartLine.objects.filter(cart__public_id__in=carts, design__isnull=False).values_list(
            "design__public_id", flat=True
        )
    ) | set(
        OrderLine.objects.filter(order__in=orders, design__isnull=False).values_list(
            "design__public_id", flat=True
        )
    )
    subject.add("designs", sorted(designs))


def export(subject: Subject) -> ExportPart:
    carts = Cart.objects.filter(public_id__in=subject.get("carts")).prefetch_related("lines")
    orders = Order.objects.filter(public_id__in=subject.get("orders")).prefetch_related("lines")
    return ExportPart(
        sections={
            "carts": [
                {
                    "id": c.public_id,
                    "market": c.market_id,
                    "status": c.status,
                    "email": c.email,
                    "created_at": c.created_at,
                    "lines": [
                        {"sku": line.sku, "quantity": line.quantity} for line in c.lines.all()
                    ],
                }
                for c in carts
            ],
            "orders": [
                {
                    "number": o.number,
                    "created_at": o.created_at,
                    "paid_at": o.paid_at,
                    "status": o.status,
                    "email": o.email,
                    "name": o.name,
                    "address": o.address,
                    "currency": o.currency,
                    "subtotal": o.subtotal,
                    "shipping": o.shipping,
                    "total": o.total,
                    "lines": [
                        {"sku": line.sku, "title": line.title, "quantity": line.quantity}
                        for line in o.lines.all()
                    ],
                }
                for o in orders
            ],
        }
    )


def erase(subject: Subject) -> None:
    Order.objects.filter(public_id__in=subject.get("orders")).update(
        email="", name="", address={}, session_key=""
    )
    Cart.objects.filter(public_id__in=subject.get("carts")).update(
        visitor_id="", session_key="", client_address="", email=""
    )


def register_handler() -> None:
    register(
        name="commerce",
        order=20,
        models=[Cart, CartLine, Order, OrderLine],
        collect=collect,
        export=export,
        erase=erase,
    )
    not_personal(ShippingMethod, "the brand's shipping methods")
    not_personal(OrderEvent, "status changes of an order, by staff or the system")
    not_personal(Payment, "amounts and the provider's reference, kept for the books")
    not_personal(WebhookEvent, "the payment provider's notices")
    not_personal(IdempotencyRecord, "replayed answers, purged within a day")
    not_personal(SandboxCharge, "the test payment provider's charges")
