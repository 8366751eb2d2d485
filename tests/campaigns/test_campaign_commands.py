"""campaign_shift for rehearsals, and the demo brand's campaign day."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from tests.factories import campaign
from trunkshow.campaigns.models import Campaign, CampaignWindow, Drop
from trunkshow.campaigns.selectors import campaign_showing
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.django_db


def test_campaign_shift_moves_every_market_by_one_offset(markets, clock):
    # Given a campaign next month, three hours later in the US than in China
    start = clock.now + timedelta(days=30)
    campaign(
        windows={
            "CN": (start, start + timedelta(hours=12)),
            "US": (start + timedelta(hours=3), start + timedelta(hours=20)),
        }
    )
    # and a drop an hour after its start
    drop = Drop.objects.create(campaign=Campaign.objects.get(), opens_at=start + timedelta(hours=1))
    # When it is moved to start in ten minutes for a rehearsal
    out = io.StringIO()
    call_command("campaign_shift", "super-brand-day", "--start-in", "10m", stdout=out)
    # Then China starts in ten minutes and the US three hours after, lengths unchanged
    windows = {w.market_id: w for w in CampaignWindow.objects.all()}
    assert windows["CN"].starts_at == clock.now + timedelta(minutes=10)
    assert windows["CN"].ends_at - windows["CN"].starts_at == timedelta(hours=12)
    assert windows["US"].starts_at == clock.now + timedelta(minutes=10, hours=3)
    assert windows["US"].ends_at - windows["US"].starts_at == timedelta(hours=17)
    assert "Asia/Shanghai" in out.getvalue() and "America/New_York" in out.getvalue()
    # And the drop moved with it, still an hour after the start
    drop.refresh_from_db()
    assert drop.opens_at == clock.now + timedelta(minutes=10, hours=1)
    # And the store shows its teaser counting ten minutes down
    view = campaign_showing(market_code="CN", locale="en")
    assert view is not None and view.status == "teaser" and view.seconds_left == 600
    # A negative offset makes it live now
    call_command("campaign_shift", "super-brand-day", "--start-in=-5m", stdout=io.StringIO())
    assert campaign_showing(market_code="CN", locale="en").status == "live"


def test_campaign_shift_refuses_bad_input_and_changes_nothing(markets, clock):
    start = clock.now + timedelta(days=30)
    campaign(windows={"CN": (start, start + timedelta(hours=2))})
    campaign(slug="blocker", windows={"CN": (clock.now, clock.now + timedelta(hours=1))})
    with pytest.raises(CommandError, match="give a number and a unit"):
        call_command("campaign_shift", "super-brand-day", "--start-in", "soon")
    with pytest.raises(CommandError, match="No campaign 'nope'"):
        call_command("campaign_shift", "nope", "--start-in", "10m")
    # Moving it onto another campaign in the same market is refused
    with pytest.raises(CommandError, match="blocker"):
        call_command("campaign_shift", "super-brand-day", "--start-in", "10m")
    assert CampaignWindow.objects.get(campaign__slug="super-brand-day").starts_at == start


def test_the_demo_brand_runs_a_campaign_live_now_in_both_markets(clock):
    # When the demo brand loads
    call_command("demo_brand", stdout=io.StringIO())
    # Then its campaign day is live in China and the US, featuring the quiz
    for market in ("CN", "US"):
        view = campaign_showing(market_code=market, locale="zh-Hans")
        assert view is not None
        assert view.status == "live"
        assert view.title == "超级品牌日"
        assert view.campaign.quiz_slug == "ask-the-designer"
        assert view.campaign.hero_image_url.endswith(".webp")
    # And its drop opens five minutes after the start, counted down on the page
    [drop] = Drop.objects.all()
    start = CampaignWindow.objects.get(market_id="CN").starts_at
    assert drop.opens_at == start + timedelta(minutes=5)
    view = campaign_showing(market_code="CN", locale="zh-Hans")
    assert view.moment is not None and view.moment.kind == "drop"
    assert view.drops[0]["title"] == "红色都市手提包 · 限量发售"
    item = StockItem.objects.get(sku="SATC-RED", market_id="US")
    assert (item.on_hand - item.allocated, item.per_shopper_limit) == (20, 1)
    windows = list(CampaignWindow.objects.order_by("pk").values())
    drops = list(Drop.objects.values())
    # And loading it again while it is live changes nothing
    clock.move(hours=1)
    call_command("demo_brand", stdout=io.StringIO())
    assert list(CampaignWindow.objects.order_by("pk").values()) == windows
    assert list(Drop.objects.values()) == drops
    assert StockItem.objects.get(sku="SATC-RED", market_id="US").on_hand == item.on_hand
    assert Campaign.objects.count() == 1
    # Once it has ended, loading the demo again makes it live again
    clock.move(days=2)
    call_command("demo_brand", stdout=io.StringIO())
    assert campaign_showing(market_code="CN", locale="en").status == "live"
    restarted = CampaignWindow.objects.get(market_id="CN").starts_at
    assert Drop.objects.get().opens_at == restarted + timedelta(minutes=5)
