"""What an order costs: subtotal, shipping, taxes and duties, as each market's data says.

A market's convention is data (Market.prices_include_tax, Market.tax_rate):
in China and Japan prices include the tax, so nothing is added at checkout;
in the United States the demo collects no sales tax or duties. A market
that adds tax at checkout sets `rate` (of the goods and shipping), and the
checkout page, the order, its e-mail and the API all show the same amount,
because they all take it from here. The tax of an order is its total less
its subtotal and shipping, so no column stores it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from trunkshow.common.money import smallest_unit
from trunkshow.common.selectors import market_by_code


@dataclass(frozen=True)
class TaxConvention:
    included_in_prices: bool
    rate: Decimal = Decimal("0")  # added on top of goods and shipping when not included


NO_TAX = TaxConvention(included_in_prices=False)


def tax_convention(market_code: str) -> TaxConvention:
    market = market_by_code(market_code)
    if market is None:
        return NO_TAX
    return TaxConvention(included_in_prices=market.prices_include_tax, rate=market.tax_rate)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    tax: Decimal
    total: Decimal
    tax_included: bool


def order_totals(*, subtotal: Decimal, shipping: Decimal, market_code: str) -> Totals:
    """Return what the shopper pays, to the smallest unit of the market's currency."""
    convention = tax_convention(market_code)
    tax = Decimal("0")
    if not convention.included_in_prices and convention.rate:
        market = market_by_code(market_code)
        unit = smallest_unit(market.currency) if market else Decimal("0.01")
        tax = ((subtotal + shipping) * convention.rate).quantize(unit, rounding=ROUND_HALF_UP)
    return Totals(
        subtotal=subtotal,
        shipping=shipping,
        tax=tax,
        total=subtotal + shipping + tax,
        tax_included=convention.included_in_prices,
    )
