"""Drops: SKUs a campaign releases at an instant. Before it, they cannot be put in a cart.

The rule is registered with commerce (`commerce/line_rules.py`) in AppConfig.ready,
so commerce, below campaigns, never imports them. The instant is the server's clock,
to the second: a phone's clock cannot open a drop early.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trunkshow.campaigns.models import Drop, DropItem
from trunkshow.campaigns.waiting_room import require_admitted, ticket_held
from trunkshow.catalog.selectors import offers_by_sku
from trunkshow.commerce.line_rules import LineRequest
from trunkshow.common.errors import Conflict
from trunkshow.common.locales import localized
from trunkshow.common.money import amount_str
from trunkshow.inventory.selectors import available_by_sku


class DropNotOpen(Conflict):
    code = "drop_not_open"


def drop_opening(*, sku: str, market_code: str, now: datetime) -> datetime | None:
    """Return when the first drop holding `sku` in this market opens, if it has not yet."""
    opens_at: datetime | None = (
        DropItem.objects.filter(
            sku=sku,
            drop__opens_at__gt=now,
            drop__campaign__windows__market_id=market_code,
        )
        .order_by("drop__opens_at")
        .values_list("drop__opens_at", flat=True)
        .first()
    )
    return opens_at


def drop_rule(request: LineRequest) -> tuple[str, ...]:
    """Refuse a drop's SKU before the drop opens (409 `drop_not_open` with `opens_at`), and
    after it without an admitted ticket of its waiting room (409 `not_admitted`, 410
    `ticket_expired`, 422 naming `ticket` if forged); with one, the units set aside for
    it are the cart's to take over."""
    opens_at = drop_opening(sku=request.sku, market_code=request.market_code, now=request.now)
    if opens_at is not None:
        raise DropNotOpen(
            f"{request.sku} is released in a drop at {opens_at.isoformat()}; "
            "it cannot be added before.",
            opens_at=opens_at.isoformat(),
        )
    rooms = list(
        Drop.objects.filter(
            items__sku=request.sku,
            waiting_room=True,
            campaign__windows__market_id=request.market_code,
        ).order_by("-opens_at")
    )
    if rooms:
        return require_admitted(drops=rooms, ticket=request.ticket, now=request.now)
    return ()


def drops_of(
    *, campaign_pk: int, market_code: str, locale: str, now: datetime
) -> tuple[list[dict[str, Any]], list[datetime]]:
    """Return the campaign's drops as the API and the page show them in a market, and
    the instants they open."""
    drops = list(Drop.objects.filter(campaign_id=campaign_pk).prefetch_related("items"))
    skus = [item.sku for drop in drops for item in drop.items.all()]
    offers = offers_by_sku(skus=skus, market_code=market_code, locale=locale)
    available = available_by_sku(skus=skus, market_code=market_code)
    # Units set aside for admitted tickets may come back if unused: not sold out yet.
    set_aside = ticket_held(skus=skus, markets=[market_code]) if skus else {}
    out = []
    for drop in drops:
        items: list[dict[str, Any]] = [
            {
                "sku": item.sku,
                "title": offers[item.sku].title,
                "product_slug": offers[item.sku].product_slug,
                "image_url": offers[item.sku].image_url,
                "price": {
                    "amount": amount_str(offers[item.sku].amount, offers[item.sku].currency),
                    "currency": offers[item.sku].currency,
                },
                "available": available.get(item.sku, 0),
            }
            for item in drop.items.all()
            if item.sku in offers  # a SKU not sold in this market is not shown there
        ]
        if now < drop.opens_at:
            status = "upcoming"
        elif items and all(i["available"] <= 0 and not set_aside.get(i["sku"]) for i in items):
            status = "sold_out"
        else:
            status = "open"
        out.append(
            {
                "id": drop.pk,
                "title": localized(drop.titles, locale),
                "opens_at": drop.opens_at.isoformat(),
                "status": status,
                "per_shopper_limit": drop.per_shopper_limit,
                "waiting_room": drop.waiting_room,
                "items": items,
            }
        )
    return out, [drop.opens_at for drop in drops]
