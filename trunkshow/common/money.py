"""Money for display: amounts are Decimal, formatted per locale by Babel (CLDR)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency

_BABEL_LOCALES = {"zh-Hans": "zh_Hans_CN", "en": "en_US"}


@lru_cache(maxsize=4096)
def format_price(amount: Decimal, currency: str, locale: str) -> str:
    """Return a price as shoppers in `locale` write it, e.g. "¥1,280.00" or "$199.00"."""
    babel_locale = _BABEL_LOCALES.get(locale, locale.replace("-", "_"))
    return format_currency(amount, currency, locale=babel_locale)


def amount_str(amount: Decimal) -> str:
    """Return the API form of an amount: a string with two decimals, never a float."""
    return f"{amount.quantize(Decimal('0.01'))}"
