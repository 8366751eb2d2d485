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


@transaction.atomic
def stock_set_shelf(*, sku: str, market_code: str, units: int) -> StockItem:
    """Make exactly `units` sellable (on hand = allocated + units): a drop's release is
    what can be sold, whatever else the warehouse counts. The row is locked first, so a
    checkout allocating at the same moment is counted, not overwritten."""
    item = StockItem.objects.select_for_update().filter(sku=sku, market_id=market_code).first()
    if item is None:
        return StockItem.objects.create(sku=sku, market_id=market_code, on_hand=max(0, units))
    on_hand = item.allocated + max(0, units)
    if item.on_hand != on_hand:
        item.on_hand = on_hand
        item.save(update_fields=["on_hand", "updated_at"])
    return item
