from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.http import HttpRequest

from trunkshow.catalog.selectors import offers_by_sku
from trunkshow.commerce.addresses import address_lines
from trunkshow.commerce.events import line_details
from trunkshow.commerce.models import Cart, Order, OrderLine, ShippingMethod
from trunkshow.commerce.pricing import order_totals, tax_convention
from trunkshow.common.locales import localized
from trunkshow.common.money import amount_str, format_price
from trunkshow.inventory.selectors import available_by_sku
from trunkshow.studio.lead_times import lead_time_days
from trunkshow.studio.selectors import design_effort_hours, preview_ready, preview_url_path


def cart_by_public_id(public_id: str) -> Cart | None:
    if not 10 <= len(public_id) <= 32:
        return None
    return Cart.objects.select_related("market").filter(public_id=public_id).first()


def units_sold_since(*, sku: str, market_code: str, since: datetime) -> int:
    """Units of a SKU ordered in a market since an instant (cancelled and refunded not)."""
    total = (
        OrderLine.objects.filter(
            sku=sku, order__market_id=market_code, order__created_at__gte=since
        )
        .exclude(order__status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])
        .aggregate(total=Sum("quantity"))["total"]
    )
    return int(total or 0)


def units_in_cart(cart: Cart, *, sku: str) -> int:
    """Units of a SKU the cart holds: bags as sold and bags made on it as a blank
    (the cart's one hold on the SKU covers both)."""
    total = cart.lines.filter(sku=sku).aggregate(n=Sum("quantity"))["n"]
    return int(total or 0)


def _money(amount: Decimal, currency: str, locale: str) -> dict[str, str]:
    return {
        "amount": amount_str(amount, currency),
        "currency": currency,
        "display": format_price(amount, currency, locale),
    }


def shipping_methods(*, market_code: str, locale: str) -> list[dict[str, Any]]:
    methods = ShippingMethod.objects.filter(market_id=market_code, is_active=True).select_related(
        "market"
    )
    return [
        {
            "code": m.code,
            "name": localized(m.names, locale) or m.code,
            "price": _money(m.amount, m.market.currency, locale),
            "days": [m.days_min, m.days_max],
            "default": m.is_default,
        }
        for m in methods
    ]


def cart_payload(cart: Cart, *, locale: str) -> dict[str, Any]:
    """The cart as a shopper sees it now: live prices, and whether each line is still there."""
    lines = list(cart.lines.select_related("design__template"))
    skus = [line.sku for line in lines]
    offers = offers_by_sku(skus=skus, market_code=cart.market_id, locale=locale)
    available = available_by_sku(skus=skus, market_code=cart.market_id, holder=cart.public_id)
    wanted: dict[str, int] = {}
    for line in lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    currency = cart.market.currency
    items = []
    subtotal = Decimal("0")
    for line in lines:
        offer = offers.get(line.sku)
        unit = line.design.amount if line.design is not None else (offer.amount if offer else None)
        line_total = unit * line.quantity if unit is not None else Decimal("0")
        subtotal += line_total
        items.append(
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "title": offer.title if offer else line.sku,
                "color": offer.color_name if offer else "",
                # A design's preview once its job has drawn it; the bag's
                # picture until then.
                "image_url": (
                    preview_url_path(line.design)
                    if line.design is not None and preview_ready(line.design)
                    else (offer.image_url if offer else "")
                ),
                "product_slug": offer.product_slug if offer else "",
                "mode": line.mode,
                "design_id": line.design.public_id if line.design is not None else None,
                "lead_time_days": (
                    lead_time_days(design_effort_hours(line.design) * line.quantity)
                    if line.design is not None and line.mode == "artisan"
                    else None
                ),
                "unit_price": _money(unit, currency, locale) if unit is not None else None,
                "line_total": _money(line_total, currency, locale),
                "available": available.get(line.sku, 0),
                "short": offer is None or available.get(line.sku, 0) < wanted[line.sku],
            }
        )
    waits = [wait for i in items if isinstance(wait := i["lead_time_days"], int)]
    methods = shipping_methods(market_code=cart.market_id, locale=locale)
    for method in methods:
        # What the shopper pays with this method, shown before "Pay" and on the order alike.
        totals = order_totals(
            subtotal=subtotal,
            shipping=Decimal(method["price"]["amount"]),
            market_code=cart.market_id,
        )
        method["tax"] = _money(totals.tax, currency, locale)
        method["total"] = _money(totals.total, currency, locale)
    chosen = next((m for m in methods if m["default"]), methods[0] if methods else None)
    return {
        "id": cart.public_id,
        "market": cart.market_id,
        "currency": currency,
        "status": cart.status,
        "lines": items,
        "count": sum(line.quantity for line in lines),
        # The longest wait in the cart: when the whole order can ship.
        "lead_time_days": max(waits, default=None),
        "subtotal": _money(subtotal, currency, locale),
        "shipping_methods": methods,
        "tax_included": tax_convention(cart.market_id).included_in_prices,
        # With the default method; each method carries its own total.
        "total": chosen["total"] if chosen else _money(subtotal, currency, locale),
    }


def order_by_public_id(public_id: str) -> Order | None:
    if not 10 <= len(public_id) <= 32:
        return None
    return (
        Order.objects.select_related("market")
        .prefetch_related("lines__design", "events")
        .filter(public_id=public_id)
        .first()
    )


def order_visible(order: Order, *, token: str | None, request: HttpRequest) -> bool:
    """The access token, the session that placed it, or staff; nobody else."""
    if token and hmac.compare_digest(token.encode(), order.access_token.encode()):
        return True
    session = getattr(request, "session", None)
    session_key = (session.session_key if session is not None else None) or ""
    if session_key and order.session_key and hmac.compare_digest(session_key, order.session_key):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def order_payload(
    order: Order, *, locale: str, absolute: Callable[[str], str] | None = None
) -> dict[str, Any]:
    currency = order.currency
    lines = list(order.lines.all())
    details = line_details([line.pk for line in lines], absolute=absolute)
    return {
        "order_id": order.public_id,
        "number": order.number,
        "status": order.status,
        "market": order.market_id,
        "email": order.email,
        "name": order.name,
        "address": order.address,
        # The address as it is written in its country, line by line (China: large to small).
        "address_lines": address_lines(order.address, country=order.market_id),
        "shipping_method": order.shipping_method,
        "lines": [
            {
                "sku": line.sku,
                "title": line.title,
                "color": line.color_name,
                "quantity": line.quantity,
                "mode": line.mode,
                "design_id": line.design.public_id if line.design is not None else None,
                "work_order": None,
                "kit": None,
                **details.get(line.pk, {}),
                "unit_price": _money(line.unit_price, currency, locale),
                "line_total": _money(line.line_total, currency, locale),
            }
            for line in lines
        ],
        "subtotal": _money(order.subtotal, currency, locale),
        "shipping": _money(order.shipping, currency, locale),
        "tax": _money(order.total - order.subtotal - order.shipping, currency, locale),
        "tax_included": tax_convention(order.market_id).included_in_prices,
        "total": _money(order.total, currency, locale),
        "history": [
            {
                "from": event.from_status or None,
                "to": event.to_status,
                "at": event.at.isoformat(),
                "note": event.note,
            }
            for event in order.events.all()
        ],
        "created_at": order.created_at.isoformat(),
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
    }
