from __future__ import annotations

from django.conf import settings

from trunkshow.common.local_cache import cached
from trunkshow.common.locales import normalize_locale
from trunkshow.common.models import Market, WorkerHeartbeat


def active_markets() -> list[Market]:
    """Return the active markets in order; a snapshot at most CATALOG_CACHE_SECONDS old."""
    seconds = float(getattr(settings, "CATALOG_CACHE_SECONDS", 10))
    return cached(("common.markets",), seconds, lambda: list(Market.objects.filter(is_active=True)))


def market_by_code(code: str) -> Market | None:
    """Return the active market with this code (case-insensitive), or None."""
    wanted = code.strip().upper()
    return next((m for m in active_markets() if m.code == wanted), None)


def default_market(*, locale: str | None = None) -> Market | None:
    """Return the market a visitor without a choice lands in.

    A visitor reading English is most likely shopping in the first market
    whose language is English; otherwise the brand's first market.
    """
    markets = active_markets()
    if locale:
        wanted = normalize_locale(locale)
        for market in markets:
            if market.default_locale == wanted:
                return market
    return markets[0] if markets else None


def latest_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").first()
