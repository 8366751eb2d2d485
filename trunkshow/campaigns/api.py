"""The campaign API: what a market shows now, for apps and mini-programs."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from trunkshow.analytics.models import Kind
from trunkshow.analytics.services import record_request_event
from trunkshow.campaigns.selectors import CampaignView, campaign_showing, campaign_stock_of
from trunkshow.campaigns.waiting_room import drop_sold_out, ticket_issue, ticket_state
from trunkshow.common.api_errors import ApiError, resolve_market_and_locale
from trunkshow.common.asgi_limit import received_at
from trunkshow.common.locales import to_django

router = Router(tags=["campaigns"])


class MomentOut(Schema):
    kind: str
    at: str
    at_local: str
    seconds: int


class HeroOut(Schema):
    text: str
    image_url: str
    video_url: str


class MoneyOut(Schema):
    amount: str
    currency: str


class DropItemOut(Schema):
    sku: str
    title: str
    price: MoneyOut
    available: int
    product_slug: str
    image_url: str


class DropOut(Schema):
    id: int
    title: str
    opens_at: str
    status: str
    per_shopper_limit: int
    waiting_room: bool
    items: list[DropItemOut]


class PinOut(Schema):
    sku: str
    pinned_at: str


class TimelineOut(Schema):
    sku: str
    pinned_at: str
    unpinned_at: str | None
    from_s: float
    to_s: float | None


class StreamOut(Schema):
    id: int
    title: str
    status: str
    hls_url: str
    poster_url: str
    scheduled_at: str
    started_at: str | None
    events_url: str
    pinned: list[PinOut]
    timeline: list[TimelineOut]


class CampaignOut(Schema):
    slug: str
    title: str
    status: str
    market: str
    time_zone: str
    starts_at: str
    ends_at: str
    starts_at_local: str
    ends_at_local: str
    server_time: str
    next_moment: MomentOut | None
    hero: HeroOut
    quiz_slug: str | None
    page_url: str
    drops: list[DropOut]
    streams: list[StreamOut]


def _iso(value: Any) -> str:
    return str(value.isoformat())


def campaign_out(request: HttpRequest, view: CampaignView) -> dict[str, Any]:
    def absolute(url: str) -> str:
        return request.build_absolute_uri(url) if url else ""

    moment = view.moment
    with translation.override(to_django(view.locale)):
        page = reverse("campaign", args=[view.slug])
    return {
        "slug": view.slug,
        "title": view.title,
        "status": str(view.status),
        "market": view.window.market,
        "time_zone": view.time_zone,
        "starts_at": _iso(view.window.starts_at),
        "ends_at": _iso(view.window.ends_at),
        "starts_at_local": _iso(view.starts_local),
        "ends_at_local": _iso(view.ends_local),
        "server_time": _iso(view.now),
        "next_moment": {
            "kind": str(moment.kind),
            "at": _iso(moment.at),
            "at_local": _iso(view.moment_local),
            "seconds": view.seconds_left,
        }
        if moment is not None
        else None,
        "hero": {
            "text": view.hero_text,
            "image_url": absolute(view.campaign.hero_image_url),
            "video_url": absolute(view.campaign.hero_video_url),
        },
        "quiz_slug": view.campaign.quiz_slug,
        "page_url": absolute(page),
        "drops": view.drops,
        "streams": [
            {
                **stream,
                "hls_url": absolute(stream["hls_url"]),
                "poster_url": absolute(stream["poster_url"]),
                "events_url": absolute(reverse("stream-events", args=[stream["id"]])),
            }
            for stream in view.streams
        ],
    }


@router.get(
    "/campaigns/current",
    response=CampaignOut,
    summary="The campaign a market shows now: teaser, live, or ended (7 days of archive)",
)
def current_campaign(
    request: HttpRequest, market: str | None = None, locale: str | None = None
) -> dict[str, Any]:
    market_code, resolved_locale = resolve_market_and_locale(market, locale)
    view = campaign_showing(market_code=market_code, locale=resolved_locale)
    if view is None:
        raise ApiError(
            404, "no_campaign", _("No campaign in market %(market)s now.") % {"market": market_code}
        )
    return campaign_out(request, view)


class StockItemOut(Schema):
    sku: str
    available: int


class DropStockOut(Schema):
    id: int
    status: str
    items: list[StockItemOut]


class StockOut(Schema):
    server_time: str
    drops: list[DropStockOut]


STOCK_SECONDS = 2


@router.get(
    "/campaigns/{slug}/stock",
    response=StockOut,
    summary="The campaign's drops' live stock and status in a market (cached for 2 s)",
    url_name="campaign-stock",
)
def campaign_stock(request: HttpRequest, slug: str, market: str | None = None) -> Any:
    # Every page open on campaign day asks this every few seconds: one answer per
    # campaign and market is shared for STOCK_SECONDS through the cache (Redis in
    # production), so thousands of viewers cost one stock read every 2 s, plus a cache
    # read each. The browser may keep it as long.
    if len(slug) > 60 or (market is not None and not _market_code_shape(market)):
        raise ApiError.unprocessable([(["query", "market"], _("Not a market code."))])
    market_code, _locale = resolve_market_and_locale(market, None)
    key = f"campaign-stock:{slug}:{market_code}"
    body = cache.get(key)
    if body is None:
        body = campaign_stock_of(slug=slug, market_code=market_code)
        if body is None:
            raise ApiError(
                404, "no_campaign", _("No campaign %(slug)s in this market.") % {"slug": slug}
            )
        cache.set(key, body, STOCK_SECONDS)
    response = JsonResponse(body)
    response["Cache-Control"] = f"public, max-age={STOCK_SECONDS}"
    return response


class TicketOut(Schema):
    ticket: str
    position: int
    estimated_wait_s: int
    estimated_wait_ms: int
    admitted: bool
    admitted_at: str
    expires_at: str
    rank: int
    set_aside: dict[str, int]


class TicketStateOut(Schema):
    position: int
    admitted: bool
    expired: bool
    estimated_wait_s: int
    estimated_wait_ms: int
    sold_out: bool
    admitted_at: str
    expires_at: str
    rank: int
    set_aside: dict[str, int]


@router.post(
    "/drops/{drop_id}/tickets",
    response={201: TicketOut},
    summary="Take a place in a drop's waiting room (admitted in the order of arrival)",
)
def take_ticket(
    request: HttpRequest, drop_id: int, cart_id: str | None = None, market: str | None = None
) -> Status[dict[str, Any]]:
    if cart_id is not None and len(cart_id) > 64:
        raise ApiError.unprocessable([(["query", "cart_id"], _("Not a cart id."))])
    if market is not None and not _market_code_shape(market):
        raise ApiError.unprocessable([(["query", "market"], _("Not a market code."))])
    state = ticket_issue(
        drop_id=drop_id, holder=cart_id or "", market_code=market, arrived_at=received_at(request)
    )
    record_request_event(request, Kind.DROP_TICKET, ref=str(drop_id))
    return Status(
        201,
        {
            "ticket": state.ticket,
            "position": state.position,
            "estimated_wait_s": state.estimated_wait_s,
            "estimated_wait_ms": state.estimated_wait_ms,
            "admitted": state.admitted,
            "admitted_at": _iso(state.admitted_at),
            "expires_at": _iso(state.expires_at),
            "rank": state.rank,
            "set_aside": state.set_aside or {},
        },
    )


@router.get(
    "/drops/{drop_id}/tickets/{ticket}",
    response=TicketStateOut,
    summary="A ticket's place in the waiting room: position, admitted",
    url_name="drop-ticket",
)
def read_ticket(
    request: HttpRequest, drop_id: int, ticket: str, market: str | None = None
) -> dict[str, Any]:
    if market is not None and not _market_code_shape(market):
        raise ApiError.unprocessable([(["query", "market"], _("Not a market code."))])
    state = ticket_state(drop_id=drop_id, ticket=ticket)
    return {
        "position": state.position,
        "admitted": state.admitted,
        "expired": state.expired,
        "estimated_wait_s": state.estimated_wait_s,
        "estimated_wait_ms": state.estimated_wait_ms,
        "sold_out": drop_sold_out(drop_id=drop_id, market_code=market),
        "admitted_at": _iso(state.admitted_at),
        "expires_at": _iso(state.expires_at),
        "rank": state.rank,
        "set_aside": state.set_aside or {},
    }


def _market_code_shape(market: str) -> bool:
    return 0 < len(market) <= 8 and market.isascii() and market.isalpha()
