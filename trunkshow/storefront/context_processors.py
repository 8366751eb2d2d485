from __future__ import annotations

from django.db.models import Sum
from django.http import HttpRequest

from trunkshow.commerce.models import CartLine


def bag(request: HttpRequest) -> dict[str, int]:
    """How many items are in the shopper's bag (no query for a visitor without one)."""
    session = getattr(request, "session", None)
    cart_id = session.get("cart_id") if session is not None else None
    if not isinstance(cart_id, str):
        return {"bag_count": 0}
    total = CartLine.objects.filter(cart__public_id=cart_id, cart__status="open").aggregate(
        n=Sum("quantity")
    )["n"]
    return {"bag_count": total or 0}
