from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trunkshow.common.locales import current_locale
from trunkshow.common.selectors import active_markets


def market(request: HttpRequest) -> dict[str, Any]:
    locale = current_locale()
    current = getattr(request, "market", None)
    return {
        "market": current,
        "market_name": current.name(locale) if current else "",
        "locale": locale,
        "markets": [(m.code, m.name(locale), m.currency) for m in active_markets()],
    }
