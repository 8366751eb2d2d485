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

A cart takes the e-mail given at its checkout. From then on its holds also
count per e-mail, whichever address or session each cart came from: the
e-mail's open carts with holds and its unpaid orders together keep at most
HOLD_MAX_CARTS_PER_EMAIL carts and HOLD_MAX_UNITS_PER_EMAIL units, checked
when a line is added and again at checkout (`email_holds_check`).

Past a cap the request changes nothing and raises HoldLimit (the API's 409
`{code: "hold_limit", limit}`). Lowering a quantity is never refused.

Counting and then holding is check-then-insert: the caller takes
`holds_lock` first, so two carts of one address, session or e-mail at the
same instant are counted one after the other and exactly a cap's worth pass.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from trunkshow.commerce.models import Cart, Order, OrderLine
from trunkshow.common.errors import Conflict
from trunkshow.common.locks import lock_names
from trunkshow.inventory.models import Reservation, StockItem


class HoldLimit(Conflict):
    code = "hold_limit"


def holds_lock(*, cart: Cart, emails: tuple[str, ...] = (), email_only: bool = False) -> None:
    """Inside the transaction that counts and then writes holds, after the cart's
    own row lock and before any stock row's: wait for every other request that
    counts the same address, session or e-mail (PostgreSQL advisory locks, let go
    at the end of the transaction). A checkout counts only the e-mail's caps, so
    it need not queue behind the carrier address it shares with strangers."""
    lock_names(
        f"holds:address:{cart.client_address}" if cart.client_address and not email_only else "",
        f"holds:session:{cart.session_key}" if cart.session_key and not email_only else "",
        *(f"holds:email:{e.strip().lower()}" for e in (cart.email, *emails) if e),
    )


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
    if cart.email and not holding_already:
        _email_cap(cart=cart, email=cart.email, units=0, new_holder=True)
    if cart.email:
        _email_cap(cart=cart, email=cart.email, units=_units(mine.exclude(sku=sku)) + units)
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


def _email_holding(*, cart: Cart, email: str) -> tuple[int, int]:
    """(carts, units) this e-mail holds apart from `cart`: its other open carts with
    live holds, and its orders allocated but not yet paid."""
    live = Reservation.objects.filter(reserved_until__gt=timezone.now(), market_id=cart.market_id)
    carts = Cart.objects.filter(email=email, status=Cart.Status.OPEN).exclude(pk=cart.pk)
    held = live.filter(holder__in=carts.values("public_id"))
    unpaid = Order.objects.filter(
        email=email, market_id=cart.market_id, status=Order.Status.PENDING_PAYMENT
    ).exclude(cart=cart)
    count = held.values("holder").distinct().count() + unpaid.count()
    units = _units(held) + _units(OrderLine.objects.filter(order__in=unpaid))
    return count, units


def _email_cap(*, cart: Cart, email: str, units: int, new_holder: bool = False) -> None:
    others, held = _email_holding(cart=cart, email=email)
    if new_holder:
        carts_cap = int(settings.HOLD_MAX_CARTS_PER_EMAIL)
        if others >= carts_cap:
            raise _refuse_email(carts_cap)
        return
    units_cap = int(settings.HOLD_MAX_UNITS_PER_EMAIL)
    if held + units > units_cap:
        raise _refuse_email(units_cap)


def _refuse_email(limit: int) -> HoldLimit:
    return HoldLimit(
        _(
            "Your other bags under this e-mail already hold as much as one shopper "
            "may (%(limit)s). Check out or empty them first."
        )
        % {"limit": limit},
        limit=limit,
        scope="email",
        field="email",
    )


def email_holds_check(*, cart: Cart, email: str, units: int) -> None:
    """At checkout, with `cart` locked: raise HoldLimit if this e-mail's other carts
    and unpaid orders, with this cart's `units`, pass the e-mail's caps."""
    _email_cap(cart=cart, email=email, units=0, new_holder=True)
    _email_cap(cart=cart, email=email, units=units)
