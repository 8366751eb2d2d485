"""The bag, checkout and order pages work as plain forms, in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.commerce.conftest import CN_ADDRESS
from tests.storefront.html import inputs
from trunkshow.commerce.models import Order
from trunkshow.inventory.models import Reservation

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
    postal = inputs(html)["postal_code"][0]
    assert postal["value"] == "12" and postal["aria-invalid"] == "true"
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


def test_a_shopper_holding_the_last_one_is_told_it_is_in_their_bag_not_sold_out(store):
    # Given the last clutch in China is in Lin's bag
    lin = chinese_shopper()
    lin.post("/zh-hans/cart/add/", {"sku": "CLUTCH-1", "quantity": "1"})
    product = store["clutch"].product
    page = f"/en/products/{product.slug}/?sku=CLUTCH-1"
    # When Lin opens its page, then it is held for her, with no second one to add
    held = lin.get(page).content.decode()
    assert "The last ones are in your bag, held for you." in held
    assert "1 in your bag" in held and "Sold out in this market" not in held
    assert 'action="/en/cart/add/"' not in held
    # and anyone else sees it sold out
    assert "Sold out in this market" in chinese_shopper().get(page).content.decode()
    # and once Lin's hold has run out and Mei has taken it, Lin is not told it is held
    Reservation.objects.update(reserved_until=timezone.now() - timedelta(minutes=1))
    mei = chinese_shopper()
    mei.post("/zh-hans/cart/add/", {"sku": "CLUTCH-1", "quantity": "1"})
    gone = lin.get(page).content.decode()
    assert "held for you" not in gone and "Sold out in this market" in gone


def test_a_sold_out_bag_is_named_by_its_title_and_colour_not_its_sku(store):
    chinese_shopper().post("/zh-hans/cart/add/", {"sku": "CLUTCH-1", "quantity": "1"})
    mei = chinese_shopper()
    added = mei.post("/en/cart/add/", {"sku": "CLUTCH-1", "quantity": "1"}, follow=True)
    variant = store["clutch"]
    shown = f"Bag {variant.product.slug}, Navy is sold out."
    assert shown in added.content.decode()


@pytest.mark.parametrize(("language", "prefix"), [("en", "en"), ("zh-Hans", "zh-hans")])
@pytest.mark.parametrize("quantity", [0, 11, -1])
def test_the_bag_and_the_api_refuse_a_quantity_in_the_same_words(
    client, store, language, prefix, quantity
):
    # Given the API's answer to a line with this quantity
    cart = client.post("/api/v1/carts", {"market": "CN"}, content_type="application/json")
    api = client.post(f"/api/v1/carts/{cart.json()['id']}/lines",
                      {"sku": "TOTE-1", "quantity": quantity}, content_type="application/json",
                      HTTP_ACCEPT_LANGUAGE=language)  # fmt: skip
    assert api.status_code == 422
    said = api.json()["detail"][0]["msg"]
    # When a shopper adds the same quantity from a product page
    shopper = chinese_shopper()
    page = shopper.post(f"/{prefix}/cart/add/", {"sku": "TOTE-1", "quantity": str(quantity)},
                        follow=True)  # fmt: skip
    # Then the bag is unchanged and says the same
    assert said in page.content.decode()
    assert not shopper.get(f"/{prefix}/cart/").context["cart"]
