"""A shopper takes the quiz on a phone, in both languages, and reaches a bag."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def take_quiz(page, answer_index: int) -> None:
    for _ in range(8):
        current = page.locator("fieldset.question:not([hidden])")
        current.locator("label.answer").nth(answer_index).click()
        page.wait_for_timeout(300)


def test_a_chinese_shopper_takes_the_quiz_and_reaches_a_bag(phone, live_server, demo_shop):
    page = phone
    page.goto(live_server.url + "/zh-hans/")
    page.get_by_role("link", name="问问设计师").first.click()
    page.wait_for_url(re.compile(r"/zh-hans/quiz/ask-the-designer/"))

    # One question per screen, with progress
    assert page.locator("fieldset.question:not([hidden])").count() == 1
    assert page.locator("[data-step-label]").inner_text() == "第 1 题，共 8 题"
    assert (
        page.locator("fieldset.question:not([hidden]) legend").inner_text() == "运动鞋还是细高跟？"
    )

    # Answer, go back, change the mind, carry on
    page.locator("fieldset.question:not([hidden]) label.answer").first.click()
    page.wait_for_timeout(300)
    assert page.locator("[data-step-label]").inner_text() == "第 2 题，共 8 题"
    page.get_by_role("button", name="上一题").click()
    assert (
        page.locator("fieldset.question:not([hidden]) legend").inner_text() == "运动鞋还是细高跟？"
    )
    page.locator("fieldset.question:not([hidden]) label.answer").first.click()
    page.wait_for_timeout(300)
    for _ in range(7):
        page.locator("fieldset.question:not([hidden]) label.answer").first.click()
        page.wait_for_timeout(300)

    page.fill("input[name=name]", "林<b>")
    page.get_by_role("button", name="查看我的结果").click()
    page.wait_for_url(re.compile(r"/zh-hans/quiz/result/"))
    assert page.locator("h1").inner_text().startswith("林<b>，你是「")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".pick").count() >= 1
    assert page.locator(".pick .price").first.inner_text().startswith("¥")

    # The buy action puts the bag in the shopper's bag
    page.locator(".pick .buy").first.click()
    page.wait_for_url(re.compile(r"/zh-hans/cart/"))
    assert page.locator(".bag-line").count() == 1
    assert page.locator("[data-subtotal]").inner_text().startswith("¥")
    assert page.locator(".nav-bag .badge").inner_text() == "1"
    # With the badge, every menu item still fits on one line on the phone's screen
    boxes = page.eval_on_selector_all(
        ".nav a",
        "links => links.map(a => { const r = a.getBoundingClientRect();"
        " return {height: r.height, right: r.right}; })",
    )
    assert len(boxes) == 5
    assert all(box["height"] <= 48 and box["right"] <= 375 for box in boxes), boxes
    assert page.locator(".topbar").bounding_box()["height"] <= 130


def test_an_english_shopper_takes_the_quiz_by_keyboard(phone, live_server, demo_shop):
    page = phone
    page.goto(live_server.url + "/en/quiz/ask-the-designer/")
    assert page.locator("[data-step-label]").inner_text() == "Question 1 of 8"
    for _ in range(8):
        legend = page.locator("fieldset.question:not([hidden]) legend").inner_text()
        page.locator("fieldset.question:not([hidden]) input[type=radio]").last.focus()
        page.keyboard.press("Space")
        next_button = page.get_by_role("button", name="Next")
        assert next_button.is_enabled(), legend
        next_button.click()
    assert (
        page.locator("fieldset.question:not([hidden]) legend").inner_text().startswith("Last step")
    )
    # The last step has one way on, not a dead Next under it
    assert not page.locator("[data-next]").is_visible()
    assert page.locator(".quiz-bar").get_attribute("aria-valuetext") == "Last step"
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/en/quiz/result/"))
    assert page.locator("h1").inner_text().startswith("You are a")
    first = page.locator(".pick .card-title").first.inner_text()
    page.locator(".pick .card-link").first.click()
    page.wait_for_url(re.compile(r"/en/products/"))
    assert page.locator("h1").inner_text() == first
    assert page.locator(".price-lg").inner_text().startswith("$")
