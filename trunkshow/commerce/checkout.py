"""Checkout: a cart becomes one paid order, exactly once.

The steps run apart, in this order, because each needs something the one
before must not hold:
1. validate: the address, the shipping method, the offers and the campaign
   limits, from plain reads;
2. reserve: under the cart's lock and the stock's, check the cart is still
   open, allocate its units and write the pending order (one transaction):
   a second checkout of the same cart waits for the lock, then finds it
   ordered;
3. charge: ask the provider, outside any lock or transaction (it is a
   remote system);
4. settle: mark the order paid, its follow-up jobs enqueued in the same
   transaction, or cancel it and release its units.
A crash between the charge and step 4 leaves a pending order, which
`orders_reconcile` (or a retry once the order's charge lease ran out)
settles by asking the provider what happened: no paid-but-orderless money.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trunkshow.catalog.selectors import Offer, offers_by_sku
from trunkshow.commerce.addresses import clean_address
from trunkshow.commerce.checkout_rules import checkout_problems
from trunkshow.commerce.holds import email_holds_check, holds_lock
from trunkshow.commerce.models import Cart, CartLine, Order, OrderEvent, OrderLine, ShippingMethod
from trunkshow.commerce.orders import (
    CHARGE_LEASE,
    order_cancel_unpaid,
    order_mark_paid,
    order_settle,
    payment_record,
)
from trunkshow.commerce.payments import PaymentError, UnknownToken, payment_provider
from trunkshow.commerce.pricing import order_totals
from trunkshow.commerce.shoppers import bought_by
from trunkshow.common.errors import Conflict, Invalid, PaymentDeclined, Unavailable
from trunkshow.common.locales import localized
from trunkshow.common.money import amount_str
from trunkshow.inventory.reservations import (
    InsufficientStock,
    ShopperLimit,
    Shortage,
    stock_allocate,
)
from trunkshow.inventory.selectors import per_shopper_limits


@dataclass(frozen=True)
class _Plan:
    """What a checkout will write, validated from plain reads (step 1)."""

    locale: str
    email: str
    name: str
    address: dict[str, str]
    method: ShippingMethod
    lines: list[CartLine]
    units: dict[str, int]  # per SKU: a bag as sold and one painted on the same blank both take one
    offers: dict[str, Offer]


def checkout_place(*, cart: Cart, payload: dict[str, Any], session_key: str = "") -> Order:
    """Turn the cart into a paid order; return it.

    Raises Invalid (naming every bad field), InsufficientStock (every short
    line), Conflict (empty cart, or the cart already ordered, with that
    order's id), PaymentDeclined or Unavailable (the provider did not answer;
    the order waits to be settled).
    """
    plan = _validate(cart=cart, payload=payload)
    order = _reserve(cart=cart, plan=plan, session_key=session_key)
    if order.status != Order.Status.PENDING_PAYMENT:
        return order  # a retry found its order settled by the one before
    return _charge_and_settle(order=order, token=str(payload.get("payment_token", "")))


def _validate(*, cart: Cart, payload: dict[str, Any]) -> _Plan:
    cart_lines = list(cart.lines.select_related("design"))
    if not cart_lines:
        raise Conflict(_("The cart is empty."), code="empty_cart")
    units: dict[str, int] = {}
    for line in cart_lines:
        units[line.sku] = units.get(line.sku, 0) + line.quantity
    problems = checkout_problems(payload, market_code=cart.market_id)
    address = clean_address(payload.get("address") or {})
    methods = ShippingMethod.objects.filter(market_id=cart.market_id, is_active=True)
    wanted_method = payload.get("shipping_method")
    method = (
        methods.filter(code=wanted_method).first()
        if wanted_method
        else methods.filter(is_default=True).first() or methods.first()
    )
    if method is None:
        known = ", ".join(m.code for m in methods)
        problems.append(
            (("shipping_method",), _("Choose a delivery option: %(known)s.") % {"known": known})
        )
    if problems:
        raise Invalid(problems)
    assert method is not None  # noqa: S101 - a missing method is a problem above
    locale = cart.locale or cart.market.default_locale
    email = str(payload["email"]).strip().lower()
    offers = offers_by_sku(skus=list(units), market_code=cart.market_id, locale=locale, live=True)
    short = [Shortage(sku, quantity, 0) for sku, quantity in units.items() if sku not in offers]
    if short:
        raise InsufficientStock(short)
    _limit_check(cart=cart, email=email, units=units)
    return _Plan(
        locale=locale, email=email, name=str(payload["name"]).strip(), address=address,
        method=method, lines=cart_lines, units=units, offers=offers,
    )  # fmt: skip


def _limit_check(*, cart: Cart, email: str, units: dict[str, int]) -> None:
    """Campaign limits count what this shopper already bought, by this email or from
    their other carts, not only this cart: ShopperLimit naming `email` past one."""
    limits = per_shopper_limits(skus=list(units), market_code=cart.market_id)
    if not limits:
        return
    bought = bought_by(cart=cart, email=email, skus=sorted(limits))
    for sku, limit in sorted(limits.items()):
        have = bought.get(sku, 0)
        if have + units[sku] > limit:
            short = Shortage(sku, units[sku], max(0, limit - have), limit, "limit")
            raise ShopperLimit([short], field="email", have=have)


def _unit_price(line: CartLine, offers: dict[str, Offer]) -> Decimal:
    # A made-to-order bag costs what its design was priced at by the server.
    return line.design.amount if line.design is not None else offers[line.sku].amount


def _reserve(*, cart: Cart, plan: _Plan, session_key: str) -> Order:
    """Step 2: allocate the units and write the pending order, under the cart's lock.

    A cart already ordered raises Conflict naming its order, unless that
    order's checkout died before settling it (its charge lease ran out):
    then it is settled now, and either returned (paid) or the cart, open
    again, is ordered afresh.
    """
    with transaction.atomic():
        locked = Cart.objects.select_for_update().get(pk=cart.pk)
        if locked.status == Cart.Status.ORDERED:
            stale = _order_of(locked)
            if stale is None or stale.status != Order.Status.PENDING_PAYMENT:
                raise _already_ordered(stale)
            if stale.created_at > timezone.now() - CHARGE_LEASE:
                raise _already_ordered(stale)
        else:
            return _write_pending_order(cart=locked, plan=plan, session_key=session_key)
    # Outside the transaction: settling asks the provider.
    settled = order_settle(order=stale, actor="checkout retry", force=True)
    if settled.status == Order.Status.CANCELLED:
        with transaction.atomic():
            locked = Cart.objects.select_for_update().get(pk=cart.pk)
            if locked.status != Cart.Status.OPEN:
                raise _already_ordered(_order_of(locked))
            return _write_pending_order(cart=locked, plan=plan, session_key=session_key)
    return settled


def _order_of(cart: Cart) -> Order | None:
    return cart.orders.exclude(status=Order.Status.CANCELLED).order_by("-created_at").first()


def _already_ordered(order: Order | None) -> Conflict:
    return Conflict(
        _("This cart has already been checked out."),
        code="cart_already_ordered",
        order_id=order.public_id if order else None,
    )


def _write_pending_order(*, cart: Cart, plan: _Plan, session_key: str) -> Order:
    """Inside the caller's transaction, with the cart locked."""
    # Before the stock rows, as adding a line takes them: the e-mail's caps are
    # counted below, and two checkouts under one e-mail must not both pass.
    holds_lock(cart=cart, emails=(plan.email,), email_only=True)
    stock_allocate(holder=cart.public_id, market_code=cart.market_id, lines=plan.units.items())
    # The step-1 limit check was a plain read: two carts of one shopper checking out at
    # once both passed it. Now that this transaction holds the SKUs' stock rows, every
    # other checkout of them waits, so counting what the email bought again is exact.
    _limit_check(cart=cart, email=plan.email, units=plan.units)
    email_holds_check(cart=cart, email=plan.email, units=sum(plan.units.values()))
    subtotal = sum(
        (_unit_price(line, plan.offers) * line.quantity for line in plan.lines), Decimal("0")
    )
    totals = order_totals(
        subtotal=subtotal, shipping=plan.method.amount, market_code=cart.market_id
    )
    order = Order.objects.create(
        number=_order_number(),
        cart=cart,
        market_id=cart.market_id,
        locale=plan.locale,
        currency=cart.market.currency,
        email=plan.email,
        name=plan.name,
        address=plan.address,
        shipping_method=plan.method.code,
        shipping_name=localized(plan.method.names, plan.locale),
        subtotal=totals.subtotal,
        shipping=totals.shipping,
        total=totals.total,
        session_key=session_key,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            sku=line.sku,
            mode=line.mode,
            design=line.design,
            title=plan.offers[line.sku].title,
            color_name=plan.offers[line.sku].color_name,
            quantity=line.quantity,
            unit_price=_unit_price(line, plan.offers),
            line_total=_unit_price(line, plan.offers) * line.quantity,
        )
        for line in plan.lines
    )
    OrderEvent.objects.create(order=order, to_status=order.status, actor="shopper")
    # The cart keeps the e-mail: if the payment fails it reopens, and what it holds
    # from then on counts against the e-mail's caps too (commerce/holds.py).
    Cart.objects.filter(pk=cart.pk).update(status=Cart.Status.ORDERED, email=plan.email)
    return order


def _order_number() -> str:
    return f"TS{timezone.now():%y%m%d}-{secrets.token_hex(3).upper()}"


def _charge_and_settle(*, order: Order, token: str) -> Order:
    """Steps 3 and 4: the provider is asked with no transaction open, then the order settles."""
    provider = payment_provider()
    try:
        charge = provider.authorize(
            order_ref=order.public_id, amount=order.total, currency=order.currency, token=token
        )
        if charge.approved and charge.status == "authorized":
            charge = provider.capture(reference=charge.reference)
    except UnknownToken as exc:
        order_cancel_unpaid(order=order, note="unknown payment token")
        raise Invalid.field("payment_token", str(exc)) from exc
    except PaymentError as exc:
        # The order waits; reconciliation (or a retry after its lease) settles it.
        raise Unavailable(
            _("The payment service did not answer; try again."), code="payment_unavailable"
        ) from exc
    if not charge.approved:
        payment_record(order=order, provider=provider.name, charge=charge)
        order_cancel_unpaid(order=order, note="payment declined")
        raise PaymentDeclined(_("The payment was declined."), order_id=order.public_id)
    return order_mark_paid(order=order, charge=charge, provider=provider.name, actor="shopper")


def order_body(order: Order) -> dict[str, Any]:
    """What checkout answers for a placed order."""
    return {
        "order_id": order.public_id,
        "number": order.number,
        "access_token": order.access_token,
        "status": order.status,
        "total": {"amount": amount_str(order.total, order.currency), "currency": order.currency},
    }
