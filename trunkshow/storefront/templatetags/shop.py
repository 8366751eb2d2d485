from __future__ import annotations

from django import template

from trunkshow.catalog.selectors import VariantCard
from trunkshow.common.locales import current_locale
from trunkshow.common.money import format_price

register = template.Library()


@register.filter
def price(variant: VariantCard) -> str:
    """Render a variant's price as the current locale writes its market's currency."""
    return format_price(variant.amount, variant.currency, current_locale())


@register.filter
def stock_of(available: dict[str, int], sku: str) -> int:
    return available.get(sku, 0)
