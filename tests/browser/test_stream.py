"""The livestream on a phone: staff pin a bag on a second page, the viewer sees it without reload."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import wait_until
from trunkshow.campaigns.models import Stream
from trunkshow.campaigns.services import campaign_shift
from trunkshow.campaigns.streams import stream_unpin

pytestmark = pytest.mark.browser

SLUG = "super-brand-day"


def test_staff_pin_a_bag_and_the_viewers_phone_shows_it_without_reload(
    phone, browser, live_server, demo_shop
):
    # Given the demo's campaign live, with its generated stream on air and nothing pinned
    campaign_shift(slug=SLUG, start_at=timezone.now() - timedelta(minutes=5))
    stream = Stream.objects.get(campaign__slug=SLUG, status="live")
    for sku in stream.pins.filter(unpinned_at__isnull=True).values_list("sku", flat=True):
        stream_unpin(stream_id=stream.pk, sku=sku)
    get_user_model().objects.create_user("host", password="pw-host-12345", is_staff=True)
    # When a Chinese phone opens the campaign page
    viewer = phone
    viewer.goto(live_server.url + f"/zh-hans/campaigns/{SLUG}/")
    assert viewer.locator(".stream-h").inner_text().startswith("正在进行")
    # the player plays the demo's HLS, served by the site (hls.js where there is no native HLS)
    wait_until(viewer, "document.querySelector('.stream-video').readyState >= 1")
    assert viewer.locator(".stream-video").evaluate("v => v.duration") > 5
    wait_until(viewer, "document.querySelector('.stream-pin') === null")
    # And staff, on a second page, sign in and pin the black tote
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    staff = context.new_page()
    staff.goto(live_server.url + f"/zh-hans/streams/{stream.pk}/control/")
    staff.fill("input[name=username]", "host")
    staff.fill("input[name=password]", "pw-host-12345")
    staff.keyboard.press("Enter")
    # The sign-in page's own address ends in ?next=.../control/: wait for the path.
    staff.wait_for_url(lambda url: urlsplit(url).path.endswith(f"/streams/{stream.pk}/control/"))
    staff.wait_for_load_state()
    assert staff.locator("h1").inner_text().startswith("直播控制台")
    assert "正在观看" in staff.locator(".stream-facts").inner_text()
    assert_accessible(staff, where="the stream's control page in Chinese")
    staff.locator("li", has_text="TOTE-BLK").get_by_role("button", name="置顶").click()
    staff.wait_for_load_state()
    assert (
        staff.locator("li", has_text="TOTE-BLK")
        .get_by_role("button")
        .inner_text()
        .startswith("取消置顶")
    )
    # Then the viewer's page shows the bag with its price and 'add to bag', without reload
    wait_until(viewer, "document.querySelector('.stream-pin')?.dataset.sku === 'TOTE-BLK'")
    card = viewer.locator(".stream-pin")
    assert "¥" in card.locator("[data-price]").inner_text()
    assert card.get_by_role("button", name="加入购物袋").is_visible()
    assert_accessible(viewer, where="the campaign page with a pinned bag in Chinese")
    assert viewer.evaluate("document.documentElement.scrollWidth") <= 375
    # And when staff unpin it, it goes from the viewer's page
    staff.locator("li", has_text="TOTE-BLK").get_by_role("button").click()
    wait_until(viewer, "document.querySelector('.stream-pin') === null")
    context.close()
