from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.db import connection
from django.utils import timezone

from trunkshow.common.db import fetch_rows
from trunkshow.inventory.models import Reservation, StockItem
from trunkshow.inventory.reservations import live_held_by_others


@lru_cache(maxsize=64)
def _in_stock_sql(count: int) -> str:
    table = connection.ops.quote_name(StockItem._meta.db_table)
    held = connection.ops.quote_name(Reservation._meta.db_table)
    placeholders = ", ".join(["%s"] * count)
    return (
        f"SELECT s.sku FROM {table} s "  # noqa: S608 - only placeholders are interpolated
        f"WHERE s.market_id = %s AND s.sku IN ({placeholders}) AND s.on_hand > s.allocated"
        f" + COALESCE((SELECT SUM(r.quantity) FROM {held} r WHERE r.sku = s.sku"
        " AND r.market_id = s.market_id AND r.reserved_until > %s), 0)"
    )


def in_stock_skus(*, skus: Iterable[str], market_code: str) -> set[str]:
    """Return which of `skus` have at least one unit available now in the market.

    Every quiz result asks this, so it is one prepared statement rather than
    an ORM query compiled afresh each time (the compile cost more than the read).
    """
    wanted = list(dict.fromkeys(skus))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found: set[str] = set()
    # Chunks keep each statement under every backend's parameter limit.
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = fetch_rows(_in_stock_sql(len(chunk)), [market_code, *chunk, now])
        found.update(row[0] for row in rows)
    return found


def available_by_sku(*, skus: Iterable[str], market_code: str, holder: str = "") -> dict[str, int]:
    """Return units available now per SKU in a market; SKUs with no stock row have 0.

    Live reservations count against availability, except `holder`'s own (a
    cart sees the units it holds as its own).
    """
    wanted = list(skus)
    levels = dict.fromkeys(wanted, 0)
    rows = (
        StockItem.objects.filter(sku__in=wanted, market_id=market_code)
        .annotate(held=live_held_by_others(holder=holder, now=timezone.now()))
        .values_list("sku", "on_hand", "allocated", "held")
    )
    for sku, on_hand, allocated, held in rows:
        levels[sku] = max(0, on_hand - allocated - held)
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
