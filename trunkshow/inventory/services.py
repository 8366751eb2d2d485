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
