from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from trunkshow.common.locales import current_locale
from trunkshow.common.selectors import default_market, market_by_code

MARKET_COOKIE = "trunkshow_market"


class MarketMiddleware:
    """Attach the shopper's market to the request.

    The shopper's own choice (a cookie) wins; without one, the market that
    speaks the page's language. Runs after LocaleMiddleware so the language
    of the URL is known.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(MARKET_COOKIE, "")
        market = market_by_code(chosen) if chosen and len(chosen) <= 8 else None
        request.market = market or default_market(locale=current_locale())  # type: ignore[attr-defined]
        return self.get_response(request)
