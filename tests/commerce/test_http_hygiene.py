"""HTTP hygiene: JSON-only API bodies, private answers, the order token in a header."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.commerce.conftest import checkout_body

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def placed_order(client) -> dict[str, str]:
    cart = post(client, "/api/v1/carts", {"market": "CN"}).json()["id"]
    assert (
        post(client, f"/api/v1/carts/{cart}/lines", {"sku": "TOTE-1", "quantity": 1}).status_code
        == 201
    )
    paid = post(
        client, f"/api/v1/carts/{cart}/checkout", checkout_body(), HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert paid.status_code == 201
    return paid.json()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz"],
)
def test_the_api_refuses_a_body_a_browser_could_send_cross_origin(client, store, content_type):
    # Given a JSON text sent as a body type a page on another site can post without a preflight
    body = json.dumps({"market": "CN"})

    answer = client.post("/api/v1/carts", body, content_type=content_type)

    # Then it is refused in the API's error shape, and no cart was made
    assert answer.status_code == 415
    assert answer.json()["code"] == "unsupported_media_type"
    assert "application/json" in answer.json()["message"]
    assert post(client, "/api/v1/carts", {"market": "CN"}).status_code == 201


def test_a_json_body_with_a_charset_is_taken(client, store):
    answer = client.post("/api/v1/carts", json.dumps({"market": "CN"}),
                         content_type="application/json; charset=utf-8")  # fmt: skip
    assert answer.status_code == 201


def test_an_unknown_api_path_stays_a_404_whatever_the_body(client):
    assert client.post("/api/v1/nothing-here", "x", content_type="text/plain").status_code == 404


def test_an_order_is_read_with_a_bearer_token_and_is_never_cached(client, store):
    order = placed_order(client)
    url = f"/api/v1/orders/{order['order_id']}"
    stranger = Client()

    shown = stranger.get(url, HTTP_AUTHORIZATION=f"Bearer {order['access_token']}")

    assert shown.status_code == 200 and shown.json()["status"] == "paid"
    assert shown["Cache-Control"] == PRIVATE
    assert stranger.get(url, HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 404
    assert stranger.get(url, HTTP_AUTHORIZATION=f"Basic {order['access_token']}").status_code == 404
    page = stranger.get(f"/en/orders/{order['order_id']}/", {"token": order["access_token"]})
    assert page.status_code == 200 and page["Cache-Control"] == PRIVATE


def test_carts_and_checkout_answers_are_private(client, store):
    cart = post(client, "/api/v1/carts", {"market": "CN"})
    assert cart["Cache-Control"] == PRIVATE
    assert client.get(f"/api/v1/carts/{cart.json()['id']}")["Cache-Control"] == PRIVATE
    assert client.get("/en/cart/")["Cache-Control"] == PRIVATE


def test_a_public_catalog_answer_is_not_marked_private(client, store):
    assert client.get("/api/v1/products?market=CN").get("Cache-Control") != PRIVATE
