"""Bag, checkout and order on a phone, in both languages: axe-core, tap targets, errors
that take the focus, a total that follows the delivery chosen, choices that survive."""

from __future__ import annotations

import re

import pytest

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import wait_until
from trunkshow.commerce.models import Order

pytestmark = pytest.mark.browser

SHOPPERS = {
    "zh-hans": {"region": "上海市", "city": "上海市", "district": "黄浦区",
                "line1": "南京东路 1 号", "postal_code": "200001", "phone": "13800138000"},
    "en": {"region": "NY", "city": "New York", "line1": "100 Fifth Avenue",
           "postal_code": "10001", "phone": "+1 212 555 0123"},
}  # fmt: skip


def focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id || ''")


@pytest.mark.parametrize("language", SHOPPERS)
def test_bag_checkout_and_order_work_on_a_phone_by_their_rules(
    phone, live_server, demo_shop, language
):
    page = phone
    base = f"{live_server.url}/{language}"
    # Given a bag with one tote in it
    page.goto(f"{base}/products/signature-tote/")
    page.locator("form.add-to-bag button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/cart/"))
    assert page.locator(".bag-line").count() == 1
    assert_accessible(page, where=f"bag ({language})")

    # When the shopper opens checkout, the total is shown before paying
    page.goto(f"{base}/checkout/")
    assert_accessible(page, where=f"checkout ({language})")
    assert page.locator("[data-update-total]").is_hidden()  # the script shows it live
    before = page.locator("dd[data-total]").inner_text()
    page.locator("label.choice", has=page.locator("input[value=express]")).click()
    wait_until(page, f"document.querySelector('dd[data-total]').innerText !== {before!r}")
    with_express = page.locator("dd[data-total]").inner_text()

    # and pays with an unusable e-mail and the declining card
    page.fill("#f-email", "lin@")
    page.fill("#f-name", "Lin Mei")
    for name, value in SHOPPERS[language].items():
        page.fill(f"#f-{name}", value)
    page.locator("label.choice", has=page.locator("input[value=sandbox-decline]")).click()
    page.locator("[data-pay]").click()
    page.wait_for_load_state("load")

    # Then the focus is on the e-mail field, its message is announced and beside it
    assert focused(page) == "f-email"
    assert page.locator("[role=alert] a[href='#f-email']").count() == 1
    assert page.locator("#f-email").get_attribute("aria-describedby") == "e-email"
    # and nothing chosen was reset
    assert page.locator("input[value=sandbox-decline]").is_checked()
    assert page.locator("input[value=express]").is_checked()
    assert page.locator("dd[data-total]").inner_text() == with_express
    assert page.locator("#f-city").input_value() == SHOPPERS[language]["city"]
    assert_accessible(page, where=f"checkout with errors ({language})")

    # When the e-mail is fixed, the declining card is refused beside the card, still chosen
    page.fill("#f-email", "lin@example.com")
    page.locator("[data-pay]").click()
    page.wait_for_load_state("load")
    assert focused(page) == "f-payment_token-sandbox-decline"
    assert page.locator("#e-payment_token").is_visible()
    assert page.locator("input[value=sandbox-decline]").is_checked()
    assert page.locator("input[value=express]").is_checked()

    # When the approving card is chosen, the order page shows what was shown before paying
    page.locator("label.choice", has=page.locator("input[value=sandbox-ok]")).click()
    page.locator("[data-pay]").click()
    page.wait_for_url(re.compile(rf"/{language}/orders/"))
    assert page.locator("dd[data-total]").inner_text() == with_express
    assert (
        page.evaluate("getComputedStyle(document.querySelector('address')).fontStyle") == "normal"
    )
    assert_accessible(page, where=f"order ({language})")
    assert Order.objects.filter(status="paid").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
