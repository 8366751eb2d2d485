"""A shopper buys the bag the quiz picked, on a phone, with the sandbox card."""

from __future__ import annotations

import re

import pytest

from trunkshow.commerce.models import Order
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.browser


def test_a_shopper_buys_a_bag_from_the_quiz_result(phone, live_server, demo_shop):
    page = phone
    page.goto(live_server.url + "/en/quiz/ask-the-designer/")
    for _ in range(8):
        page.locator("fieldset.question:not([hidden]) label.answer").first.click()
        page.wait_for_timeout(250)
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/en/quiz/result/"))
    sku = page.locator(".pick .buy").first.get_attribute("data-buy")

    page.locator(".pick .buy").first.click()
    page.wait_for_url(re.compile(r"/en/cart/"))
    assert sku in page.locator(".bag-line").first.inner_text()
    page.get_by_role("link", name="Checkout").click()
    page.wait_for_url(re.compile(r"/en/checkout/"))

    # A first try with a wrong postal code is told which field is wrong
    page.fill("input[name=email]", "lin@example.com")
    page.fill("input[name=name]", "Lin Mei")
    page.fill("input[name=phone]", "+1 212 555 0123")
    page.fill("input[name=region]", "NY")
    page.fill("input[name=city]", "New York")
    page.fill("input[name=line1]", "100 Fifth Avenue")
    page.fill("input[name=postal_code]", "12")
    page.get_by_role("button", name="Pay now").click()
    assert page.locator("input[name=postal_code][aria-invalid=true]").count() == 1
    assert page.locator("input[name=email]").input_value() == "lin@example.com"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.fill("input[name=postal_code]", "10001")
    page.get_by_role("button", name="Pay now").click()
    page.wait_for_url(re.compile(r"/en/orders/"))
    assert page.locator("[data-status]").get_attribute("data-status") == "paid"
    # An English reader without a market choice shops in the US, in dollars
    assert page.locator("[data-total]").inner_text().startswith("$")

    order = Order.objects.get()
    assert order.status == "paid" and order.lines.get().sku == sku
    assert StockItem.objects.get(sku=sku, market_id="US").allocated == 1
