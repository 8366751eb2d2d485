"""Campaign day on a phone: the takeover, its countdown reaching zero, remind me, the archive."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import wait_until
from trunkshow.campaigns.models import ReminderSignup
from trunkshow.campaigns.services import campaign_shift

pytestmark = pytest.mark.browser

SLUG = "super-brand-day"


def test_a_chinese_phone_sees_the_teaser_count_to_zero_and_the_campaign_go_live(
    phone, live_server, demo_shop
):
    page = phone
    # Given the demo's campaign day rehearsed to start in a few seconds
    campaign_shift(slug=SLUG, start_at=timezone.now() + timedelta(seconds=4))
    # When a Chinese phone opens the store
    page.goto(live_server.url + "/")
    assert page.url.endswith("/zh-hans/")
    # Then the home page is the campaign's teaser, counting down to the start
    assert page.locator(".campaign-status").text_content() == "即将开始"
    assert page.locator("h1").inner_text() == "超级品牌日"
    assert page.locator(".countdown-label").inner_text() == "距开始还有"
    assert int(page.locator("[data-countdown]").get_attribute("data-seconds")) <= 4
    assert_accessible(page, where="the teaser in Chinese")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # And the countdown ticks to zero in the page, then the page asks the server again
    wait_until(page, "document.querySelector('[data-countdown]')?.dataset.left === '0'")
    wait_until(page, "document.querySelector('.campaign')?.dataset.status === 'live'")
    # Then the campaign is live, counting down to its end, with the featured quiz
    assert page.locator(".campaign-status").text_content() == "正在进行"
    # counting down to the demo's drop, five minutes after the start
    assert page.locator(".countdown-label").inner_text() == "距下次发售还有"
    assert page.get_by_role("link", name="问问设计师").first.is_visible()
    # and the store's shelves are still there below it
    assert page.locator("h2#featured-h").inner_text() == "标志手袋"
    assert_accessible(page, where="the live takeover in Chinese")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_an_english_shopper_asks_to_be_reminded_by_keyboard_then_reads_the_archive(
    phone, live_server, demo_shop
):
    page = phone
    campaign_shift(slug=SLUG, start_at=timezone.now() + timedelta(hours=2))
    page.goto(live_server.url + "/en/")
    assert page.locator(".campaign-status").text_content() == "Coming soon"
    assert "America/New_York" in page.locator(".campaign-when").inner_text()
    # When they reach the e-mail field with the keyboard alone and press Enter
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name === 'email'"):
            break
    else:
        raise AssertionError("The e-mail field cannot be reached with Tab.")
    page.keyboard.type("lin@example.com")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    # Then they are told, and the address is kept (no mail is sent now)
    wait_until(page, "!!document.querySelector('.remind-done')")
    assert "remind you" in page.locator(".remind-done").inner_text()
    assert ReminderSignup.objects.filter(email="lin@example.com", market_id="US").exists()
    assert_accessible(page, where="the teaser in English after remind me")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # When the campaign is over
    campaign_shift(slug=SLUG, start_at=timezone.now() - timedelta(days=2))
    page.goto(live_server.url + "/en/")
    # Then the home page is the normal store, and the campaign page an archive
    assert page.locator(".campaign").count() == 0
    page.goto(live_server.url + f"/en/campaigns/{SLUG}/")
    assert page.locator(".campaign-status").text_content() == "This campaign has ended"
    assert page.locator("[data-countdown]").count() == 0
    assert_accessible(page, where="the campaign archive in English")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_phone_waits_in_the_drops_queue_is_admitted_and_buys_the_bag(
    phone, live_server, demo_shop
):
    from trunkshow.campaigns.models import Campaign
    from trunkshow.campaigns.services import drop_add

    page = phone
    # Given the demo's campaign live and a drop opening in a few seconds, one shopper a batch
    campaign_shift(slug=SLUG, start_at=timezone.now() - timedelta(minutes=1))
    drop = drop_add(
        campaign=Campaign.objects.get(slug=SLUG), titles={"en": "Black tote", "zh-Hans": "黑色托特包"},
        opens_at=timezone.now() + timedelta(seconds=3), skus=["TOTE-BLK"], quantity=2,
        per_shopper_limit=2, batch_size=1, batch_seconds=5,
    )  # fmt: skip
    page.goto(live_server.url + "/zh-hans/")
    # When they join the queue
    page.locator(f"#drop-{drop.pk}").get_by_role("button", name="加入排队").click()
    page.wait_for_load_state("load")
    # Then they see their place, and the page passes the accessibility checks
    assert "你在队列中排第 1 位" in page.locator(".drop-place").inner_text()
    assert_accessible(page, where="the drop's queue in Chinese")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # And when the server admits them the page shows it without a tap
    wait_until(page, "!!document.querySelector('.drop-add')", timeout_ms=30_000)
    assert "轮到你了" in page.locator(".drop-place").inner_text()
    assert_accessible(page, where="the admitted drop in Chinese")
    # When they add the bag, it is in their bag
    page.locator(".drop-add button").click()
    page.wait_for_url("**/cart/")
    assert "标志托特包" in page.locator("main").inner_text()


def test_a_phone_waiting_in_the_queue_is_told_at_once_when_the_drop_sells_out(
    phone, live_server, demo_shop
):
    from django.db.models import F

    from trunkshow.campaigns.models import Campaign
    from trunkshow.campaigns.services import drop_add
    from trunkshow.campaigns.waiting_room import ticket_issue
    from trunkshow.inventory.models import StockItem

    page = phone
    # Given a drop open now, admitting one shopper a minute, and someone already first
    campaign_shift(slug=SLUG, start_at=timezone.now() - timedelta(minutes=1))
    drop = drop_add(
        campaign=Campaign.objects.get(slug=SLUG), titles={"en": "Black tote", "zh-Hans": "黑色托特包"},
        opens_at=timezone.now() - timedelta(seconds=1), skus=["TOTE-BLK"], quantity=2,
        per_shopper_limit=2, batch_size=1, batch_seconds=60,
    )  # fmt: skip
    ticket_issue(drop_id=drop.pk)
    # And a phone waiting second in the queue
    page.goto(live_server.url + "/zh-hans/")
    page.locator(f"#drop-{drop.pk}").get_by_role("button", name="加入排队").click()
    page.wait_for_load_state("load")
    assert "你在队列中排第 1 位" in page.locator(".drop-place").inner_text()
    page.evaluate("window.notReloaded = true")
    # When every unit of the drop is sold
    StockItem.objects.filter(sku="TOTE-BLK", market_id="CN").update(on_hand=F("allocated"))
    # Then the page says so within a few seconds, without being reloaded
    wait_until(page, f"document.querySelector('#drop-{drop.pk}').dataset.dropStatus === 'sold_out'")
    assert page.locator(".drop-place").inner_text() == "已售罄"
    assert page.evaluate("window.notReloaded") is True
