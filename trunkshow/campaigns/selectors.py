"""Reads: which campaign a market shows now, as the page and the API present it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from trunkshow.campaigns.drops import drops_of
from trunkshow.campaigns.models import Campaign, CampaignWindow
from trunkshow.campaigns.streams import streams_of
from trunkshow.common.local_cache import cached
from trunkshow.common.money import format_price
from trunkshow.common.selectors import market_by_code
from trunkshow.engines.campaign.schedule import (
    ARCHIVE,
    Moment,
    Status,
    Window,
    next_moment,
    overlaps,
    seconds_until,
    showing,
    status_at,
    utc_to_local,
)

# The longest teaser the admin allows (Campaign.teaser_days) bounds the rows read.
_MAX_TEASER = timedelta(days=60)


@dataclass(frozen=True)
class CampaignSnapshot:
    """What the page needs of a campaign, read once and shared by every request."""

    pk: int
    slug: str
    texts: dict[str, tuple[str, str]]  # locale -> (title, hero text)
    hero_image_url: str
    hero_video_url: str
    quiz_slug: str | None

    def words(self, locale: str) -> tuple[str, str]:
        for candidate in (locale, "en", "zh-Hans", *self.texts):
            if candidate in self.texts:
                return self.texts[candidate]
        return (self.slug, "")


@dataclass(frozen=True)
class CampaignView:
    """One campaign as one market shows it at one instant."""

    campaign: CampaignSnapshot
    window: Window
    status: Status
    now: datetime
    locale: str
    time_zone: str
    moment: Moment | None
    drops: list[dict[str, Any]] = field(default_factory=list)
    streams: list[dict[str, Any]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.campaign.slug

    @property
    def title(self) -> str:
        return self.campaign.words(self.locale)[0]

    @property
    def hero_text(self) -> str:
        return self.campaign.words(self.locale)[1]

    @property
    def starts_local(self) -> datetime:
        return utc_to_local(self.window.starts_at, self.time_zone)

    @property
    def ends_local(self) -> datetime:
        return utc_to_local(self.window.ends_at, self.time_zone)

    @property
    def moment_local(self) -> datetime | None:
        return utc_to_local(self.moment.at, self.time_zone) if self.moment else None

    @property
    def seconds_left(self) -> int | None:
        """Seconds to the next moment, by the server's clock (a phone's may be wrong)."""
        return seconds_until(self.moment.at, self.now) if self.moment else None

    @property
    def countdown(self) -> tuple[int, int, int, int] | None:
        """(days, hours, minutes, seconds) left, as the page first shows them."""
        left = self.seconds_left
        if left is None:
            return None
        minutes, seconds = divmod(left, 60)
        hours, minutes = divmod(minutes, 60)
        days, hours = divmod(hours, 24)
        return days, hours, minutes, seconds

    @property
    def drops_shown(self) -> list[dict[str, Any]]:
        """The drops with what the page adds: the opening in the market's time, prices
        written as the shopper's locale writes them."""
        shown = []
        for drop in self.drops:
            opens = utc_to_local(datetime.fromisoformat(drop["opens_at"]), self.time_zone)
            items = [
                {
                    **item,
                    "price_text": format_price(
                        Decimal(item["price"]["amount"]), item["price"]["currency"], self.locale
                    ),
                }
                for item in drop["items"]
            ]
            shown.append({**drop, "opens_local": opens, "items": items})
        return shown

    @property
    def next_drop(self) -> dict[str, Any] | None:
        """The first drop still to open: what a sold-out drop offers instead."""
        return next((d for d in self.drops_shown if d["status"] == "upcoming"), None)

    @property
    def takes_over(self) -> bool:
        """The home page becomes the campaign page while teasing and live, not after."""
        return self.status in (Status.TEASER, Status.LIVE)


def _snapshot(campaign: Campaign) -> CampaignSnapshot:
    quiz = campaign.quiz
    return CampaignSnapshot(
        pk=campaign.pk,
        slug=campaign.slug,
        texts={t.locale: (t.title, t.hero_text) for t in campaign.texts.all()},
        hero_image_url=campaign.hero_image.url if campaign.hero_image else "",
        hero_video_url=campaign.hero_video.url if campaign.hero_video else "",
        quiz_slug=quiz.slug if quiz is not None and quiz.is_active else None,
    )


def window_of(row: CampaignWindow) -> Window:
    return Window(
        campaign=row.campaign.slug,
        market=row.market_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        teaser=row.campaign.teaser,
    )


def _market_windows(market_code: str, now: datetime) -> list[tuple[Window, CampaignSnapshot]]:
    rows = (
        CampaignWindow.objects.filter(
            market_id=market_code,
            starts_at__lte=now + _MAX_TEASER,
            ends_at__gt=now - ARCHIVE,
        )
        .select_related("campaign", "campaign__quiz")
        .prefetch_related("campaign__texts")
    )
    return [(window_of(row), _snapshot(row.campaign)) for row in rows]


def _cache_key(market_code: str) -> tuple[str, str]:
    return ("campaign-windows", market_code)


def _view(
    window: Window, snapshot: CampaignSnapshot, status: Status, *, now: datetime, locale: str
) -> CampaignView:
    market = market_by_code(window.market)
    zone = market.time_zone if market is not None else "UTC"
    drops, opening = drops_of(
        campaign_pk=snapshot.pk, market_code=window.market, locale=locale, now=now
    )
    return CampaignView(
        campaign=snapshot,
        window=window,
        status=status,
        now=now,
        locale=locale,
        time_zone=zone,
        moment=next_moment(window, now, drops=opening),
        drops=drops,
        streams=streams_of(campaign_pk=snapshot.pk, market_code=window.market, locale=locale),
    )


def campaign_showing(
    *, market_code: str, locale: str, now: datetime | None = None
) -> CampaignView | None:
    """Return the campaign `market_code` shows at `now` (teaser, live or archive), or None.

    The rows are kept per process for CATALOG_CACHE_SECONDS (edits show within
    that time); the status is computed from the instant on every call, so a
    start or an end is never late.
    """
    now = now or timezone.now()
    # The cached rows cover [now - archive, now + longest teaser] from when they were read;
    # a short cache keeps that true to the second for what can change status now.
    pairs = cached(
        _cache_key(market_code),
        settings.CATALOG_CACHE_SECONDS,
        lambda: _market_windows(market_code, now),
    )
    shown = showing([w for w, _s in pairs], market=market_code, now=now)
    if shown is None:
        return None
    snapshot = next(s for w, s in pairs if w == shown.window)
    return _view(shown.window, snapshot, shown.status, now=now, locale=locale)


def campaign_in_market(
    *, slug: str, market_code: str, locale: str, now: datetime | None = None
) -> CampaignView | None:
    """Return the campaign's page in a market at `now`: teaser, live, or archive for good
    after its end; None before its teaser or where it does not run."""
    now = now or timezone.now()
    row = (
        CampaignWindow.objects.filter(campaign__slug=slug, market_id=market_code)
        .select_related("campaign", "campaign__quiz")
        .prefetch_related("campaign__texts")
        .first()
    )
    if row is None:
        return None
    window = window_of(row)
    status = status_at(window, now)
    if status is None and now >= window.ends_at:
        status = Status.ENDED  # the page stays readable after the API's 7-day archive
    if status is None:
        return None
    return _view(window, _snapshot(row.campaign), status, now=now, locale=locale)


def campaign_preview(
    *, campaign: Campaign, market_code: str, locale: str, at: datetime
) -> CampaignView | None:
    """Return what the market's store shows of `campaign` at `at`, or None (normal store)."""
    row = campaign.windows.filter(market_id=market_code).first()
    if row is None:
        return None
    window = window_of(row)
    status = status_at(window, at)
    if status is None:
        return None
    return _view(window, _snapshot(campaign), status, now=at, locale=locale)


def window_conflicts(
    *,
    campaign_slug: str,
    windows: Sequence[tuple[str, datetime, datetime]],
    campaign_pk: int | None = None,
) -> list[tuple[str, Window]]:
    """Return (market, other campaign's window) for each planned window that overlaps one
    of another campaign in its market (the campaign is known by its pk when it has one,
    so renaming it is not a conflict with itself)."""
    planned = [Window(campaign_slug, market, start, end) for market, start, end in windows]
    markets = {w.market for w in planned}
    rows = CampaignWindow.objects.filter(market_id__in=markets).select_related("campaign")
    if campaign_pk is not None:
        rows = rows.exclude(campaign_id=campaign_pk)
    else:
        rows = rows.exclude(campaign__slug=campaign_slug)
    others = [window_of(row) for row in rows]
    found = []
    for first, second in overlaps([*planned, *others]):
        if first.campaign == campaign_slug and second.campaign != campaign_slug:
            found.append((first.market, second))
        elif second.campaign == campaign_slug and first.campaign != campaign_slug:
            found.append((second.market, first))
    return found


def windows_of(*, slug: str) -> dict[str, tuple[datetime, datetime]]:
    """Return the campaign's window in each market, {market: (starts_at, ends_at)}."""
    rows = CampaignWindow.objects.filter(campaign__slug=slug).order_by("market_id")
    return {row.market_id: (row.starts_at, row.ends_at) for row in rows}


def campaign_stock_of(*, slug: str, market_code: str) -> dict[str, Any] | None:
    """The live part of a campaign's drops in a market (status, units left), for pages
    that follow it without reloading; None if the campaign does not run there."""
    campaign = Campaign.objects.filter(slug=slug, windows__market_id=market_code).first()
    if campaign is None:
        return None
    now = timezone.now()
    drops, _opens = drops_of(campaign_pk=campaign.pk, market_code=market_code, locale="en", now=now)
    return {
        "server_time": now.isoformat(),
        "drops": [
            {
                "id": drop["id"],
                "status": drop["status"],
                "items": [{"sku": i["sku"], "available": i["available"]} for i in drop["items"]],
            }
            for drop in drops
        ],
    }
