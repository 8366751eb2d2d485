"""A shopper who sends too much too fast is told, in their language, to wait."""

from __future__ import annotations

import pytest

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser


def test_a_throttled_shopper_sees_a_page_in_chinese_that_says_how_long_to_wait(
    phone, live_server, demo_shop, settings
):
    # Given a limit of one bag added a minute per address
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cart-write": {"per_address": "1/m"}}
    page = phone
    heading = ""
    # When the shopper adds bags in a row (three: two fall in one minute's window)
    for _ in range(3):
        page.goto(live_server.url + "/zh-hans/products/signature-tote/")
        page.locator("form.add-to-bag button[type=submit]").click()
        page.wait_for_load_state("load")
        heading = page.locator("h1").inner_text()
        if heading == "请稍候":
            break

    # Then a page in Chinese says to wait, and how long, and leads back to the shop
    assert heading == "请稍候"
    assert "请等待" in page.locator("[role=alert]").inner_text()
    assert page.get_by_role("link", name="返回店铺").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, where="the 429 page")
