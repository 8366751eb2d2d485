"""What an order costs: subtotal, shipping, taxes and duties, as each market's data says.

A market's convention is data: in China prices include VAT, so nothing is
added at checkout; in the United States the demo collects no sales tax or
duties. A market that adds tax at checkout sets `rate` (of the goods and
shipping), and the checkout page, the order, its e-mail and the API all
show the same amount, because they all take it from here. The tax of an
order is its total less its subtotal and shipping, so no column stores it
twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class TaxConvention:
    included_in_prices: bool
    rate: Decimal = Decimal("0")  # added on top of goods and shipping when not included


TAXES = {
    "CN": TaxConvention(included_in_prices=True),
    "US": TaxConvention(included_in_prices=False),
}
NO_TAX = TaxConvention(included_in_prices=False)


def tax_convention(market_code: str) -> TaxConvention:
    return TAXES.get(market_code, NO_TAX)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    tax: Decimal
    total: Decimal
    tax_included: bool


def order_totals(*, subtotal: Decimal, shipping: Decimal, market_code: str) -> Totals:
    """Return what the shopper pays, to the cent."""
    convention = tax_convention(market_code)
    tax = Decimal("0")
    if not convention.included_in_prices and convention.rate:
        tax = ((subtotal + shipping) * convention.rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return Totals(
        subtotal=subtotal,
        shipping=shipping,
        tax=tax,
        total=subtotal + shipping + tax,
        tax_included=convention.included_in_prices,
    )
