"""A shopper paints a bag in DIY mode on a phone, reads the recipe, and buys it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import wait_until
from tests.jobs import run_queued_jobs
from trunkshow.commerce.models import CartLine
from trunkshow.engines.paint import mix

pytestmark = pytest.mark.browser


def test_a_shopper_paints_a_zone_sees_the_recipe_and_adds_the_bag(phone, live_server, demo_shop):
    page = phone
    page.goto(live_server.url + "/en/studio/")
    page.locator(".card-link").first.click()
    page.wait_for_url(re.compile(r"/en/studio/signature-tote/"))

    # Painting the body green in DIY mode shows how to mix it from the kit (a green
    # the kit's phthalo-like blue and cadmium-like yellow make, issue 25)
    green = mix({"blue": 1, "yellow": 3}).lower()
    page.locator("input[data-zone-input=body]").fill(green)
    recipe = page.locator("[data-recipe=body]")
    recipe.filter(has_text="Mix it from the kit").wait_for()
    assert "yellow" in recipe.inner_text() and "blue" in recipe.inner_text()
    # with the drops of each paint the body takes, as the painting guide prints them
    assert re.search(r"for this bag: \d+ drops \w+", recipe.inner_text())
    assert page.locator("polygon[data-zone=body]").get_attribute("fill") == green

    # A violet the kit cannot mix is offered its nearest mixable colour
    page.locator("input[data-zone-input=flap]").fill("#7a4b94")
    page.locator("[data-recipe=flap]").filter(has_text="cannot mix").wait_for()
    page.locator("[data-recipe=flap] button").click()
    page.locator("[data-recipe=flap]").filter(has_text="Mix it from the kit").wait_for()

    # A brush stroke across the body stays in the body
    page.get_by_label("Brush", exact=True).check()
    page.locator(".studio-canvas").scroll_into_view_if_needed()
    box = page.locator(".studio-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(
            box["x"] + box["width"] * (0.2 + 0.06 * step), box["y"] + box["height"] * 0.62
        )
    page.mouse.up()
    assert page.locator("[data-strokes] polyline").count() == 1
    # and a dab of the round sponge on the top band
    page.get_by_label("Round sponge").check()
    page.locator(".studio-canvas").scroll_into_view_if_needed()
    box = page.locator(".studio-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.39)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.39)
    page.mouse.up()
    assert page.locator("[data-strokes] polyline").count() == 2
    page.get_by_role("button", name="Undo").click()
    assert page.locator("[data-strokes] polyline").count() == 1
    page.get_by_role("button", name="Redo").click()
    assert page.locator("[data-strokes] polyline").count() == 2

    # The charm stencil is placed and turned
    page.locator("[data-stencil-input]").check()
    page.locator("[data-stencil=rotation]").fill("30")
    assert page.locator("[data-charm]").get_attribute("d").startswith("M")

    # A kit colour from the swatches goes to the part named next
    page.get_by_label("Fill the part").check()
    page.locator("[data-swatch]").nth(1).click()
    page.get_by_role("button", name="Base trim").click()
    page.locator("[data-recipe=trim]").filter(has_text="Mix it from the kit").wait_for()

    page.fill("input[name=monogram]", "lj")
    page.get_by_role("button", name="See my bag").click()
    page.locator("[data-result]:not([hidden])").wait_for()
    assert page.locator("[data-price]").inner_text().startswith("$")
    # The preview is drawn by a job: the page says it is on its way, then shows it
    page.get_by_role("status").filter(has_text="Painting your preview").wait_for()
    run_queued_jobs("previews")
    wait_until(page, "document.querySelector('[data-preview]').naturalWidth > 0")
    assert page.locator("[data-preview-pending]").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The design has its own link: reopening it brings everything back
    assert "design=" in page.url
    page.reload()
    page.locator("[data-result]:not([hidden])").wait_for()
    assert page.locator("input[data-zone-input=body]").input_value() == green
    assert page.locator("[data-strokes] polyline").count() == 2
    assert page.locator("input[name=monogram]").input_value() == "LJ"

    page.locator("[data-result] button").click()
    page.wait_for_url(re.compile(r"/en/cart/"))
    assert "Paint-it-yourself kit" in page.locator(".bag-line").first.inner_text()
    line = CartLine.objects.get()
    assert line.mode == "diy"
    stroke, dab = line.design.document["strokes"]
    assert stroke["zone"] == "body" and len(stroke["points"]) >= 5 and stroke["tool"] == "brush"
    assert dab["zone"] == "flap" and dab["tool"] == "sponge"
    assert line.design.document["monogram"] == "LJ"
    assert line.design.document["stencil"]["rotation"] == 30


def test_an_artisan_design_shows_when_the_workshop_can_ship_it(phone, live_server, demo_shop):
    page = phone
    page.goto(live_server.url + "/zh-hans/studio/evening-clutch/")
    page.get_by_label("由我们的工匠手绘（任意颜色）").check()
    page.locator("input[data-zone-input=body]").fill("#7a4b94")
    page.get_by_role("button", name="看看我的包").click()
    lead = page.locator("[data-lead-time]:not([hidden])")
    lead.wait_for()
    assert "天后可发货" in lead.inner_text()
    assert page.locator("[data-price]").inner_text().startswith("¥")
