"""Cart services: every line is held in stock for the cart while it lives."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trunkshow.catalog.selectors import sellable_skus
from trunkshow.commerce import line_rules
from trunkshow.commerce.holds import holds_check, holds_lock
from trunkshow.commerce.models import Cart, CartLine, LineMode
from trunkshow.commerce.shoppers import held_or_bought_elsewhere
from trunkshow.common.errors import Conflict, Invalid
from trunkshow.common.models import Market
from trunkshow.inventory.reservations import (
    reservation_set,
)
from trunkshow.studio.models import Design

MAX_LINE_QUANTITY = 10
MAX_LINES = 50


def quantity_problem(quantity: object, *, minimum: int) -> str | None:
    """Return why `quantity` cannot be a line's quantity (the bag page and the API share it)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        quantity = None
    if quantity is None or not minimum <= quantity <= MAX_LINE_QUANTITY:
        return _("Choose a quantity from %(min)s to %(n)s.") % {
            "min": minimum,
            "n": MAX_LINE_QUANTITY,
        }
    return None


class CartClosed(Conflict):
    code = "cart_closed"


def cart_create(
    *,
    market: Market,
    locale: str = "",
    session_key: str = "",
    client_address: str = "",
    visitor_id: str = "",
) -> Cart:
    return Cart.objects.create(
        market=market,
        locale=locale,
        session_key=session_key,
        client_address=client_address[:64],
        visitor_id=visitor_id[:64],
    )


def _require_open(cart: Cart) -> None:
    if cart.status != Cart.Status.OPEN:
        raise CartClosed(_("This cart has been checked out; start a new one."))


def cart_line_set(
    *, cart: Cart, sku: str, quantity: int, add: bool = True, ticket: str | None = None
) -> CartLine | None:
    """Add `quantity` of a SKU (or set it, with add=False) and hold it in stock.

    Raises Invalid for an unknown SKU or a quantity out of range, CartClosed,
    Conflict for too many lines, and InsufficientStock (nothing changed) when
    the units are not there.
    """
    _require_open(cart)
    removing = quantity <= 0 and not add
    if not removing and sku not in sellable_skus(market_code=cart.market_id):
        raise Invalid.field(
            "sku",
            _("%(sku)s is not sold in %(market)s.") % {"sku": sku[:64], "market": cart.market_id},
        )
    return _line_set(cart=cart, sku=sku, design=None, quantity=quantity, add=add, ticket=ticket)


def cart_design_add(
    *, cart: Cart, design: Design, quantity: int, ticket: str | None = None
) -> CartLine | None:
    """Put a bag made to a design in the cart, in the design's mode, at its price.

    The blank bag it is made on is held in stock like any bag.
    """
    _require_open(cart)
    if design.market_id != cart.market_id:
        raise Invalid.field(
            "design_id",
            _("This design was priced for %(design)s; the cart is in %(cart)s.")
            % {"design": design.market_id, "cart": cart.market_id},
        )
    return _line_set(
        cart=cart,
        sku=design.sku,
        design=design,
        quantity=quantity,
        add=True,
        ticket=ticket,
    )


def cart_design_set(*, cart: Cart, design: Design, quantity: int) -> CartLine | None:
    _require_open(cart)
    return _line_set(cart=cart, sku=design.sku, design=design, quantity=quantity, add=False)


def _line_set(
    *,
    cart: Cart,
    sku: str,
    design: Design | None,
    quantity: int,
    add: bool,
    ticket: str | None = None,
) -> CartLine | None:
    with transaction.atomic():
        cart = Cart.objects.select_for_update().get(pk=cart.pk)
        _require_open(cart)
        holds_lock(cart=cart)
        line = CartLine.objects.filter(cart=cart, sku=sku, design=design).first()
        new_quantity = (line.quantity if line and add else 0) + quantity
        if new_quantity > MAX_LINE_QUANTITY:
            raise Invalid.field(
                "quantity", _("At most %(n)s of one item per order.") % {"n": MAX_LINE_QUANTITY}
            )
        if line is None and new_quantity > 0 and cart.lines.count() >= MAX_LINES:
            raise Conflict(
                _("At most %(n)s lines in a cart.") % {"n": MAX_LINES}, code="too_many_lines"
            )
        taking_over: tuple[str, ...] = ()
        if new_quantity > (line.quantity if line else 0):
            # Rules of the apps above (a drop not open yet) are asked before a unit is held.
            taking_over = line_rules.check(
                line_rules.LineRequest(
                    market_code=cart.market_id,
                    sku=sku,
                    quantity=new_quantity,
                    holder=cart.public_id,
                    ticket=ticket,
                    now=timezone.now(),
                )
            )
        # One hold per SKU for the whole cart: bags as sold and bags made on
        # the same blank draw on the same units.
        others = sum(
            other.quantity
            for other in CartLine.objects.filter(cart=cart, sku=sku)
            if line is None or other.pk != line.pk
        )
        # Raises HoldLimit, changing nothing, past a cap on one client's holds.
        holds_check(cart=cart, sku=sku, units=others + max(0, new_quantity))
        reservation_set(
            holder=cart.public_id,
            market_code=cart.market_id,
            lines=[(sku, others + max(0, new_quantity))],
            elsewhere=lambda skus: held_or_bought_elsewhere(cart, skus),
            taking_over=taking_over,
        )
        if new_quantity <= 0:
            if line is not None:
                line.delete()
            cart.save(update_fields=["updated_at"])
            return None
        if line is None:
            line = CartLine.objects.create(
                cart=cart,
                sku=sku,
                design=design,
                mode=design.mode if design is not None else LineMode.STANDARD,
                quantity=new_quantity,
            )
        else:
            line.quantity = new_quantity
            line.save(update_fields=["quantity"])
        cart.save(update_fields=["updated_at"])
    return line


def cart_line_remove(*, cart: Cart, sku: str) -> None:
    cart_line_set(cart=cart, sku=sku, quantity=0, add=False)
