from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from trunkshow.inventory.models import Reservation, StockItem
from trunkshow.inventory.reservations import with_available


def in_stock_skus(*, skus: Iterable[str], market_code: str) -> set[str]:
    """Return which of `skus` have at least one unit available now in the market."""
    wanted = list(dict.fromkeys(skus))
    found: set[str] = set()
    # Chunks keep each statement under every backend's parameter limit.
    for start in range(0, len(wanted), 500):
        # Compared here rather than in a WHERE: filtering on the annotation
        # would make Django compile, and the database run, the holds subquery
        # twice; this read sits on the quiz result's path.
        rows = with_available(
            StockItem.objects.filter(market_id=market_code, sku__in=wanted[start : start + 500])
        ).values_list("sku", "units_available")
        found.update(sku for sku, available in rows if available > 0)
    return found


def available_by_sku(*, skus: Iterable[str], market_code: str, holder: str = "") -> dict[str, int]:
    """Return units available now per SKU in a market; SKUs with no stock row have 0.

    Live reservations count against availability, except `holder`'s own (a
    cart sees the units it holds as its own).
    """
    wanted = list(skus)
    levels = dict.fromkeys(wanted, 0)
    rows = with_available(
        StockItem.objects.filter(sku__in=wanted, market_id=market_code), holder=holder
    ).values_list("sku", "units_available")
    for sku, available in rows:
        levels[sku] = max(0, available)
    return levels


def held_for(*, holder: str, sku: str, market_code: str) -> int:
    """Units of a SKU a live reservation holds for `holder` now (0 once it expired)."""
    if not holder:
        return 0
    found = Reservation.objects.filter(
        holder=holder, sku=sku, market_id=market_code, reserved_until__gt=timezone.now()
    ).values_list("quantity", flat=True)
    return int(next(iter(found), 0))


def per_shopper_limits(*, skus: Iterable[str], market_code: str) -> dict[str, int]:
    """The campaign limits that apply to these SKUs (only SKUs that have one)."""
    rows = StockItem.objects.filter(
        sku__in=list(skus), market_id=market_code, per_shopper_limit__isnull=False
    ).values_list("sku", "per_shopper_limit")
    return {sku: limit for sku, limit in rows if limit is not None}
