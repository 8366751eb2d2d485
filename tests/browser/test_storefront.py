"""A shopper on a phone browses the demo shop in Chinese and in English."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import wait_until

pytestmark = pytest.mark.browser


def test_a_chinese_shopper_browses_home_and_opens_a_bag(phone, live_server, demo_shop):
    page = phone
    # Given a phone whose browser prefers Chinese
    page.goto(live_server.url + "/")
    # Then the home page is in Chinese with prices in yuan
    assert page.url.endswith("/zh-hans/")
    assert page.locator("h2#featured-h").inner_text() == "标志手袋"
    first_price = page.locator(".card .price").first.inner_text()
    assert first_price.startswith("¥")

    # When they open the first bag
    page.locator(".card a").first.click()
    page.wait_for_url(re.compile(r"/zh-hans/products/signature-tote/"))

    # Then its page shows the price in CNY and the colour choice
    assert page.locator("h1").inner_text() == "标志托特包"
    assert page.locator(".price-lg").inner_text() == "¥3,980.00"
    assert page.locator(".price-lg").get_attribute("data-currency") == "CNY"
    assert page.locator(".swatch-lg").count() == 3
    # Nothing spills sideways on a 375 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_shopper_switches_to_english_and_the_us_market(phone, live_server, demo_shop):
    page = phone
    page.goto(live_server.url + "/zh-hans/products/signature-tote/")

    # When they open the region menu and pick English and the United States
    page.locator(".region summary").click()
    page.select_option("select[name=language]", "en")
    page.wait_for_url(re.compile(r"/en/products/signature-tote/"))
    page.locator(".region summary").click()
    page.select_option("select[name=market]", "US")
    page.wait_for_load_state("load")
    wait_until(page, "document.querySelector('.price-lg').dataset.currency === 'USD'")

    # Then the page speaks English and prices in dollars
    assert page.locator("h1").inner_text() == "Signature Tote"
    assert page.locator(".price-lg").inner_text() == "$498.00"
    assert "United States" in page.locator("footer").inner_text()

    # And choosing another colour shows that colour's page
    page.locator(".swatch-lg").nth(1).click()
    page.wait_for_url(re.compile(r"sku=TOTE-BLK"))
    assert "Black" in page.locator(".colours legend").inner_text()


def test_the_english_home_lists_travel_pieces_in_dollars(phone, live_server, demo_shop):
    page = phone
    page.goto(live_server.url + "/en/products/?kind=travel")
    titles = page.locator(".card-title").all_inner_texts()
    assert "Voyager Weekender" in titles
    assert len(titles) >= 3
    prices = page.locator(".card .price").all_inner_texts()
    assert all(p.startswith("$") for p in prices)
    # The product pictures really load.
    loaded = page.evaluate(
        "Promise.all([...document.images].map(i => i.decode().then(() => i.naturalWidth)))"
    )
    assert all(width == 800 for width in loaded)
