"""An artisan signs in on a phone and walks a paid bag from the queue to shipped."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from PIL import Image

from tests.commerce.conftest import checkout_body
from tests.jobs import run_queued_jobs
from tests.studio.test_designs_api import design
from trunkshow.atelier.models import WorkOrder
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.browser

PASSWORD = "board-test-pw"


def paid_artisan_order() -> WorkOrder:
    StockItem.objects.filter(sku="TOTE-CML", market_id="CN").update(on_hand=20)
    shopper = Client()

    def post(path: str, body: dict, **headers: str) -> dict:
        response = shopper.post(path, json.dumps(body), content_type="application/json",
                                **headers)  # fmt: skip
        assert response.status_code in (200, 201), response.content
        return response.json()

    made = post("/api/v1/designs", design(mode="artisan"))
    cart = post("/api/v1/carts", {"market": "CN"})["id"]
    post(f"/api/v1/carts/{cart}/lines", {"design_id": made["id"], "quantity": 1})
    post(f"/api/v1/carts/{cart}/checkout", checkout_body(), HTTP_IDEMPOTENCY_KEY="board")
    run_queued_jobs("orders")
    return WorkOrder.objects.get()


def finished_bag_photo() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (900, 1200), "#2c9d59").save(data, "JPEG")
    return data.getvalue()


def test_an_artisan_walks_a_bag_from_queued_to_shipped(phone, live_server, demo_shop):
    work_order = paid_artisan_order()
    artisan_login = get_user_model().objects.get(username="mei")
    artisan_login.set_password(PASSWORD)
    artisan_login.save()
    page = phone

    # Given the artisan opens the board: the workshop's own sign-in, in Chinese.
    page.goto(live_server.url + "/zh-hans/atelier/")
    page.wait_for_url(re.compile(r"/zh-hans/atelier/login/"))
    page.get_by_label("用户名").fill("mei")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/zh-hans/atelier/$"))

    # The queue shows the bag with its promise; it opens to its page.
    card = page.locator(f"[data-work-order='{work_order.pk}']")
    assert work_order.order_number in card.inner_text() and "排队中" in card.inner_text()
    card.locator("a").click()
    page.wait_for_url(re.compile(rf"/atelier/work-orders/{work_order.pk}/$"))
    assert "颜色与配方" in page.content()
    assert page.locator("[data-recipe]").count() >= 2

    page.locator("[data-claim]").click()
    page.locator(".flash").filter(has_text="Chen Mei").wait_for()
    assert page.locator("[data-assignee]").inner_text() == "Chen Mei"

    for step in ("in_painting", "drying", "quality_check"):
        page.locator(f"[data-move='{step}']").click()
        page.locator(f"[data-status='{step}']").wait_for()

    # Quality check wants a photo of the finished bag first.
    page.locator("[data-move='ready_to_ship']").click()
    page.locator(".flash-error").wait_for()
    assert page.locator("[data-status='quality_check']").count() == 1
    page.locator("input[name=photo]").set_input_files(
        {"name": "bag.jpg", "mimeType": "image/jpeg", "buffer": finished_bag_photo()}
    )
    page.locator("[data-upload]").click()
    photo = page.locator("img[data-photo]")
    photo.scroll_into_view_if_needed()
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 900
    page.get_by_label("新备注").fill("提手边缘已补色")
    page.locator("[data-add-note]").click()
    page.locator(".notes").filter(has_text="提手边缘已补色").wait_for()

    # The spec sheet opens as a PDF for the signed-in artisan.
    link = page.locator("[data-spec-sheet='zh-hans']").get_attribute("href")
    sheet = page.request.get(live_server.url + link)
    assert sheet.ok and sheet.headers["content-type"] == "application/pdf"
    assert sheet.body().startswith(b"%PDF")

    for step in ("ready_to_ship", "shipped"):
        page.locator(f"[data-move='{step}']").click()
        page.locator(f"[data-status='{step}']").wait_for()
    assert page.locator("[data-move]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    history = page.locator("[data-history]").all_inner_texts()
    assert len(history) == 7 and "mei" in history[-1]

    work_order.refresh_from_db()
    assert work_order.status == "shipped"
    assert work_order.order_line.order.status == "shipped"

    # In English, the shipped list has it.
    page.goto(live_server.url + "/en/atelier/?view=shipped")
    shipped = page.locator(f"[data-work-order='{work_order.pk}']")
    assert "Shipped" in shipped.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
