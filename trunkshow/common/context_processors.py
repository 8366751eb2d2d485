from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trunkshow.common.locales import current_locale
from trunkshow.common.middleware import request_market
from trunkshow.common.selectors import active_markets


def market(request: HttpRequest) -> dict[str, Any]:
    locale = current_locale()
    current = request_market(request)
    return {
        "market": current,
        "market_name": current.name(locale) if current else "",
        "locale": locale,
        "markets": [(m.code, m.name(locale), m.currency) for m in active_markets()],
    }
