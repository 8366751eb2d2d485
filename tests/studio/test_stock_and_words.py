"""The studio tells the stock of each colour before painting, keeps every design,
and speaks the shopper's language, colours included."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import sellable_variant
from tests.studio.test_designs_api import design, post
from trunkshow.commerce.models import CartLine
from trunkshow.inventory.models import StockItem
from trunkshow.studio.models import Design

pytestmark = pytest.mark.django_db

BLUE_VIOLET = "#8A2BE2"


@pytest.fixture
def two_colours(tote_template, store):
    """The tote in Navy (TOTE-1, 3 in CN) and in Camel (TOTE-2, 1 in CN)."""
    camel = sellable_variant(
        sku="TOTE-2", product=store["tote"].product, color_hex="#C19A6B",
        color_names={"en": "Camel", "zh-Hans": "驼色"}, prices={"CN": "1000", "US": "150"},
        stock={"CN": 1, "US": 0},
    )  # fmt: skip
    return camel


def test_the_templates_say_how_many_of_each_colour_are_left(client, two_colours):
    body = client.get("/api/v1/studio/templates?locale=zh-Hans&market=CN").json()
    blanks = {b["sku"]: b for b in body[0]["blanks"]}
    assert blanks["TOTE-1"]["available"] == 3 and blanks["TOTE-1"]["color_name"] == "藏青"
    assert blanks["TOTE-2"]["available"] == 1 and blanks["TOTE-2"]["in_stock"]
    assert body[0]["in_stock"] is True

    us = client.get("/api/v1/studio/templates?locale=en&market=US").json()
    assert {b["sku"]: b["in_stock"] for b in us[0]["blanks"]} == {"TOTE-1": True, "TOTE-2": False}


def test_a_design_is_painted_on_the_colour_chosen_and_kept_even_when_sold_out(client, two_colours):
    # Given the Camel tote is sold out
    StockItem.objects.filter(sku="TOTE-2", market_id="CN").update(on_hand=0)
    # When the shopper saves a design on it
    response = post(client, design(blank="TOTE-2"))
    # Then the design is kept, on Camel, with its own link
    assert response.status_code == 201
    assert response.json()["blank"] == "TOTE-2"
    assert Design.objects.get().sku == "TOTE-2"
    assert client.get(f"/api/v1/designs/{response.json()['id']}").json()["blank"] == "TOTE-2"


def test_a_colour_of_another_bag_is_refused_by_name(client, two_colours, store):
    response = post(client, design(blank=store["clutch"].sku, locale="en"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "blank"]
    assert "colour" in response.json()["message"]


def test_a_design_that_cannot_go_into_the_bag_sends_the_shopper_back_to_it(client, two_colours):
    # Given the last Camel tote is already in the shopper's bag
    made = post(client, design(blank="TOTE-2")).json()
    page = client.post("/zh-hans/cart/add-design/", {"design_id": made["id"]})
    assert page.status_code == 302 and CartLine.objects.get().sku == "TOTE-2"
    # When they paint a second one on Camel and add it
    again = post(client, design(blank="TOTE-2", monogram="AB")).json()
    response = client.post("/zh-hans/cart/add-design/", {"design_id": again["id"]})
    # Then they are back on their design, not on a blank bag, and told why and what to do
    assert response.status_code == 302
    assert f"design={again['id']}" in response["Location"]
    studio = client.get(response["Location"]).content.decode()
    assert "最后一只驼色" in studio and "已在你的购物袋里" in studio
    assert "现在有货" in studio and 'data-pick-blank="TOTE-1"' in studio
    assert CartLine.objects.count() == 1


def test_the_studio_page_shows_the_stock_before_painting(client, two_colours):
    page = client.get("/zh-hans/studio/signature-tote/").content.decode()
    assert "包的底色" in page
    assert re.search(r"藏青 · <span class=\"stock\">仅剩 3 件", page)
    StockItem.objects.filter(sku="TOTE-2", market_id="CN").update(on_hand=0)
    page = client.get("/zh-hans/studio/signature-tote/?colour=TOTE-2").content.decode()
    assert "驼色已售罄" in page and "你仍然可以绘制并保存设计" in page


def test_the_kit_cannot_mix_error_is_in_the_pages_language(client, tote_template):
    for locale, words in (("zh-Hans", "蓝紫色无法用套装里的红、黄、蓝、白调出"),
                          ("en", "blue-violet cannot be mixed from the kit's")):  # fmt: skip
        response = post(client, design(zones={"body": BLUE_VIOLET}, locale=locale))
        assert response.status_code == 422
        message = response.json()["message"]
        assert message.startswith(words) and "#" not in message
    # Without a locale in the body, the request's Accept-Language decides.
    response = client.post(
        "/api/v1/designs", json.dumps(design(zones={"body": BLUE_VIOLET})),
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-Hans",
    )  # fmt: skip
    assert response.json()["message"].startswith("蓝紫色")


def test_colours_and_recipes_have_names_in_both_languages(client, tote_template):
    for locale, name in (("zh-Hans", "蓝紫色"), ("en", "blue-violet")):
        body = client.post(
            "/api/v1/paint/recipe", {"color": BLUE_VIOLET, "locale": locale},
            content_type="application/json",
        ).json()  # fmt: skip
        assert body["name"] == name and body["mixed_name"]
    mixed = client.post(
        "/api/v1/paint/mix", {"parts": {"green": 1}, "locale": "zh-Hans"},
        content_type="application/json",
    )  # fmt: skip
    assert mixed.status_code == 422 and mixed.json()["message"].startswith("没有颜料")
    assert "红、黄、蓝、白" in mixed.json()["message"]


def test_swatches_are_read_by_name_and_recipe_not_by_code(client, tote_template):
    page = client.get("/zh-hans/studio/signature-tote/").content.decode()
    labels = re.findall(r'data-swatch="[^"]+" aria-pressed="false" aria-label="([^"]+)"', page)
    assert len(labels) == 12 and not any("#" in label for label in labels)
    assert "红色: 1 份红" in labels
    english = client.get("/en/studio/signature-tote/").content.decode()
    assert 'aria-label="red: 1 part red"' in english


def test_a_broken_rule_is_said_in_the_requests_language(client, tote_template):
    broken = design(monogram="<b>", strokes=[{"zone": "lid", "color": "#000000", "width": 99,
                                             "points": [[0.1, 0.5]]}])  # fmt: skip
    chinese = post(client, {**broken, "locale": "zh-Hans"}).json()
    messages = {tuple(d["loc"]): d["msg"] for d in chinese["detail"]}
    assert messages[("body", "monogram")] == "monogram: 必须是 1 到 3 个 A-Z 字母，或不填。"
    assert "必须在 1 到 64 之间" in messages[("body", "strokes", 0, "width")]
    assert "没有这个部位" in messages[("body", "strokes", 0, "zone")]
    english = post(client, {**broken, "locale": "en"}).json()
    assert "Must be 1 to 3 letters A-Z" in english["message"]


def test_the_studio_index_says_which_bag_is_sold_out(client, two_colours):
    assert "所有颜色均已售罄" not in client.get("/zh-hans/studio/").content.decode()
    StockItem.objects.filter(market_id="CN").update(on_hand=0)
    assert "所有颜色均已售罄" in client.get("/zh-hans/studio/").content.decode()
