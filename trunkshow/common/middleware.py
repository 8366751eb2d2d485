from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
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


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY with every page.

    The pages load scripts only from the site itself (no inline script, no
    handler attributes), so an injected <script> would not run even if
    escaping ever failed somewhere. JSON answers are left as they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", policy)
        return response
