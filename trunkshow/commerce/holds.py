"""Caps on what one client may hold, so a bot cannot empty the shelf with carts.

A unit in a cart is held for RESERVATION_MINUTES and returns to the shelf by
itself when the hold runs out (availability counts only live holds; no job
needs to run). While it is live, a client's holds are capped, counted first
per cart and per browser session, then per client address, whose caps are
sized for a carrier's gateway that many shoppers share:

- a cart holds at most HOLD_MAX_UNITS_PER_CART units (a SKU's per-shopper
  limit, where a drop sets one, is checked by the reservation itself);
- one browser session keeps at most HOLD_MAX_CARTS_PER_SESSION carts with holds;
- one address keeps at most HOLD_MAX_CARTS_PER_ADDRESS carts with holds and
  HOLD_MAX_UNITS_PER_ADDRESS units in all, and of one SKU at most
  HOLD_MAX_SKU_SHARE_PER_ADDRESS of its shelf (on hand - allocated), but
  always HOLD_MIN_SKU_UNITS_PER_ADDRESS units (one shopper may buy the last
  three of a bag).

Past a cap the request changes nothing and raises HoldLimit (the API's 409
`{code: "hold_limit", limit}`). Lowering a quantity is never refused.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from trunkshow.commerce.models import Cart
from trunkshow.common.errors import Conflict
from trunkshow.inventory.models import Reservation, StockItem


class HoldLimit(Conflict):
    code = "hold_limit"


def _units(queryset: object) -> int:
    total = queryset.aggregate(total=Sum("quantity"))["total"]  # type: ignore[attr-defined]
    return int(total or 0)


def _refuse(limit: int, scope: str) -> HoldLimit:
    return HoldLimit(
        _(
            "You are holding as many bags as one shopper may (%(limit)s). "
            "Check out or empty a bag first."
        )
        % {"limit": limit},
        limit=limit,
        scope=scope,
    )


def holds_check(*, cart: Cart, sku: str, units: int) -> None:
    """Raise HoldLimit if `cart` holding `units` of `sku` would pass a client's cap.

    Call inside the transaction that then writes the hold.
    """
    now = timezone.now()
    live = Reservation.objects.filter(reserved_until__gt=now, market_id=cart.market_id)
    mine = live.filter(holder=cart.public_id)
    held_now = _units(mine.filter(sku=sku))
    if units <= held_now:
        return
    cart_cap = int(settings.HOLD_MAX_UNITS_PER_CART)
    if _units(mine.exclude(sku=sku)) + units > cart_cap:
        raise _refuse(cart_cap, "cart")
    holding_already = mine.exists()
    if cart.session_key and not holding_already:
        session_cap = int(settings.HOLD_MAX_CARTS_PER_SESSION)
        siblings = Cart.objects.filter(session_key=cart.session_key, status=Cart.Status.OPEN)
        holding = (
            live.filter(holder__in=siblings.values("public_id")).values("holder").distinct().count()
        )
        if holding >= session_cap:
            raise _refuse(session_cap, "session")
    if not cart.client_address:
        return
    neighbours = Cart.objects.filter(client_address=cart.client_address, status=Cart.Status.OPEN)
    others = live.filter(holder__in=neighbours.values("public_id")).exclude(holder=cart.public_id)
    if not holding_already:
        carts_cap = int(settings.HOLD_MAX_CARTS_PER_ADDRESS)
        if others.values("holder").distinct().count() >= carts_cap:
            raise _refuse(carts_cap, "address")
    units_cap = int(settings.HOLD_MAX_UNITS_PER_ADDRESS)
    if _units(others) + _units(mine.exclude(sku=sku)) + units > units_cap:
        raise _refuse(units_cap, "address")
    item = StockItem.objects.filter(market_id=cart.market_id, sku=sku).first()
    shelf = item.on_hand - item.allocated if item is not None else 0
    sku_cap = max(
        int(settings.HOLD_MIN_SKU_UNITS_PER_ADDRESS),
        math.floor(float(settings.HOLD_MAX_SKU_SHARE_PER_ADDRESS) * shelf),
    )
    if _units(others.filter(sku=sku)) + units > sku_cap:
        raise _refuse(sku_cap, "address")
