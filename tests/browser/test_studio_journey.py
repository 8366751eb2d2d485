"""The studio on a phone: stock before painting, a design never lost, tap a colour then
a part (by touch and by keyboard), and nothing axe-core or a thumb would object to."""

from __future__ import annotations

import re

import pytest

from tests.browser.a11y import assert_accessible
from trunkshow.commerce.models import CartLine
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.browser

CAMEL, NAVY = "TOTE-CML", "TOTE-NVY"


def stock(sku: str, units: int) -> None:
    StockItem.objects.filter(sku=sku, market_id="CN").update(on_hand=units, allocated=0)


def paint_body_and_save(page) -> None:
    page.locator("[data-swatch]").nth(6).click()
    page.get_by_role("button", name="包身", exact=True).click()
    page.get_by_role("button", name="看看我的包").click()
    page.locator("[data-result]:not([hidden])").wait_for()


def test_the_stock_shows_before_painting_and_a_design_that_cannot_go_in_is_kept(
    phone, live_server, demo_shop
):
    page = phone
    stock(CAMEL, 1)
    stock(NAVY, 5)
    studio = live_server.url + "/zh-hans/studio/signature-tote/"

    # Before painting, the bag's colours say how many are left
    page.goto(studio)
    assert "驼色 · 仅剩 1 件" in page.locator("[data-blanks]").inner_text()
    # A design on the last Camel tote goes into the bag
    paint_body_and_save(page)
    page.locator("[data-result] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/zh-hans/cart/"))
    assert CartLine.objects.get().sku == CAMEL

    # Back in the studio, Camel says the last one is in the bag, before any painting
    page.goto(studio)
    note = page.locator(f"[data-blank-status={CAMEL}]")
    assert "最后一只已在你的购物袋里" in page.locator("[data-blanks]").inner_text()
    assert "已在你的购物袋里" in note.inner_text() and "现在有货" in note.inner_text()
    assert_accessible(page, where="studio, a colour with none free (zh-Hans)")

    # A second design on Camel is kept, with why it cannot go into the bag and what to do
    paint_body_and_save(page)
    blocked = page.locator("[data-result-blocked]")
    assert blocked.is_visible() and "你的设计已保存" in blocked.inner_text()
    assert not page.locator("[data-add-form]").is_visible()
    assert "design=" in page.url
    # and it reopens from its link
    page.reload()
    page.locator("[data-result]:not([hidden])").wait_for()
    assert page.locator("[data-result-blocked]").is_visible()
    assert page.locator("input[data-zone-input=body]").input_value() != "#e9dfd3"

    # Picking a colour in stock and seeing the bag again lets it in
    note.get_by_role("button").first.click()
    assert page.locator(f"input[name=blank][value={NAVY}]").is_checked()
    page.get_by_role("button", name="看看我的包").click()
    page.locator("[data-add-form]:not([hidden])").wait_for()
    page.locator("[data-result] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/zh-hans/cart/"))
    assert sorted(CartLine.objects.values_list("sku", flat=True)) == sorted([NAVY, CAMEL])


def test_a_design_whose_bag_sold_out_meanwhile_stays_open_with_the_reason(
    phone, live_server, demo_shop
):
    page = phone
    stock(NAVY, 2)
    page.goto(live_server.url + "/zh-hans/studio/signature-tote/?colour=" + NAVY)
    paint_body_and_save(page)
    painted = page.locator("input[data-zone-input=body]").input_value()
    # While the shopper looks at the preview, the last Navy totes are sold
    stock(NAVY, 0)
    page.locator("[data-result] button[type=submit]").click()
    # They are back on their own design, told why and what they can do
    page.wait_for_url(re.compile(r"/zh-hans/studio/signature-tote/\?design="))
    page.locator("[data-result]:not([hidden])").wait_for()
    assert page.locator("input[data-zone-input=body]").input_value() == painted
    assert "午夜蓝已售罄" in page.locator("[data-result-blocked]").inner_text()
    assert page.locator("[data-blank-status]:not([hidden])").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, where="studio, a reopened design that cannot go in (zh-Hans)")


def test_tap_a_colour_then_a_part_fills_that_part(phone, live_server, demo_shop):
    page = phone
    page.goto(live_server.url + "/zh-hans/studio/signature-tote/")
    swatch = page.locator("[data-swatch]").nth(2)
    colour = swatch.get_attribute("data-swatch").lower()
    # By touch: the swatch, then the top band on the bag
    swatch.tap()
    assert swatch.get_attribute("aria-pressed") == "true"
    page.locator(".studio-canvas").scroll_into_view_if_needed()
    box = page.locator(".studio-canvas").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.39)
    assert page.locator("polygon[data-zone=flap]").get_attribute("fill") == colour
    assert page.locator("polygon[data-zone=strap]").get_attribute("fill") == "#E9DFD3"
    assert page.locator("[data-strokes] polyline").count() == 0
    page.locator("[data-recipe=flap]").filter(has_text="用套装调出").wait_for()

    # By keyboard: Enter on a swatch, Tab to the part's name, Space fills it
    other = page.locator("[data-swatch]").nth(4)
    other.focus()
    page.keyboard.press("Enter")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.fillZone === 'body'"):
            break
    else:
        raise AssertionError("the body's fill button is not reachable by Tab")
    page.keyboard.press("Space")
    assert page.locator("polygon[data-zone=body]").get_attribute("fill") == (
        other.get_attribute("data-swatch").lower()
    )
    assert page.locator("polygon[data-zone=flap]").get_attribute("fill") == colour


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_studio_pages_pass_axe_and_every_target_is_big_enough(
    phone, live_server, demo_shop, language
):
    page = phone
    page.goto(f"{live_server.url}/{language}/studio/")
    assert_accessible(page, where=f"studio index ({language})")
    page.goto(f"{live_server.url}/{language}/studio/signature-tote/")
    page.locator("[data-stencil-input]").check()
    assert_accessible(page, where=f"studio page ({language})")
    labels = page.locator("[data-swatch]").evaluate_all("els => els.map((e) => e.ariaLabel)")
    assert labels and not any("#" in label for label in labels)
