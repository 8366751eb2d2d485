"""One shopper across carts, tabs and API clients, for a drop's per-shopper limit.

A shopper is known by the cart's holder (its browser session and the visitor
id that a browser's cookie or an API client's X-Visitor-Id gives) before
checkout, and also by the email once they check out. Every count here runs
with the SKUs' stock rows locked by the caller (inventory/reservations.py), so
two carts of one shopper asking at once queue and the second sees the first.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from trunkshow.commerce.models import Cart, Order, OrderLine
from trunkshow.inventory.models import Reservation

COUNTED = ~Q(order__status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])


def _same_holder(cart: Cart) -> Q | None:
    """Carts of the same browser session or visitor as `cart` (None when it has neither)."""
    same = Q()
    if cart.session_key:
        same |= Q(session_key=cart.session_key)
    if cart.visitor_id:
        same |= Q(visitor_id=cart.visitor_id)
    return same or None


def sibling_carts(cart: Cart) -> QuerySet[Cart]:
    """The shopper's other carts in the cart's market."""
    same = _same_holder(cart)
    if same is None:
        return Cart.objects.none()
    return Cart.objects.filter(same, market_id=cart.market_id).exclude(pk=cart.pk)


def _totals(rows: QuerySet[OrderLine] | QuerySet[Reservation]) -> dict[str, int]:
    return {
        sku: int(total or 0)
        for sku, total in rows.order_by().values("sku").annotate(t=Sum("quantity"))
        .values_list("sku", "t")
    }  # fmt: skip


def held_or_bought_elsewhere(cart: Cart, skus: list[str]) -> dict[str, int]:
    """Units of `skus` the cart's shopper holds in other carts or has ordered from them."""
    siblings = sibling_carts(cart)
    held = _totals(
        Reservation.objects.filter(
            holder__in=siblings.values("public_id"),
            market_id=cart.market_id,
            sku__in=skus,
            reserved_until__gt=timezone.now(),
        )
    )
    bought = _totals(OrderLine.objects.filter(COUNTED, order__cart__in=siblings, sku__in=skus))
    return {sku: held.get(sku, 0) + bought.get(sku, 0) for sku in skus}


def bought_by(*, cart: Cart, email: str, skus: list[str]) -> dict[str, int]:
    """Units of `skus` already ordered in the cart's market by this email or from the
    shopper's other carts (an order placed with another email from the same browser)."""
    who = Q(order__email__iexact=email)
    siblings = sibling_carts(cart)
    if _same_holder(cart) is not None:
        who |= Q(order__cart__in=siblings)
    lines = OrderLine.objects.filter(
        who, COUNTED, order__market_id=cart.market_id, sku__in=skus
    ).exclude(order__cart=cart)
    return _totals(lines)
