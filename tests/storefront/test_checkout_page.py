"""The checkout page takes exactly what the API takes, shows what will be paid, and loses
nothing when it refuses."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client

from tests.commerce.conftest import CN_ADDRESS, checkout_body
from tests.storefront.html import inputs, text_of
from trunkshow.commerce.emails import order_confirmation_send
from trunkshow.commerce.models import Order

pytestmark = pytest.mark.django_db

LANGUAGES = {"en": "en", "zh-Hans": "zh-hans"}


def shopper_with_a_bag(market: str = "CN", language: str = "zh-hans") -> Client:
    client = Client()
    client.cookies["trunkshow_market"] = market
    client.post(f"/{language}/cart/add/", {"sku": "TOTE-1", "quantity": "1"})
    return client


def form_of(body: dict[str, object]) -> dict[str, str]:
    """The checkout page's form fields for the same input the API takes."""
    address = dict(body["address"])  # type: ignore[call-overload]
    address.pop("country", None)
    fields = {k: v for k, v in body.items() if k != "address"}
    return {"key": "k", **{k: str(v) for k, v in {**fields, **address}.items() if v is not None}}


def with_value(path: str, value: str) -> dict[str, object]:
    body = checkout_body()
    body["address"] = dict(CN_ADDRESS)
    if path.startswith("address."):
        body["address"][path.split(".", 1)[1]] = value  # type: ignore[index]
    else:
        body[path] = value
    return body


# Values the API refuses, one field at a time.
REFUSED = [
    ("email", "lin@"),
    ("email", "lin@example"),
    ("email", "lin@localhost"),
    ("email", ""),
    ("email", "l" * 250 + "@example.com"),
    ("name", "  "),
    ("name", "林" * 101),
    ("address.region", ""),
    ("address.city", ""),
    ("address.city", "城" * 101),
    ("address.district", ""),
    ("address.line1", " "),
    ("address.line1", "路" * 201),
    ("address.line2", "楼" * 201),
    ("address.postal_code", "12"),
    ("address.phone", "555"),
    ("shipping_method", "teleport"),
    ("payment_token", ""),
]


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize(("path", "value"), REFUSED)
def test_each_value_the_api_refuses_the_page_refuses_in_the_same_words(
    client, store, locale, path, value
):
    # Given the API's answer to a checkout with this one bad value
    cart = client.post("/api/v1/carts", {"market": "CN"}, content_type="application/json")
    cart_id = cart.json()["id"]
    client.post(f"/api/v1/carts/{cart_id}/lines", {"sku": "TOTE-1", "quantity": 1},
                content_type="application/json")  # fmt: skip
    body = with_value(path, value)
    api = client.post(f"/api/v1/carts/{cart_id}/checkout", json.dumps(body),
                      content_type="application/json", HTTP_ACCEPT_LANGUAGE=locale)  # fmt: skip
    assert api.status_code == 422
    field = path.split(".")[-1]
    said = {d["loc"][-1]: d["msg"] for d in api.json()["detail"]}
    assert field in said
    # When a shopper sends the same value through the checkout page in that language
    shopper = shopper_with_a_bag(language=LANGUAGES[locale])
    page = shopper.post(f"/{LANGUAGES[locale]}/checkout/", form_of(body))
    # Then nothing is charged, and the same words stand beside the field
    assert page.status_code == 422
    assert not Order.objects.exists()
    html = page.content.decode()
    assert text_of(html, f"e-{field}") == said[field]
    if field not in ("shipping_method", "payment_token"):
        shown = inputs(html)[field][0]
        assert shown["aria-invalid"] == "true" and shown["aria-describedby"] == f"e-{field}"
        assert shown["value"] == value  # kept whole, never cut to fit
    assert 'role="alert"' in html


def test_the_first_bad_field_takes_the_focus_and_the_summary_links_to_every_one(store):
    shopper = shopper_with_a_bag(language="en")
    form = form_of(checkout_body(email="lin@", name=""))
    page = shopper.post("/en/checkout/", form).content.decode()
    fields = inputs(page)
    # The email field comes first on the page, so it has the focus.
    assert "autofocus" in fields["email"][0]
    assert all("autofocus" not in attrs for name, group in fields.items()
               if name != "email" for attrs in group)  # fmt: skip
    assert 'href="#f-email"' in page and 'href="#f-name"' in page


def test_a_declined_card_keeps_every_choice_and_says_so_beside_the_card(store):
    # Given a shopper who chose express delivery and the card that declines
    shopper = shopper_with_a_bag(language="en")
    form = form_of(checkout_body(token="sandbox-decline", shipping_method="express"))
    page = shopper.post("/en/checkout/", form)
    html = page.content.decode()
    # Then the page says why beside the card, and nothing they chose is reset
    assert page.status_code == 402
    assert "declined" in text_of(html, "e-payment_token")
    fields = inputs(html)
    chosen = {r["value"] for r in fields["payment_token"] if "checked" in r}
    assert chosen == {"sandbox-decline"}
    assert {r["value"] for r in fields["shipping_method"] if "checked" in r} == {"express"}
    assert "autofocus" in next(r for r in fields["payment_token"] if "checked" in r)
    assert fields["district"][0]["value"] == CN_ADDRESS["district"]
    assert fields["email"][0]["value"] == "lin@example.com"


def amounts(html: str) -> dict[str, str]:
    found = {}
    for key in ("data-subtotal", "data-shipping-amount", "data-tax-amount", "data-total"):
        match = re.search(r"<dd[^>]*\b" + key + r"\b[^>]*>(?:<strong>)?([^<]+)<", html)
        found[key] = match.group(1).strip() if match else ""
    return found


def test_the_total_with_shipping_is_shown_before_paying_and_updates_without_javascript(store):
    shopper = shopper_with_a_bag(language="en", market="US")
    # With the default (free) method, the total is the subtotal
    first = amounts(shopper.get("/en/checkout/").content.decode())
    assert first["data-total"] == "$150.00" and first["data-shipping-amount"] == "$0.00"
    assert first["data-tax-amount"] == "$0.00"
    # When the shopper picks express and asks for the total, nothing else is lost
    form = {"email": "lin@", "city": "New York", "shipping_method": "express", "update_total": "1"}
    page = shopper.post("/en/checkout/", form)
    html = page.content.decode()
    assert page.status_code == 200 and "e-email" not in html  # not yet an attempt to pay
    assert amounts(html)["data-total"] == "$175.00"
    assert amounts(html)["data-shipping-amount"] == "$25.00"
    assert inputs(html)["city"][0]["value"] == "New York"
    # and each method carries its total for the page's script
    express = next(r for r in inputs(html)["shipping_method"] if r["value"] == "express")
    assert express["data-total"] == "$175.00" and "checked" in express


def test_china_says_its_prices_include_tax(store):
    html = shopper_with_a_bag().get("/zh-hans/checkout/").content.decode()
    assert "价格已含税" in html


def test_the_order_page_the_email_and_the_api_agree_to_the_cent(store):
    # Given a Chinese order with express delivery
    shopper = shopper_with_a_bag()
    form = form_of(checkout_body(shipping_method="express"))
    placed = shopper.post("/zh-hans/checkout/", form)
    assert placed.status_code == 302
    order = Order.objects.get()
    # When the shopper reads the order page, the API and the e-mail
    page = amounts(shopper.get(placed["Location"]).content.decode())
    api = shopper.get(f"/api/v1/orders/{order.public_id}", {"token": order.access_token}).json()
    order_confirmation_send(order_id=order.pk)
    email = mail.outbox[0].body
    # Then they show the same subtotal, shipping and total
    assert (api["subtotal"]["amount"], api["shipping"]["amount"], api["total"]["amount"]) == (
        "1000.00", "30.00", "1030.00")  # fmt: skip
    assert api["tax"]["amount"] == "0.00" and api["tax_included"] is True
    assert page["data-subtotal"] == api["subtotal"]["display"] == "¥1,000.00"
    assert page["data-shipping-amount"] == api["shipping"]["display"] == "¥30.00"
    assert page["data-total"] == api["total"]["display"] == "¥1,030.00"
    for money in ("subtotal", "shipping", "total"):
        assert api[money]["display"] in email
    assert (
        f"合计: {api['total']['display']}" in email or f"总计: {api['total']['display']}" in email
    )


def test_a_chinese_address_is_entered_and_shown_from_large_to_small(store):
    # Given the Chinese checkout form: province, city, district, then the street
    shopper = shopper_with_a_bag()
    form = shopper.get("/zh-hans/checkout/").content.decode()
    names = [n for n in inputs(form) if n in ("region", "city", "district", "line1", "line2")]
    assert names == ["region", "city", "district", "line1", "line2"]
    assert "区/县" in form and "省份" in form
    # When an order is placed
    placed = shopper.post("/zh-hans/checkout/", form_of(checkout_body()))
    order = Order.objects.get()
    html = shopper.get(placed["Location"]).content.decode()
    api = shopper.get(f"/api/v1/orders/{order.public_id}", {"token": order.access_token}).json()
    order_confirmation_send(order_id=order.pk)
    # Then page, API and e-mail write it as it is written in China
    written = "上海市 上海市 静安区 南京西路 1266 号"
    assert api["address"]["district"] == "静安区"
    assert api["address_lines"] == [written, "200040"]
    assert written in html and 'class="postal"' in html
    assert written in mail.outbox[0].body


def test_an_american_address_keeps_the_american_layout(store):
    shopper = shopper_with_a_bag(market="US", language="en")
    form = shopper.get("/en/checkout/").content.decode()
    names = [n for n in inputs(form) if n in ("region", "city", "district", "line1", "line2")]
    assert names == ["line1", "line2", "city", "region"]
    assert "ZIP code" in form and "State" in form
    body = checkout_body()
    body["address"] = {"line1": "100 Fifth Avenue", "line2": "Floor 3", "city": "New York",
                       "region": "NY", "postal_code": "10001", "country": "US",
                       "phone": "+1 212 555 0123"}  # fmt: skip
    placed = shopper.post("/en/checkout/", form_of(body))
    assert placed.status_code == 302
    order = Order.objects.get()
    api = shopper.get(f"/api/v1/orders/{order.public_id}", {"token": order.access_token}).json()
    assert api["address_lines"] == ["100 Fifth Avenue", "Floor 3", "New York, NY 10001"]


def test_what_was_typed_is_kept_when_a_stock_problem_sends_the_shopper_to_the_bag(store):
    # Given the last clutch is in Lin's bag, and her hold has been taken by Mei
    from django.utils import timezone

    from trunkshow.inventory.models import Reservation

    lin = Client()
    lin.cookies["trunkshow_market"] = "CN"
    lin.post("/zh-hans/cart/add/", {"sku": "CLUTCH-1", "quantity": "1"})
    Reservation.objects.update(reserved_until=timezone.now())
    mei = Client()
    mei.cookies["trunkshow_market"] = "CN"
    mei.post("/zh-hans/cart/add/", {"sku": "CLUTCH-1", "quantity": "1"})
    # When Lin pays, she is sent to her bag
    form = form_of(checkout_body(shipping_method="express"))
    sent = lin.post("/zh-hans/checkout/", form)
    assert sent.status_code == 302 and sent["Location"].endswith("/cart/")
    # Then, back at checkout, what she typed and chose is still there
    lin.post("/zh-hans/cart/add/", {"sku": "TOTE-1", "quantity": "1"})
    again = inputs(lin.get("/zh-hans/checkout/").content.decode())
    assert again["district"][0]["value"] == CN_ADDRESS["district"]
    assert again["email"][0]["value"] == "lin@example.com"
    assert {r["value"] for r in again["shipping_method"] if "checked" in r} == {"express"}


def test_an_email_past_its_hold_cap_is_told_beside_the_email_in_its_language(store, settings):
    # Given an e-mail whose other bag (checked out once, its card declined) holds
    # as much as one shopper may
    settings.HOLD_MAX_UNITS_PER_EMAIL = 2
    elsewhere = shopper_with_a_bag()
    elsewhere.post("/zh-hans/checkout/", form_of(checkout_body(token="sandbox-decline")))
    elsewhere.post("/zh-hans/cart/add/", {"sku": "TOTE-1", "quantity": "1"})  # holds 2 again

    # When a bag from another browser checks out under the same e-mail
    page = shopper_with_a_bag().post("/zh-hans/checkout/", form_of(checkout_body()))

    # Then the page says so beside the e-mail, in Chinese, and nothing is ordered
    assert page.status_code == 409
    assert "此邮箱下的其他购物袋" in text_of(page.content.decode(), "e-email")
    assert not Order.objects.filter(status="paid").exists()
