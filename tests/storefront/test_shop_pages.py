"""The bag, checkout and order pages work as plain forms, in both languages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.commerce.conftest import CN_ADDRESS
from trunkshow.commerce.models import Order

pytestmark = pytest.mark.django_db


def chinese_shopper() -> Client:
    client = Client()
    client.cookies["trunkshow_market"] = "CN"
    return client


def test_a_shopper_adds_a_bag_checks_out_and_sees_the_order(store):
    client = chinese_shopper()
    added = client.post("/zh-hans/cart/add/", {"sku": "TOTE-1", "quantity": "1"})
    assert added.status_code == 302 and added["Location"].endswith("/cart/")

    bag = client.get("/zh-hans/cart/")
    assert "你的购物袋" in bag.content.decode() and "¥1,000.00" in bag.content.decode()

    form = client.get("/zh-hans/checkout/")
    assert form.status_code == 200 and "立即付款" in form.content.decode()
    key = form.context["key"]
    placed = client.post("/zh-hans/checkout/", {
        "key": key, "email": "lin@example.com", "name": "林", "shipping_method": "standard",
        "payment_token": "sandbox-ok", **{k: v for k, v in CN_ADDRESS.items() if k != "country"},
    })  # fmt: skip
    assert placed.status_code == 302
    order = Order.objects.get()
    assert placed["Location"].endswith(f"/orders/{order.public_id}/")

    page = client.get(placed["Location"])
    assert page.status_code == 200 and "谢谢！订单已提交。" in page.content.decode()
    # Someone else, without the token, sees nothing.
    assert Client().get(placed["Location"]).status_code == 404
    assert Client().get(f"{placed['Location']}?token={order.access_token}").status_code == 200


def test_a_bad_field_is_shown_next_to_it_and_nothing_is_lost(store):
    client = chinese_shopper()
    client.post("/zh-hans/cart/add/", {"sku": "TOTE-1", "quantity": "1"})
    response = client.post("/zh-hans/checkout/", {
        "key": "k1", "email": "lin@example.com", "name": "林<b>", "payment_token": "sandbox-ok",
        **{**{k: v for k, v in CN_ADDRESS.items() if k != "country"}, "postal_code": "12"},
    })  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 422
    assert 'name="postal_code" value="12"' in html and 'aria-invalid="true"' in html
    assert "林&lt;b&gt;" in html and "林<b>" not in html
    assert not Order.objects.exists()


@pytest.mark.parametrize("quantity", ["0", "-1", "1.5", "x", str(10**30)])
def test_a_bad_quantity_from_the_form_changes_nothing(store, quantity):
    client = chinese_shopper()
    client.post("/zh-hans/cart/add/", {"sku": "TOTE-1", "quantity": quantity})
    assert "购物袋是空的" in client.get("/zh-hans/cart/").content.decode()


def test_forms_need_the_csrf_token(store):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/en/cart/add/", {"sku": "TOTE-1", "quantity": "1"}).status_code == 403


def test_the_english_bag_is_in_english(store):
    client = Client()
    client.post("/en/cart/add/", {"sku": "TOTE-1", "quantity": "1"})
    html = client.get("/en/cart/").content.decode()
    assert "Your bag" in html and "$150.00" in html
