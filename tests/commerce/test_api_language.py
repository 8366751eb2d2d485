"""The cart and checkout API answer in the shopper's language, as the pages do."""

from __future__ import annotations

import json

import pytest

from tests.commerce.conftest import checkout_body

pytestmark = pytest.mark.django_db


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("accept", "unknown_cart", "neither"),
    [
        ("zh-CN", "没有这个购物袋。", "请提供 sku 或 design_id 其中之一。"),
        ("en-US", "No such cart.", "Give either sku or design_id."),
    ],
)
def test_cart_refusals_are_in_the_language_the_client_asks_for(
    client, store, accept, unknown_cart, neither
):
    # Given a cart, and a client whose browser asks for a language
    cart = post(client, "/api/v1/carts", {"market": "CN"}).json()["id"]

    # When it adds to a cart that does not exist, and a line naming nothing
    missing = post(client, "/api/v1/carts/nope-nope-nope/lines",
                   {"sku": "TOTE-1", "quantity": 1}, HTTP_ACCEPT_LANGUAGE=accept)  # fmt: skip
    vague = post(client, f"/api/v1/carts/{cart}/lines", {"quantity": 1},
                 HTTP_ACCEPT_LANGUAGE=accept)  # fmt: skip

    # Then each refusal is worded in that language
    assert missing.status_code == 404 and missing.json()["message"] == unknown_cart
    assert vague.status_code == 422 and vague.json()["detail"][0]["msg"] == neither


def test_an_empty_cart_at_checkout_is_told_in_chinese(client, store):
    # Given an empty cart
    cart = post(client, "/api/v1/carts", {"market": "CN"}).json()["id"]

    # When a Chinese client checks it out
    response = post(client, f"/api/v1/carts/{cart}/checkout", checkout_body(),
                    HTTP_ACCEPT_LANGUAGE="zh-CN", HTTP_IDEMPOTENCY_KEY="k-empty-1")  # fmt: skip

    # Then it is told so in Chinese
    assert response.status_code == 409
    assert response.json()["message"] == "购物袋是空的。"
