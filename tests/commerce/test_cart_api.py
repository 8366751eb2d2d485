"""Carts through the API: no cookies, prices from the server, stock held while the cart lives."""

from __future__ import annotations

import json

import pytest

from trunkshow.commerce.models import CartLine
from trunkshow.inventory.models import Reservation
from trunkshow.inventory.selectors import available_by_sku

pytestmark = pytest.mark.django_db


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def new_cart(client, market="CN") -> str:
    response = post(client, "/api/v1/carts", {"market": market})
    assert response.status_code == 201
    return response.json()["id"]


def test_a_cart_is_made_for_a_market_and_holds_a_bag(client, store):
    cart_id = new_cart(client)
    assert len(cart_id) >= 20

    response = post(client, f"/api/v1/carts/{cart_id}/lines", {"sku": "TOTE-1", "quantity": 2})

    assert response.status_code == 201
    body = response.json()
    assert body["lines"][0]["sku"] == "TOTE-1" and body["lines"][0]["quantity"] == 2
    assert body["subtotal"]["amount"] == "2000.00" and body["subtotal"]["currency"] == "CNY"
    # The two units are held for this cart: other shoppers see one left.
    assert available_by_sku(skus=["TOTE-1"], market_code="CN") == {"TOTE-1": 1}
    assert available_by_sku(skus=["TOTE-1"], market_code="CN", holder=cart_id) == {"TOTE-1": 3}


def test_a_price_sent_by_the_client_is_ignored(client, store):
    cart_id = new_cart(client, "US")
    body = post(client, f"/api/v1/carts/{cart_id}/lines",
                {"sku": "TOTE-1", "quantity": 1, "price": "0.01", "total": 0}).json()  # fmt: skip
    assert body["subtotal"] == {"amount": "150.00", "currency": "USD", "display": "$150.00"}


@pytest.mark.parametrize("quantity", [0, -1, 1.5, 10**30, "x", None, True, "1"])
def test_a_bad_quantity_is_refused_naming_the_field_and_the_cart_is_unchanged(
    client, store, quantity
):
    cart_id = new_cart(client)
    response = post(
        client, f"/api/v1/carts/{cart_id}/lines", {"sku": "TOTE-1", "quantity": quantity}
    )
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["body", "quantity"]]
    assert not CartLine.objects.exists()
    assert not Reservation.objects.exists()


def test_more_than_the_stock_is_a_409_naming_the_line(client, store):
    cart_id = new_cart(client)
    response = post(client, f"/api/v1/carts/{cart_id}/lines", {"sku": "CLUTCH-1", "quantity": 2})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert body["lines"] == [
        {"sku": "CLUTCH-1", "requested": 2, "available": 1, "limit": None, "reason": "stock"}
    ]
    assert not CartLine.objects.exists()


def test_unknown_sku_market_and_cart(client, store):
    assert post(client, "/api/v1/carts", {"market": "XX"}).status_code == 422
    cart_id = new_cart(client, "US")
    # Priced in the US but never stocked there: no unit to hold.
    assert (
        post(
            client, f"/api/v1/carts/{cart_id}/lines", {"sku": "CLUTCH-1", "quantity": 1}
        ).status_code
        == 409
    )
    response = post(client, f"/api/v1/carts/{cart_id}/lines", {"sku": "NOPE-1", "quantity": 1})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "sku"]
    assert (
        post(
            client, "/api/v1/carts/not-a-cart-id-at-all/lines", {"sku": "TOTE-1", "quantity": 1}
        ).status_code
        == 404
    )
    assert client.get("/api/v1/carts/not-a-cart-id-at-all").status_code == 404


def test_a_line_can_be_changed_and_removed_and_its_hold_follows(client, store):
    cart_id = new_cart(client)
    post(client, f"/api/v1/carts/{cart_id}/lines", {"sku": "TOTE-1", "quantity": 1})
    response = client.patch(f"/api/v1/carts/{cart_id}/lines/TOTE-1", json.dumps({"quantity": 3}),
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["lines"][0]["quantity"] == 3
    assert available_by_sku(skus=["TOTE-1"], market_code="CN") == {"TOTE-1": 0}
    assert client.delete(f"/api/v1/carts/{cart_id}/lines/TOTE-1").status_code == 204
    assert client.get(f"/api/v1/carts/{cart_id}").json()["lines"] == []
    assert available_by_sku(skus=["TOTE-1"], market_code="CN") == {"TOTE-1": 3}


def test_an_expired_hold_no_longer_counts_even_if_nobody_cleans_up(client, store):
    from django.utils import timezone

    cart_id = new_cart(client)
    post(client, f"/api/v1/carts/{cart_id}/lines", {"sku": "TOTE-1", "quantity": 3})
    assert available_by_sku(skus=["TOTE-1"], market_code="CN") == {"TOTE-1": 0}
    Reservation.objects.update(reserved_until=timezone.now() - timezone.timedelta(seconds=1))
    assert available_by_sku(skus=["TOTE-1"], market_code="CN") == {"TOTE-1": 3}
    assert Reservation.objects.count() == 1  # still there, just not counted
