"""Rate limits on every write and costly read, in one table, counted by django-ratelimit.

Each request is matched against `RULES` (method, path pattern) -> a row of
settings.RATE_LIMITS; a matching request is counted twice, per client
address ("per_address", sized for a carrier's gateway many shoppers share)
and per client ("per_client": the cart in the path, else the browser
session, else the address again); the costly writes also per address and
second ("per_address_burst"), so a flood's minute is not spent at once.
Counts live in the "ratelimit" cache, which every web process shares and
counts atomically (Redis with REDIS_URL, diskcache's SQLite files under var/
otherwise). Past a limit the API answers
429 in its one error shape with `retry_after` and a `Retry-After` header; a
page answers a translated 429 page.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import ALL, _get_window, _make_cache_key, _split_rate, get_usage

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
    return client_ip_of(request.META)


def client_ip_of(meta: Any) -> str:
    """client_ip from a WSGI environ (or request.META)."""
    peer = str(meta.get("REMOTE_ADDR", "") or "")
    proxies = list(getattr(settings, "TRUSTED_PROXIES", []))
    if not proxies or not _trusted(peer, proxies):
        return peer
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [h.strip() for h in forwarded.split(",")]
    for hop in reversed([h for h in hops if h]):
        if _address(hop) is None:
            return peer  # a forged or garbled chain: count the proxy itself
        if not _trusted(hop, proxies):
            return hop
    return peer


def _match(request: HttpRequest) -> tuple[Rule, re.Match[str]] | None:
    return match_path(str(request.method), request.path_info)


def match_path(method: str, path: str) -> tuple[Rule, re.Match[str]] | None:
    for rule in RULES:
        if "ALL" not in rule.methods and method not in rule.methods:
            continue
        found = rule.pattern.match(path)
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


def _counted_value(
    request: object, group: str, value: str, rate: str, store: BaseCache | None = None
) -> int:
    """The count django-ratelimit keeps for this group, client and rate, read only.

    get_usage(increment=False) first tries an add() of the key (a write
    transaction in the shared store) before it reads; a flood's refused
    requests need only the read. Same key as get_usage (django-ratelimit 4.x)."""
    _limit, period = _split_rate(rate)
    key = _make_cache_key(group, _get_window(value, period), rate, value, ALL)
    count = (store or caches[settings.RATELIMIT_USE_CACHE]).get(key, 0)
    return count if isinstance(count, int) else 0


def check(request: HttpRequest) -> Verdict:
    """Count this request against its rule (if any); say whether it is past a limit.

    A client already past any of its limits is refused from reads alone (no
    count is written for a refused request); otherwise every scope is counted."""
    matched = _match(request)
    if matched is None or not getattr(settings, "RATELIMIT_ENABLE", True):
        return Verdict(False)
    rule, found = matched
    rates = settings.RATE_LIMITS.get(rule.name, {})
    address = client_ip(request)
    keys = [
        ("per_address", address),
        ("per_address_burst", address),
        ("per_client", _client_key(request, found)),
    ]
    scopes = [(f"{rule.name}:{scope}", value, rates[scope])
              for scope, value in keys if value and rates.get(scope)]  # fmt: skip
    for group, value, rate in scopes:
        limit, period = _split_rate_of(rate)
        if _counted_value(request, group, value, rate) >= limit:
            return Verdict(True, _seconds_left(value, period))
    retry = 0
    for group, value, rate in scopes:
        usage = get_usage(
            request, group=group, key=lambda _g, _r, value=value: value, rate=rate, increment=True
        )
        if usage is not None and usage["should_limit"]:
            retry = max(retry, int(usage["time_left"]) + 1)
    return Verdict(retry > 0, retry)


def refused_early(method: str, path: str, meta: Any, store: BaseCache | None = None) -> int:
    """Seconds the client must wait if it is already past an API limit that needs
    no Django to know (its address; the cart in the path), else 0.

    For the outermost layer of the web app (trunkshow/common/early_refusal.py):
    a flood past its limits is answered there from the same counts that
    `check` keeps, without Django's request handling. Counts nothing; a request
    let through is counted by ApiRateLimitMiddleware as usual."""
    if not path.startswith("/api/") or not getattr(settings, "RATELIMIT_ENABLE", True):
        return 0
    matched = match_path(method, path)
    if matched is None:
        return 0
    rule, found = matched
    rates = settings.RATE_LIMITS.get(rule.name, {})
    cart = found.groupdict().get("cart")
    keys = [
        ("per_address", client_ip_of(meta)),
        ("per_address_burst", client_ip_of(meta)),
        ("per_client", f"cart:{cart[:64]}" if cart else ""),
    ]
    for scope, value in keys:
        rate = rates.get(scope)
        if not value or not rate:
            continue
        limit, period = _split_rate_of(rate)
        if _counted_value(None, f"{rule.name}:{scope}", value, rate, store) >= limit:
            return _seconds_left(value, period)
    return 0


def _split_rate_of(rate: str) -> tuple[int, int]:
    limit, period = _split_rate(rate)
    return int(limit), int(period)


def _seconds_left(value: str, period: int) -> int:
    return max(1, int(_get_window(value, period) - time.time()) + 1)


def limited_body(retry_after: int) -> bytes:
    """The API's 429 body, in its one error shape."""
    import orjson

    return orjson.dumps({
        "code": "rate_limited",
        "message": f"Too many requests; try again in {retry_after} s.",
        "retry_after": retry_after,
    })  # fmt: skip


def limited_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429: the API's error shape under /api/, a translated page elsewhere."""
    if request.path_info.startswith("/api/"):
        response = HttpResponse(
            limited_body(retry_after), status=429, content_type="application/json"
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
    # Django's own mark for "already logged": a flood's refusals would otherwise
    # write a warning line each (tens of thousands a minute, a tenth of a refusal's
    # CPU); the 429s are what a flood is expected to get.
    response._has_been_logged = True  # type: ignore[attr-defined]
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


def count_key(request: HttpRequest, *, group: str, key: str, rate: str) -> int:
    """Count one use of `key` in `group`; return seconds to wait when past `rate`, else 0.

    For limits keyed on something the path does not carry (an e-mail address
    in a body), checked by the view that parsed it.
    """
    counted: dict[str, Any] = {"group": group, "key": lambda _g, _r: key, "rate": rate}
    usage = get_usage(request, **counted, increment=True)
    if usage is None or not usage["should_limit"]:
        return 0
    return int(usage["time_left"]) + 1
