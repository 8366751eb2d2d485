"""Livestreams: going on air, pinning products live, the pin timeline a replay follows.

Writes (`stream_*`, `staff_token_*`) run inside `transaction.atomic()` and raise domain
errors; reads (`stream_*_of`, `pins_changed_after`) only read. Every pin or unpin bumps
the stream's change sequence (`StreamPin.changed_seq`, under the stream row's lock), so a
viewer's event stream asks one indexed question: "what changed after N?".
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone, translation

from trunkshow.campaigns.models import (
    CampaignWindow,
    StaffApiToken,
    Stream,
    StreamAudience,
    StreamPin,
)
from trunkshow.campaigns.stream_announce import announce_change
from trunkshow.catalog.selectors import offers_by_sku, sellable_skus
from trunkshow.common.errors import Conflict, Invalid, NotFound
from trunkshow.common.locales import localized, to_django
from trunkshow.common.money import amount_str

SKU_MAX = 64


@dataclass(frozen=True)
class PinChange:
    seq: int
    kind: str  # "pin" | "unpin"
    sku: str
    pinned_at: datetime
    unpinned_at: datetime | None


def _locked_stream(stream_id: int) -> Stream:
    stream = Stream.objects.select_for_update().filter(pk=stream_id).first()
    if stream is None:
        raise NotFound(f"No stream {stream_id}.", code="unknown_stream")
    return stream


def _next_seq(stream: Stream) -> int:
    last = stream.pins.aggregate(last=Max("changed_seq"))["last"]
    return int(last or 0) + 1


def stream_pin(*, stream_id: int, sku: str, now: datetime | None = None) -> StreamPin:
    """Pin `sku` on the stream; it must be sold in a market the campaign runs in.

    Pinning what is already pinned returns that pin unchanged (a double tap is harmless).
    """
    sku = (sku or "").strip()
    if not sku or len(sku) > SKU_MAX:
        raise Invalid.field("sku", f"A SKU is 1 to {SKU_MAX} characters.")
    now = now or timezone.now()
    with transaction.atomic():
        stream = _locked_stream(stream_id)
        markets = CampaignWindow.objects.filter(campaign_id=stream.campaign_id).values_list(
            "market_id", flat=True
        )
        if not any(sku in sellable_skus(market_code=m) for m in markets):
            raise Invalid.field("sku", f"{sku} is not sold in this campaign's markets.")
        if stream.status == Stream.Status.ENDED:
            raise Conflict("The stream has ended; nothing can be pinned.", code="stream_ended")
        current = stream.pins.filter(sku=sku, unpinned_at__isnull=True).first()
        if current is not None:
            return current
        transaction.on_commit(partial(announce_change, stream.pk))
        return StreamPin.objects.create(
            stream=stream, sku=sku, pinned_at=now, changed_seq=_next_seq(stream)
        )


def stream_unpin(*, stream_id: int, sku: str, now: datetime | None = None) -> StreamPin:
    """Unpin `sku`; the pin stays in the timeline with its `unpinned_at` for the replay."""
    now = now or timezone.now()
    with transaction.atomic():
        stream = _locked_stream(stream_id)
        pin = stream.pins.filter(sku=sku, unpinned_at__isnull=True).first()
        if pin is None:
            raise NotFound(f"{sku} is not pinned on stream {stream_id}.", code="not_pinned")
        pin.unpinned_at = now
        pin.changed_seq = _next_seq(stream)
        pin.save(update_fields=["unpinned_at", "changed_seq"])
        transaction.on_commit(partial(announce_change, stream.pk))
        return pin


def stream_set_status(*, stream_id: int, status: str, now: datetime | None = None) -> Stream:
    """Put the stream on air or end it; the first time on air is the replay's zero."""
    if status not in Stream.Status.values:
        raise Invalid.field("status", f"One of {', '.join(Stream.Status.values)}.")
    now = now or timezone.now()
    with transaction.atomic():
        stream = _locked_stream(stream_id)
        stream.status = status
        if status == Stream.Status.LIVE and stream.started_at is None:
            stream.started_at = now
        if status == Stream.Status.ENDED:
            stream.ended_at = now
            stream.pins.filter(unpinned_at__isnull=True).update(unpinned_at=now)
        stream.save()
        transaction.on_commit(partial(announce_change, stream.pk))
        return stream


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def staff_token_create(*, user: Any, name: str) -> tuple[StaffApiToken, str]:
    """Create a staff API token; return the row and the token, which is never stored."""
    if not user.is_staff:
        raise Invalid.field("user", "Only staff may have an API token.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        row = StaffApiToken.objects.create(user=user, name=name[:80], token_hash=_token_hash(token))
    return row, token


def staff_of_token(token: str) -> Any | None:
    """Return the active user a bearer token belongs to, or None."""
    row = (
        StaffApiToken.objects.select_related("user")
        .filter(token_hash=_token_hash(token), user__is_active=True)
        .first()
    )
    return row.user if row is not None else None


# --- reads -------------------------------------------------------------------


def stream_hls_url(stream: Stream) -> str:
    if stream.hls_url:
        return stream.hls_url
    return f"/media/{stream.hls_path}" if stream.hls_path else ""


def pin_product(*, sku: str, market_code: str, locale: str) -> dict[str, Any] | None:
    """What a viewer's card shows of a pinned SKU in a market: title, price, picture, link."""
    offer = offers_by_sku(skus=[sku], market_code=market_code, locale=locale).get(sku)
    if offer is None:
        return None
    return {
        "title": offer.title,
        "price": {"amount": amount_str(offer.amount, offer.currency), "currency": offer.currency},
        "image_url": offer.image_url,
        "product_slug": offer.product_slug,
    }


def _product_url(slug: str, locale: str) -> str:
    with translation.override(to_django(locale)):
        return reverse("product-detail", args=[slug])


def pinned_products(*, skus: list[str], market_code: str, locale: str) -> dict[str, Any]:
    """Return the card of each SKU sold in the market, with `product_url` (site-relative)."""
    out = {}
    for sku in dict.fromkeys(skus):
        product = pin_product(sku=sku, market_code=market_code, locale=locale)
        if product is not None:
            product["product_url"] = _product_url(product.pop("product_slug"), locale)
            out[sku] = product
    return out


def streams_of(*, campaign_pk: int, market_code: str, locale: str) -> list[dict[str, Any]]:
    """Return the campaign's streams as the API shows them, with what is pinned now and the
    whole pin timeline (offsets in seconds from the actual start, for the replay)."""
    streams = list(Stream.objects.filter(campaign_id=campaign_pk).prefetch_related("pins"))
    out = []
    for stream in streams:
        pins = list(stream.pins.all())
        zero = stream.started_at
        out.append(
            {
                "id": stream.pk,
                "title": localized(stream.titles, locale) if stream.titles else "",
                "status": stream.status,
                "hls_url": stream_hls_url(stream),
                "poster_url": stream.poster.url if stream.poster else "",
                "scheduled_at": stream.scheduled_at.isoformat(),
                "started_at": zero.isoformat() if zero else None,
                "products": pinned_products(
                    skus=[p.sku for p in pins], market_code=market_code, locale=locale
                ),
                "pinned": [
                    {"sku": p.sku, "pinned_at": p.pinned_at.isoformat()}
                    for p in pins
                    if p.unpinned_at is None
                ],
                "timeline": [
                    {
                        "sku": p.sku,
                        "pinned_at": p.pinned_at.isoformat(),
                        "unpinned_at": p.unpinned_at.isoformat() if p.unpinned_at else None,
                        "from_s": (p.pinned_at - zero).total_seconds() if zero else 0.0,
                        "to_s": (p.unpinned_at - zero).total_seconds()
                        if zero and p.unpinned_at
                        else None,
                    }
                    for p in pins
                ],
            }
        )
    return out


def stream_state(*, stream_id: int) -> tuple[str, int] | None:
    """Return (status, last change sequence) of a stream, or None if there is none."""
    row = Stream.objects.filter(pk=stream_id).values_list("status", flat=True).first()
    if row is None:
        return None
    last = StreamPin.objects.filter(stream_id=stream_id).aggregate(last=Max("changed_seq"))
    return row, int(last["last"] or 0)


def pins_changed_after(*, stream_id: int, seq: int) -> list[PinChange]:
    """Return the stream's pin changes after sequence `seq`, oldest first (one indexed read)."""
    rows = StreamPin.objects.filter(stream_id=stream_id, changed_seq__gt=seq).order_by(
        "changed_seq"
    )
    return [
        PinChange(
            seq=row.changed_seq,
            kind="unpin" if row.unpinned_at else "pin",
            sku=row.sku,
            pinned_at=row.pinned_at,
            unpinned_at=row.unpinned_at,
        )
        for row in rows
    ]


# --- viewers: each web process reports its own count -------------------------

# A process that has not reported for this long is taken to have no viewers (it died).
AUDIENCE_FRESH_SECONDS = 30


def stream_audience_report(*, process: str, counts: dict[int, int]) -> None:
    """Record how many viewers `process` holds on each stream (0 removes its row)."""
    now = timezone.now()
    with transaction.atomic():
        StreamAudience.objects.filter(
            process=process, stream_id__in=[k for k, v in counts.items() if v <= 0]
        ).delete()
        live = {k: v for k, v in counts.items() if v > 0}
        existing = set(Stream.objects.filter(pk__in=live).values_list("pk", flat=True))
        for stream_id, viewers in live.items():
            if stream_id in existing:
                StreamAudience.objects.update_or_create(
                    stream_id=stream_id, process=process,
                    defaults={"viewers": viewers, "seen_at": now},
                )  # fmt: skip


def viewer_count(stream_id: int) -> int:
    """Viewers following the stream's events now, over every web process."""
    fresh = timezone.now() - timedelta(seconds=AUDIENCE_FRESH_SECONDS)
    total = StreamAudience.objects.filter(stream_id=stream_id, seen_at__gte=fresh).aggregate(
        n=Sum("viewers")
    )["n"]
    return int(total or 0)
