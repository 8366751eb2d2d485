"""Checkout: one request turns a cart into a paid order, exactly once.

Order of work, and why:
1. The Idempotency-Key is claimed first (a unique row): a retry replays the
   stored answer, a different body under the same key is refused, and a
   second request while the first runs gets 409.
2. Units are allocated and the order written in one transaction, so there
   is never an order without its units nor units without an order.
3. The provider is asked for the money outside any transaction (it is a
   remote system); then the order is marked paid, or cancelled with its
   units released. A crash between the charge and our commit leaves an
   order waiting for payment, which `orders_reconcile` settles by asking
   the provider what happened: no paid-but-orderless money.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from trunkshow.catalog.selectors import offers_by_sku
from trunkshow.commerce.addresses import address_problems, clean_address
from trunkshow.commerce.models import (
    Cart,
    CartLine,
    IdempotencyRecord,
    Order,
    OrderEvent,
    OrderLine,
    ShippingMethod,
)
from trunkshow.commerce.orders import (
    order_cancel_unpaid,
    order_mark_paid,
    order_settle,
    payment_record,
)
from trunkshow.commerce.payments import PaymentError, UnknownToken, payment_provider
from trunkshow.common.locales import localized
from trunkshow.inventory.reservations import InsufficientStock, Shortage, stock_allocate
from trunkshow.inventory.selectors import per_shopper_limits


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]


def _error(status: int, code: str, message: str, **extra: Any) -> Outcome:
    return Outcome(status, {"code": code, "message": message, **extra})


def request_fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def checkout_with_key(
    *, cart: Cart, key: str, payload: dict[str, Any], session_key: str = ""
) -> Outcome:
    """Run checkout once per (cart, Idempotency-Key), Stripe's way."""
    scope = f"checkout:{cart.public_id}"
    fingerprint = request_fingerprint(payload)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                scope=scope, key=key, request_hash=fingerprint
            )
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(scope=scope, key=key)
        if existing.request_hash != fingerprint:
            return _error(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used with a different request body.",
            )
        if not existing.done:
            return _error(
                409, "request_in_progress", "A request with this Idempotency-Key is running."
            )
        return Outcome(existing.response_status or 200, existing.response_body or {})
    try:
        outcome = checkout_place(cart=cart, payload=payload, session_key=session_key)
    except Exception:
        # Nothing to replay: let the client retry the same key.
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    if outcome.status >= 500:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
    else:
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            done=True, response_status=outcome.status, response_body=outcome.body
        )
    return outcome


def _order_number() -> str:
    return f"TS{timezone.now():%y%m%d}-{secrets.token_hex(3).upper()}"


def order_body(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.public_id,
        "number": order.number,
        "access_token": order.access_token,
        "status": order.status,
        "total": {"amount": str(order.total), "currency": order.currency},
    }


def _limit_shortages(*, email: str, market_code: str, lines: dict[str, int]) -> list[Shortage]:
    """Campaign limits count what this email already bought, not only this cart."""
    limits = per_shopper_limits(skus=list(lines), market_code=market_code)
    short = []
    for sku, limit in limits.items():
        bought = (
            OrderLine.objects.filter(
                sku=sku, order__email__iexact=email, order__market_id=market_code
            )
            .exclude(order__status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])
            .aggregate(total=Sum("quantity"))["total"]
            or 0
        )
        if bought + lines[sku] > limit:
            short.append(Shortage(sku, lines[sku], max(0, limit - bought), limit, "limit"))
    return short


def checkout_place(*, cart: Cart, payload: dict[str, Any], session_key: str = "") -> Outcome:
    cart.refresh_from_db()
    locale = cart.locale or cart.market.default_locale
    if cart.status == Cart.Status.ORDERED:
        pending = cart.orders.filter(status=Order.Status.PENDING_PAYMENT).first()
        if pending is not None:
            # A retry after a crash between charge and commit: settle that order.
            return _pay(order_settle(order=pending, actor="checkout retry"), payload)
        done = cart.orders.exclude(status=Order.Status.CANCELLED).first()
        return _error(
            409,
            "cart_already_ordered",
            "This cart has already been checked out.",
            order_id=done.public_id if done else None,
        )
    cart_lines = list(cart.lines.select_related("design"))
    if not cart_lines:
        return _error(422, "empty_cart", "The cart is empty.")
    # Units per SKU: a bag as sold and a bag painted on the same blank both take one.
    lines: dict[str, int] = {}
    for line in cart_lines:
        lines[line.sku] = lines.get(line.sku, 0) + line.quantity

    address = clean_address(payload.get("address") or {})
    problems = address_problems(address, market_code=cart.market_id)
    if problems:
        detail = [
            {"loc": ["body", "address", field], "msg": msg, "type": "value_error"}
            for field, msg in problems
        ]
        return _error(422, "invalid", " ".join(f"{f}: {m}" for f, m in problems), detail=detail)
    methods = ShippingMethod.objects.filter(market=cart.market, is_active=True)
    wanted_method = payload.get("shipping_method")
    method = (
        methods.filter(code=wanted_method).first()
        if wanted_method
        else methods.filter(is_default=True).first() or methods.first()
    )
    if method is None:
        known = ", ".join(m.code for m in methods)
        return _error(
            422,
            "invalid",
            f"Unknown shipping method; known: {known}.",
            detail=[{"loc": ["body", "shipping_method"], "msg": "unknown", "type": "value_error"}],
        )

    email = str(payload["email"]).strip().lower()
    offers = offers_by_sku(skus=list(lines), market_code=cart.market_id, locale=locale, live=True)
    short = [Shortage(sku, qty, 0) for sku, qty in lines.items() if sku not in offers]
    short += _limit_shortages(email=email, market_code=cart.market_id, lines=lines)
    if short:
        return _insufficient(short)

    currency = cart.market.currency

    def unit_price(line: CartLine) -> Decimal:
        # A made-to-order bag costs what its design was priced at by the server.
        return line.design.amount if line.design is not None else offers[line.sku].amount

    subtotal = sum((unit_price(line) * line.quantity for line in cart_lines), Decimal("0"))
    try:
        with transaction.atomic():
            stock_allocate(holder=cart.public_id, market_code=cart.market_id, lines=lines.items())
            order = Order.objects.create(
                number=_order_number(),
                cart=cart,
                market=cart.market,
                locale=locale,
                currency=currency,
                email=email,
                name=str(payload["name"]).strip(),
                address=address,
                shipping_method=method.code,
                shipping_name=localized(method.names, locale),
                subtotal=subtotal,
                shipping=method.amount,
                total=subtotal + method.amount,
                session_key=session_key,
            )
            OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    sku=line.sku,
                    mode=line.mode,
                    design=line.design,
                    title=offers[line.sku].title,
                    color_name=offers[line.sku].color_name,
                    quantity=line.quantity,
                    unit_price=unit_price(line),
                    line_total=unit_price(line) * line.quantity,
                )
                for line in cart_lines
            )
            OrderEvent.objects.create(order=order, to_status=order.status, actor="shopper")
            Cart.objects.filter(pk=cart.pk).update(status=Cart.Status.ORDERED)
    except InsufficientStock as exc:
        return _insufficient(exc.shortages)
    return _pay(order, payload)


def _insufficient(shortages: list[Shortage]) -> Outcome:
    return _error(
        409,
        "insufficient_stock",
        "Some items are no longer available in the quantity asked for.",
        lines=[s.as_dict() for s in shortages],
    )


def _pay(order: Order, payload: dict[str, Any]) -> Outcome:
    if order.status != Order.Status.PENDING_PAYMENT:
        if order.status == Order.Status.CANCELLED:
            return _error(402, "payment_declined", "The payment was declined.")
        return Outcome(201, order_body(order))
    provider = payment_provider()
    try:
        charge = provider.authorize(
            order_ref=order.public_id,
            amount=order.total,
            currency=order.currency,
            token=str(payload.get("payment_token", "")),
        )
        if charge.approved and charge.status == "authorized":
            charge = provider.capture(reference=charge.reference)
    except UnknownToken as exc:
        order_cancel_unpaid(order=order, note="unknown payment token")
        return _error(
            422,
            "invalid",
            str(exc),
            detail=[{"loc": ["body", "payment_token"], "msg": str(exc), "type": "value_error"}],
        )
    except PaymentError:
        # The order waits; reconciliation (or a retry with the same key) settles it.
        return _error(503, "payment_unavailable", "The payment service did not answer; try again.")
    if not charge.approved:
        payment_record(order=order, provider=provider.name, charge=charge)
        order_cancel_unpaid(order=order, note="payment declined")
        return _error(
            402, "payment_declined", "The payment was declined.", order_id=order.public_id
        )
    order = order_mark_paid(order=order, charge=charge, provider=provider.name, actor="shopper")
    return Outcome(201, order_body(order))
