"""One client cannot hoard the shelf: holds are capped per cart, session and address."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import cn_market, sellable_variant
from trunkshow.inventory.models import Reservation
from trunkshow.inventory.selectors import available_by_sku

SKUS = [f"BAG-{n}" for n in range(8)]
HOARDER, SHOPPER = "127.0.0.5", "127.0.0.6"


@pytest.fixture
def shelf(db):
    cn_market()
    for sku in SKUS:
        sellable_variant(sku=sku, prices={"CN": "1000"}, stock={"CN": 12})
    return SKUS


def post(client: Client, path: str, body: dict[str, object]):
    return client.post(path, json.dumps(body), content_type="application/json")


def new_cart(client: Client) -> str:
    return post(client, "/api/v1/carts", {"market": "CN"}).json()["id"]


def hoard(client: Client, *, carts: int = 10) -> list[dict[str, object]]:
    """The run of the issue: carts from one address, as much of every SKU as each takes."""
    refusals = []
    for _ in range(carts):
        cart = new_cart(client)
        for sku in SKUS:
            for quantity in (10, 5, 2, 1):
                answer = post(
                    client, f"/api/v1/carts/{cart}/lines", {"sku": sku, "quantity": quantity}
                )
                if answer.status_code == 201:
                    break
                if answer.json()["code"] == "hold_limit":
                    refusals.append(answer.json())
    return refusals


def test_a_hoarding_run_from_one_address_leaves_the_store_buyable_from_another(shelf):
    # Given one address that opens ten carts and tries to hold all of every SKU
    refusals = hoard(Client(REMOTE_ADDR=HOARDER))

    # Then it was told where the cap is, and most units are still on the shelf
    assert refusals and all(isinstance(r["limit"], int) for r in refusals)
    assert refusals[0]["message"]
    left = available_by_sku(skus=SKUS, market_code="CN")
    assert sum(left.values()) >= 0.75 * 12 * len(SKUS)

    # And a shopper from another address can buy any bag of the store
    shopper = Client(REMOTE_ADDR=SHOPPER)
    cart = new_cart(shopper)
    for sku in SKUS:
        added = post(shopper, f"/api/v1/carts/{cart}/lines", {"sku": sku, "quantity": 1})
        assert added.status_code == 201, added.json()


def test_one_cart_holds_at_most_its_cap_and_lowering_is_never_refused(shelf, settings):
    settings.HOLD_MAX_UNITS_PER_CART = 4
    client = Client(REMOTE_ADDR=HOARDER)
    cart = new_cart(client)
    assert (
        post(client, f"/api/v1/carts/{cart}/lines", {"sku": "BAG-0", "quantity": 3}).status_code
        == 201
    )

    refused = post(client, f"/api/v1/carts/{cart}/lines", {"sku": "BAG-1", "quantity": 2})

    assert refused.status_code == 409
    assert refused.json()["code"] == "hold_limit" and refused.json()["limit"] == 4
    assert client.get(f"/api/v1/carts/{cart}").json()["lines"][0]["quantity"] == 3
    lowered = client.patch(f"/api/v1/carts/{cart}/lines/BAG-0", json.dumps({"quantity": 1}),
                           content_type="application/json")  # fmt: skip
    assert lowered.status_code == 200


def test_an_address_keeps_a_capped_number_of_carts_with_holds(shelf, settings):
    settings.HOLD_MAX_CARTS_PER_ADDRESS = 2
    client = Client(REMOTE_ADDR=HOARDER)
    for _ in range(2):
        cart = new_cart(client)
        assert (
            post(
                client, f"/api/v1/carts/{cart}/lines", {"sku": f"BAG-{_}", "quantity": 1}
            ).status_code
            == 201
        )

    third = new_cart(client)
    refused = post(client, f"/api/v1/carts/{third}/lines", {"sku": "BAG-5", "quantity": 1})

    assert refused.status_code == 409 and refused.json() == {
        **refused.json(),
        "code": "hold_limit",
        "limit": 2,
    }
    other = Client(REMOTE_ADDR=SHOPPER)
    assert (
        post(
            other, f"/api/v1/carts/{new_cart(other)}/lines", {"sku": "BAG-5", "quantity": 1}
        ).status_code
        == 201
    )


def test_held_units_return_by_themselves_when_the_hold_runs_out(shelf, settings):
    # Given an address at its cap
    settings.HOLD_MAX_CARTS_PER_ADDRESS = 1
    client = Client(REMOTE_ADDR=HOARDER)
    cart = new_cart(client)
    post(client, f"/api/v1/carts/{cart}/lines", {"sku": "BAG-0", "quantity": 3})
    assert available_by_sku(skus=["BAG-0"], market_code="CN") == {"BAG-0": 9}
    second = new_cart(client)
    assert (
        post(client, f"/api/v1/carts/{second}/lines", {"sku": "BAG-1", "quantity": 1}).status_code
        == 409
    )

    # When its holds run out, with no job run
    Reservation.objects.update(reserved_until=timezone.now() - timedelta(seconds=1))

    # Then the units are on the shelf again and the address may hold anew
    assert available_by_sku(skus=["BAG-0"], market_code="CN") == {"BAG-0": 12}
    assert (
        post(client, f"/api/v1/carts/{second}/lines", {"sku": "BAG-1", "quantity": 1}).status_code
        == 201
    )


def test_the_bag_page_says_why_a_hold_is_refused_in_the_shoppers_language(shelf, settings):
    settings.HOLD_MAX_UNITS_PER_CART = 1
    client = Client(REMOTE_ADDR=SHOPPER)
    client.cookies["trunkshow_market"] = "CN"
    client.post("/zh-hans/cart/add/", {"sku": "BAG-0", "quantity": "1"})
    page = client.post("/zh-hans/cart/add/", {"sku": "BAG-1", "quantity": "1"}, follow=True)
    assert "您保留的商品已达每位顾客的上限" in page.content.decode()
