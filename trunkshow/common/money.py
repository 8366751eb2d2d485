"""Money for display: amounts are Decimal, formatted per locale by Babel (CLDR)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision

_BABEL_LOCALES = {"zh-Hans": "zh_Hans_CN", "en": "en_US"}


@lru_cache(maxsize=4096)
def format_price(amount: Decimal, currency: str, locale: str) -> str:
    """Return a price as shoppers in `locale` write it, e.g. "¥1,280.00" or "$199.00"."""
    babel_locale = _BABEL_LOCALES.get(locale, locale.replace("-", "_"))
    return format_currency(amount, currency, locale=babel_locale)


@lru_cache(maxsize=256)
def minor_units(currency: str) -> int:
    """Return the digits after the point of a currency (CNY 2, JPY 0, KWD 3), from
    Babel's ISO 4217 data: a new market's currency needs no code."""
    return int(get_currency_precision(currency.upper()))


@lru_cache(maxsize=256)
def smallest_unit(currency: str) -> Decimal:
    """Return the currency's smallest amount as a Decimal quantum (0.01, 1, 0.001)."""
    return Decimal(1).scaleb(-minor_units(currency))


def amount_str(amount: Decimal, currency: str) -> str:
    """Return the API form of an amount: a string with the currency's minor units
    ("1280.00" CNY, "18000" JPY), never a float."""
    return f"{amount.quantize(smallest_unit(currency))}"
