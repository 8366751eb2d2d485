"""Rate limits on every write and costly read, in one table, counted by django-ratelimit.

Each request is matched against `RULES` (method, path pattern) -> a row of
settings.RATE_LIMITS; a matching request is counted twice, per client
address ("per_address", sized for a carrier's gateway many shoppers share)
and per client ("per_client": the cart in the path, else the browser
session, else the address again). Counts live in the "ratelimit" cache,
which every web process shares (Redis with REDIS_URL, files under var/
otherwise). Past a limit the API answers 429 in its one error shape with
`retry_after` and a `Retry-After` header; a page answers a translated 429
page.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

_LANG = r"^/[a-z]{2}(?:-[a-z]+)?"


@dataclass(frozen=True)
class Rule:
    methods: frozenset[str]
    pattern: re.Pattern[str]
    name: str  # a row of settings.RATE_LIMITS


def _rule(methods: str, pattern: str, name: str) -> Rule:
    return Rule(frozenset(methods.split()), re.compile(pattern), name)


WRITES = "POST PUT PATCH DELETE"

# First match wins. Paths, not URL names, so the table does not depend on how
# a router names its operations.
RULES = [
    _rule("POST", r"^/api/v1/carts/?$", "cart-create"),
    _rule("POST", r"^/api/v1/carts/(?P<cart>[^/]+)/checkout/?$", "checkout"),
    _rule(WRITES, r"^/api/v1/carts/(?P<cart>[^/]+)/", "cart-write"),
    _rule("POST", r"^/api/v1/quizzes/[^/]+/result/?$", "quiz-result"),
    _rule(WRITES, r"^/api/v1/designs", "design"),
    _rule(WRITES, r"^/api/v1/paint/", "paint"),
    _rule("GET", r"^/api/v1/designs/[^/]+/preview", "design"),
    _rule("ALL", r"^/api/v1/privacy", "privacy"),
    _rule("GET", r"^/api/v1/", "api-read"),
    _rule("POST", r"^/analytics/events/$", "beacon"),
    _rule("POST", _LANG + r"/cart/(?:add|add-design|update)/$", "cart-write"),
    _rule("POST", _LANG + r"/checkout/$", "checkout"),
    _rule("POST", _LANG + r"/quiz/[^/]+/$", "quiz-result"),
    _rule("POST", _LANG + r"/studio/", "design"),
    _rule("ALL", _LANG + r"/privacy/", "privacy"),
    _rule("POST", r"^/admin/login/$", "login"),
    _rule("POST", _LANG + r"/atelier/login/$", "login"),
]


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: str, proxies: list[str]) -> bool:
    ip = _address(address)
    if ip is None:
        return False
    for proxy in proxies:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer's, or, when the peer is a proxy listed in
    settings.TRUSTED_PROXIES, the first X-Forwarded-For hop (from the right) that
    is not one of those proxies. A header from anyone else is ignored: a client
    could write any address there."""
    peer = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = list(getattr(settings, "TRUSTED_PROXIES", []))
    if not proxies or not _trusted(peer, proxies):
        return peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [h.strip() for h in forwarded.split(",")]
    for hop in reversed([h for h in hops if h]):
        if _address(hop) is None:
            return peer  # a forged or garbled chain: count the proxy itself
        if not _trusted(hop, proxies):
            return hop
    return peer


def _match(request: HttpRequest) -> tuple[Rule, re.Match[str]] | None:
    for rule in RULES:
        if "ALL" not in rule.methods and request.method not in rule.methods:
            continue
        found = rule.pattern.match(request.path_info)
        if found:
            return rule, found
    return None


def _client_key(request: HttpRequest, found: re.Match[str]) -> str | None:
    """The cart in the path, else the browser session; None for a client with neither
    (an API client without cookies), which only its address counts."""
    cart = found.groupdict().get("cart")
    if cart:
        return f"cart:{cart[:64]}"
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None) if session is not None else None
    # Before SessionMiddleware (the API's check) the cookie itself names the
    # session: a forged one only buys a new per-client count, never a new address.
    key = key or request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")[:64]
    return f"session:{key}" if key else None


@dataclass(frozen=True)
class Verdict:
    limited: bool
    retry_after: int = 0


def check(request: HttpRequest) -> Verdict:
    """Count this request against its rule (if any); say whether it is past a limit."""
    matched = _match(request)
    if matched is None:
        return Verdict(False)
    rule, found = matched
    rates = settings.RATE_LIMITS.get(rule.name, {})
    keys = [("per_address", client_ip(request)), ("per_client", _client_key(request, found))]
    retry = 0
    for scope, value in keys:
        rate = rates.get(scope)
        if not rate or not value:
            continue
        counted: dict[str, Any] = {
            "group": f"{rule.name}:{scope}",
            "key": lambda _group, _request, value=value: value,
            "rate": rate,
        }
        # A client already past its limit is answered from a read alone: a
        # flood's refused requests cost no write to the shared cache.
        usage = get_usage(request, **counted, increment=False)
        if usage is None:
            continue
        past = usage["count"] >= usage["limit"]
        if not past:
            usage = get_usage(request, **counted, increment=True)
            past = usage is not None and usage["should_limit"]
        if past and usage is not None:
            retry = max(retry, int(usage["time_left"]) + 1)
    return Verdict(retry > 0, retry)


def limited_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429: the API's error shape under /api/, a translated page elsewhere."""
    if request.path_info.startswith("/api/"):
        import orjson

        from trunkshow.common.api_errors import ApiError

        error = ApiError(
            429,
            "rate_limited",
            f"Too many requests; try again in {retry_after} s.",
        )
        error.extra["retry_after"] = retry_after
        response = HttpResponse(
            orjson.dumps(error.body()), status=429, content_type="application/json"
        )
    else:
        response = render(
            request,
            "common/rate_limited.html",
            {
                "message": _("Too many requests from your connection. Please wait %(n)s seconds.")
                % {"n": retry_after},
                "retry_after": retry_after,
            },
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


class ApiRateLimitMiddleware:
    """The API's limits, checked first in the chain: a refused API request costs
    no session, language or CSRF work (its answer needs none of them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            verdict = check(request)
            if verdict.limited:
                return limited_response(request, verdict.retry_after)
        return self.get_response(request)


class RateLimitMiddleware:
    """The pages' limits (the API's are ApiRateLimitMiddleware's), checked once the
    page's language and session are known, so the 429 page speaks the shopper's
    language and a session counts as a client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        verdict = check(request)
        if verdict.limited:
            return limited_response(request, verdict.retry_after)
        return self.get_response(request)
