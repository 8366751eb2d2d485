from __future__ import annotations

from django.db import transaction

from trunkshow.common.services import sync_row
from trunkshow.inventory.models import StockItem


@transaction.atomic
def stock_set_on_hand(*, sku: str, market_code: str, on_hand: int) -> StockItem:
    """Set the counted units of a SKU in a market (a stock take, not a sale)."""
    item, _changed = sync_row(
        StockItem, lookup={"sku": sku, "market_id": market_code}, values={"on_hand": on_hand}
    )
    return item


@transaction.atomic
def stock_set_per_shopper_limit(*, sku: str, market_code: str, limit: int | None) -> StockItem:
    """Set how many units of a SKU one shopper may hold in a market (a campaign's drop)."""
    item, _changed = sync_row(
        StockItem,
        lookup={"sku": sku, "market_id": market_code},
        values={"per_shopper_limit": limit},
    )
    return item
