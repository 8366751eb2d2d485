from __future__ import annotations

from collections.abc import Iterable

from trunkshow.inventory.models import StockItem


def in_stock_skus(*, skus: Iterable[str], market_code: str) -> set[str]:
    """Return which of `skus` have at least one unit available now in the market."""
    wanted = list(skus)
    rows = StockItem.objects.filter(sku__in=wanted, market_id=market_code).values_list(
        "sku", "on_hand", "allocated"
    )
    return {sku for sku, on_hand, allocated in rows if on_hand > allocated}


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
