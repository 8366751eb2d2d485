"""What the shop window shows: catalog cards joined with stock for one market."""

from __future__ import annotations

from dataclasses import dataclass

from trunkshow.catalog.selectors import (
    ProductCard,
    VariantCard,
    sellable_product,
    sellable_products,
)
from trunkshow.inventory.selectors import available_by_sku


@dataclass(frozen=True)
class ShelfItem:
    product: ProductCard
    lead: VariantCard
    available: dict[str, int]

    @property
    def in_stock(self) -> bool:
        return self.available.get(self.lead.sku, 0) > 0


def _lead_variant(card: ProductCard, available: dict[str, int]) -> VariantCard:
    """Show the first colour a shopper can buy now; the first colour if none can."""
    for variant in card.variants:
        if available.get(variant.sku, 0) > 0:
            return variant
    return card.variants[0]


def _shelve(cards: list[ProductCard], market_code: str, holder: str = "") -> list[ShelfItem]:
    skus = [v.sku for card in cards for v in card.variants]
    available = available_by_sku(skus=skus, market_code=market_code, holder=holder)
    return [
        ShelfItem(
            product=card,
            lead=_lead_variant(card, available),
            available={v.sku: available[v.sku] for v in card.variants},
        )
        for card in cards
    ]


def shelf(*, market_code: str, locale: str, kind: str | None = None) -> list[ShelfItem]:
    return _shelve(
        sellable_products(market_code=market_code, locale=locale, kind=kind), market_code
    )


def shelf_item(*, slug: str, market_code: str, locale: str, holder: str = "") -> ShelfItem | None:
    """One product with its stock; `holder`'s own reservations count as available to them
    (a shopper holding the last one is not told it is sold out)."""
    card = sellable_product(slug=slug, market_code=market_code, locale=locale)
    return _shelve([card], market_code, holder)[0] if card else None
