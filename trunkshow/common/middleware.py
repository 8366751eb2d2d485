from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from trunkshow.common.locales import current_locale
from trunkshow.common.models import Market
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
        # Lazy: health checks and API calls that name their market never pay for it.
        request.market = SimpleLazyObject(lambda: self._market(request))  # type: ignore[attr-defined]
        return self.get_response(request)

    @staticmethod
    def _market(request: HttpRequest) -> Market | None:
        chosen = request.COOKIES.get(MARKET_COOKIE, "")
        market = market_by_code(chosen) if chosen and len(chosen) <= 8 else None
        return market or default_market(locale=current_locale())


def request_market(request: HttpRequest) -> Market | None:
    """Return the shopper's market as a plain Market, or None when none is configured."""
    lazy = getattr(request, "market", None)
    if not lazy:  # a lazy None is falsy too
        return None
    return market_by_code(lazy.code)
