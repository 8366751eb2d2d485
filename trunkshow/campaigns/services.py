"""Writes: a campaign's schedule, shifting it for a rehearsal, reminder sign-ups."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from trunkshow.campaigns.models import (
    Campaign,
    CampaignText,
    CampaignWindow,
    Drop,
    DropItem,
    ReminderSignup,
)
from trunkshow.campaigns.reminders import REMINDER_PURPOSE, drop_reminders_schedule
from trunkshow.campaigns.selectors import window_conflicts
from trunkshow.catalog.selectors import sellable_skus
from trunkshow.commerce.selectors import units_sold_since
from trunkshow.common.consent import consent_of
from trunkshow.common.errors import Conflict, Invalid, NotFound
from trunkshow.common.local_cache import forget
from trunkshow.common.models import Market
from trunkshow.common.services import sync_row
from trunkshow.inventory.services import stock_set_per_shopper_limit, stock_set_shelf
from trunkshow.quiz.models import Quiz

EMAIL_MAX = 254


def conflict_message(market: str, other_slug: str, starts_at: datetime, ends_at: datetime) -> str:
    return (
        f"Campaign {other_slug!r} already runs in {market} from {starts_at:%Y-%m-%d %H:%M} to "
        f"{ends_at:%Y-%m-%d %H:%M} UTC; campaigns in one market may not overlap."
    )


def _refuse_overlaps(campaign: Campaign, windows: Mapping[str, tuple[datetime, datetime]]) -> None:
    planned = [(market, start, end) for market, (start, end) in windows.items()]
    conflicts = window_conflicts(
        campaign_slug=campaign.slug, campaign_pk=campaign.pk, windows=planned
    )
    if conflicts:
        raise Invalid(
            [
                (("windows", market), conflict_message(market, w.campaign, w.starts_at, w.ends_at))
                for market, w in conflicts
            ],
            code="campaign_overlap",
        )


def _forget_markets(markets: set[str]) -> None:
    for market in markets:
        forget(("campaign-windows", market))


@transaction.atomic
def campaign_schedule(
    *, campaign: Campaign, windows: Mapping[str, tuple[datetime, datetime]]
) -> list[CampaignWindow]:
    """Set the campaign's window in each market named (UTC instants), refusing overlaps with
    another campaign in a market; markets not named keep their windows."""
    # Lock the markets in key order: two editors scheduling one market queue here.
    list(Market.objects.select_for_update().filter(code__in=windows).order_by("code"))
    errors: list[tuple[tuple[str | int, ...], str]] = []
    for market, (start, end) in windows.items():
        if timezone.is_naive(start) or timezone.is_naive(end):
            errors.append((("windows", market), "Give instants with their time zone."))
        elif end <= start:
            errors.append((("windows", market), "A campaign must end after it starts."))
    if errors:
        raise Invalid(errors)
    _refuse_overlaps(campaign, windows)
    rows = []
    for market, (start, end) in windows.items():
        row, _changed = sync_row(
            CampaignWindow,
            lookup={"campaign": campaign, "market_id": market},
            values={"starts_at": start, "ends_at": end},
        )
        rows.append(row)
    markets = set(windows)
    # This process reads the new rows now, and again once they are committed (a request
    # in between may have cached the old ones).
    _forget_markets(markets)
    transaction.on_commit(lambda: _forget_markets(markets))
    return rows


@transaction.atomic
def campaign_shift(*, slug: str, start_at: datetime) -> list[CampaignWindow]:
    """Move every window of the campaign by one offset so its first start is `start_at`
    (for rehearsals); lengths and the hours between markets stay as they were."""
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise NotFound(f"No campaign {slug!r}.")
    rows = list(campaign.windows.select_for_update().order_by("pk"))
    if not rows:
        raise Invalid.field("slug", f"Campaign {slug!r} has no window in any market to move.")
    offset: timedelta = start_at - min(r.starts_at for r in rows)
    moved = campaign_schedule(
        campaign=campaign,
        windows={r.market_id: (r.starts_at + offset, r.ends_at + offset) for r in rows},
    )
    # Drops move with their campaign, so a rehearsal counts down to them as on the day.
    for drop in Drop.objects.select_for_update().filter(campaign=campaign):
        drop.opens_at += offset
        drop.save(update_fields=["opens_at"])
        drop_apply_limits(drop=drop)
    return moved


@transaction.atomic
def campaign_sync(
    *,
    slug: str,
    texts: Mapping[str, tuple[str, str]],
    quiz_slug: str | None,
    windows: Mapping[str, tuple[datetime, datetime]],
    hero_image: tuple[str, bytes] | None = None,
    teaser_days: int = 7,
) -> Campaign:
    """Create the campaign or bring it to these values (loaders such as the demo brand)."""
    quiz = Quiz.objects.filter(slug=quiz_slug).first() if quiz_slug else None
    campaign, _changed = sync_row(
        Campaign, lookup={"slug": slug}, values={"quiz": quiz, "teaser_days": teaser_days}
    )
    for locale, (title, hero_text) in texts.items():
        sync_row(
            CampaignText,
            lookup={"campaign": campaign, "locale": locale},
            values={"title": title, "hero_text": hero_text},
        )
    if hero_image is not None and not campaign.hero_image:
        name, content = hero_image
        campaign.hero_image.save(name, ContentFile(content), save=True)
    campaign_schedule(campaign=campaign, windows=windows)
    return campaign


def reminder_sign_up(
    *, slug: str, market_code: str, email: str, locale: str, visitor_id: str = ""
) -> bool:
    """Store the shopper's e-mail to remind them of the campaign (nothing is sent now).

    An empty e-mail stores nothing and is not an error: "remind me" without an
    address keeps no data. Return True if a new address was stored.
    `visitor_id`: the browser or API client signing up; its consent decides
    whether reminders go out (REMINDER_PURPOSE), and one that refuses it now
    stores nothing (Conflict "consent_refused"): no address is kept for a mail
    that would not be sent. A second sign-up with the same address takes the
    newest visitor, whose choice is the person's latest.
    """
    email = email.strip()
    if not email:
        return False
    visitor_id = visitor_id[:64]
    if visitor_id and not consent_of(visitor_id).allows(REMINDER_PURPOSE):
        raise Conflict(
            "Reminders are personalised messages, which this visitor has refused.",
            code="consent_refused",
        )
    errors: list[tuple[tuple[str | int, ...], str]] = []
    if len(email) > EMAIL_MAX:
        errors.append((("email",), f"An e-mail address has at most {EMAIL_MAX} characters."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append((("email",), "Enter a valid e-mail address."))
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        campaign = Campaign.objects.filter(slug=slug, windows__market_id=market_code).first()
        if campaign is None:
            raise NotFound(f"No campaign {slug!r} in market {market_code}.")
        values: dict[str, Any] = {"market_id": market_code, "locale": locale,
                                  "visitor_id": visitor_id}  # fmt: skip
        row, created = ReminderSignup.objects.get_or_create(
            campaign=campaign, email=email.lower(), defaults=values
        )
        if not created and visitor_id and row.visitor_id != visitor_id:
            row.visitor_id = visitor_id
            row.save(update_fields=["visitor_id"])
    return created


@transaction.atomic
def drop_add(
    *,
    campaign: Campaign,
    titles: Mapping[str, str],
    opens_at: datetime,
    skus: list[str],
    quantity: int,
    per_shopper_limit: int,
    waiting_room: bool = True,
    batch_size: int = 50,
    batch_seconds: int = 10,
) -> Drop:
    """Add a drop to the campaign: its SKUs cannot be added to a cart before `opens_at`, and
    each shopper may hold at most `per_shopper_limit` of each in every campaign market."""
    errors: list[tuple[tuple[str | int, ...], str]] = []
    if timezone.is_naive(opens_at):
        errors.append((("opens_at",), "Give the instant with its time zone."))
    if not 1 <= per_shopper_limit <= 10:
        errors.append((("per_shopper_limit",), "Give a limit from 1 to 10."))
    if quantity < 0:
        errors.append((("quantity",), "Give a quantity of 0 or more."))
    markets = list(campaign.windows.values_list("market_id", flat=True))
    known = set().union(*(sellable_skus(market_code=m) for m in markets)) if markets else set()
    for index, sku in enumerate(skus):
        if sku not in known:
            errors.append((("skus", index), f"{sku[:64]!r} is not sold in the campaign's markets."))
    if not skus:
        errors.append((("skus",), "Give at least one SKU."))
    if errors:
        raise Invalid(errors)
    drop = Drop.objects.create(
        campaign=campaign,
        titles=dict(titles),
        opens_at=opens_at,
        quantity=quantity,
        per_shopper_limit=per_shopper_limit,
        waiting_room=waiting_room,
        batch_size=max(1, batch_size),
        batch_seconds=max(1, batch_seconds),
    )
    for sku in dict.fromkeys(skus):
        DropItem.objects.create(drop=drop, sku=sku)
    drop_apply_limits(drop=drop)
    return drop


@transaction.atomic
def drop_apply_limits(*, drop: Drop) -> None:
    """Write the drop into the stock of its SKUs in every campaign market: its per-shopper
    limit, and its released quantity as what can be sold (less what the drop already
    sold, so editing the quantity after the opening moves the shelf by the difference).
    Inventory enforces both on every hold and allocation. The "remind me" mails are
    enqueued for the opening instant."""
    markets = list(drop.campaign.windows.values_list("market_id", flat=True))
    for sku in drop.items.values_list("sku", flat=True):
        for market in markets:
            stock_set_per_shopper_limit(sku=sku, market_code=market, limit=drop.per_shopper_limit)
            sold = units_sold_since(sku=sku, market_code=market, since=drop.opens_at)
            stock_set_shelf(sku=sku, market_code=market, units=drop.quantity - sold)
    drop_reminders_schedule(drop=drop)
