from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from trunkshow.inventory.models import StockItem


def in_stock_skus(*, skus: Iterable[str], market_code: str) -> set[str]:
    """Return which of `skus` have at least one unit available now in the market.

    Every quiz result asks this, so it is one prepared statement rather than
    an ORM query compiled afresh each time (the compile cost more than the read).
    """
    wanted = list(dict.fromkeys(skus))
    table = connection.ops.quote_name(StockItem._meta.db_table)
    found: set[str] = set()
    with connection.cursor() as cursor:
        # Chunks keep each statement under every backend's parameter limit.
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT sku FROM {table} "  # noqa: S608 - only placeholders are interpolated
                f"WHERE market_id = %s AND on_hand > allocated AND sku IN ({placeholders})",
                [market_code, *chunk],
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


def available_by_sku(*, skus: Iterable[str], market_code: str) -> dict[str, int]:
    """Return units available now per SKU in a market; SKUs with no stock row have 0."""
    wanted = list(skus)
    levels = dict.fromkeys(wanted, 0)
    rows = StockItem.objects.filter(sku__in=wanted, market_id=market_code).values_list(
        "sku", "on_hand", "allocated"
    )
    for sku, on_hand, allocated in rows:
        levels[sku] = max(0, on_hand - allocated)
    return levels
