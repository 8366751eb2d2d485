"""A painted bag goes in the cart in its mode, at the server's price, and is ordered."""

from __future__ import annotations

import json

import pytest

from tests.commerce.conftest import checkout_body
from tests.studio.test_designs_api import design, post
from trunkshow.commerce.models import Order
from trunkshow.inventory.models import StockItem
from trunkshow.inventory.selectors import available_by_sku

pytestmark = pytest.mark.django_db


def api(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_a_diy_design_is_bought_in_its_mode_at_its_price(client, tote_template):
    made = post(client, design()).json()
    cart = api(client, "/api/v1/carts", {"market": "CN"}).json()["id"]

    response = api(client, f"/api/v1/carts/{cart}/lines", {"design_id": made["id"], "quantity": 1})

    assert response.status_code == 201
    line = response.json()["lines"][0]
    assert line["mode"] == "diy" and line["design_id"] == made["id"] and line["sku"] == "TOTE-1"
    assert line["unit_price"]["amount"] == made["price"]["amount"] == "1260.00"
    # The blank it is painted on is held like any bag.
    assert available_by_sku(skus=["TOTE-1"], market_code="CN") == {"TOTE-1": 2}

    placed = api(
        client, f"/api/v1/carts/{cart}/checkout", checkout_body(), HTTP_IDEMPOTENCY_KEY="k"
    ).json()
    assert placed["status"] == "paid" and placed["total"]["amount"] == "1260.00"
    order = client.get(
        f"/api/v1/orders/{placed['order_id']}", {"token": placed["access_token"]}
    ).json()
    assert order["lines"][0]["mode"] == "diy" and order["lines"][0]["design_id"] == made["id"]
    assert StockItem.objects.get(sku="TOTE-1", market_id="CN").allocated == 1
    assert Order.objects.get().lines.get().design.public_id == made["id"]


def test_bags_as_sold_and_painted_on_the_same_blank_share_the_stock(client, tote_template):
    made = post(client, design(mode="artisan")).json()
    cart = api(client, "/api/v1/carts", {"market": "CN"}).json()["id"]
    assert (
        api(client, f"/api/v1/carts/{cart}/lines", {"sku": "TOTE-1", "quantity": 2}).status_code
        == 201
    )
    # Three units on hand: two as sold and one painted fit, a second painted one does not.
    assert (
        api(
            client, f"/api/v1/carts/{cart}/lines", {"design_id": made["id"], "quantity": 1}
        ).status_code
        == 201
    )
    too_many = api(client, f"/api/v1/carts/{cart}/lines", {"design_id": made["id"], "quantity": 1})
    assert too_many.status_code == 409
    body = client.get(f"/api/v1/carts/{cart}").json()
    assert sorted(line["mode"] for line in body["lines"]) == ["artisan", "standard"]
    # The painted line is changed and removed by its design id.
    assert client.delete(f"/api/v1/carts/{cart}/lines/{made['id']}").status_code == 204
    assert [line["mode"] for line in client.get(f"/api/v1/carts/{cart}").json()["lines"]] == [
        "standard"
    ]


def test_a_design_goes_only_into_a_cart_of_its_market_and_exactly_one_kind_of_line(
    client, tote_template
):
    made = post(client, design()).json()
    us_cart = api(client, "/api/v1/carts", {"market": "US"}).json()["id"]
    wrong = api(client, f"/api/v1/carts/{us_cart}/lines", {"design_id": made["id"], "quantity": 1})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "design_id"]
    both = api(
        client,
        f"/api/v1/carts/{us_cart}/lines",
        {"design_id": made["id"], "sku": "TOTE-1", "quantity": 1},
    )
    assert both.status_code == 422
    unknown = api(client, f"/api/v1/carts/{us_cart}/lines", {"design_id": "x" * 22, "quantity": 1})
    assert unknown.status_code == 422
