from __future__ import annotations

from collections.abc import Callable

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from trunkshow.common.locales import accepted_locale, current_locale, normalize_locale, to_django
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


API_PREFIX = "/api/"
API_DEFAULT_LOCALE = "en"
# A body larger than this is not looked into for its locale (it is refused or
# streamed elsewhere; its messages are then in the query's or header's language).
_LOCALE_PEEK_BYTES = 64 * 1024


def api_locale(request: HttpRequest) -> str:
    """The language the API answers this request in.

    The request's own `locale` (query, else a JSON body's top-level field), else
    the first shop language Accept-Language names, else English. A locale the
    shop does not speak is skipped here (the endpoint itself may refuse it, in
    the language found next). A language cookie the site set is not consulted:
    an API client says what it wants.
    """
    asked = request.GET.get("locale", "")
    found = normalize_locale(asked[:35]) if asked else None
    if found is None and request.method in {"POST", "PUT", "PATCH"}:
        found = _body_locale(request)
    if found is None:
        found = accepted_locale(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    return found or API_DEFAULT_LOCALE


def _body_locale(request: HttpRequest) -> str | None:
    if not (request.content_type or "").endswith("json"):
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= _LOCALE_PEEK_BYTES:
        return None
    try:
        data = orjson.loads(request.body)
    except (orjson.JSONDecodeError, ValueError):
        return None  # the API itself says what is wrong with the body
    locale = data.get("locale") if isinstance(data, dict) else None
    return normalize_locale(locale[:35]) if isinstance(locale, str) else None


class ApiLocaleMiddleware:
    """Answer every API request, messages included, in the request's language.

    Runs after LocaleMiddleware, which picks a page's language from its URL;
    the API's URLs carry none, so this activates `api_locale(request)` for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        language = to_django(api_locale(request))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
