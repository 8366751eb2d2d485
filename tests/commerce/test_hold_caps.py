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


@pytest.fixture
def shipping(shelf):
    from trunkshow.commerce.models import ShippingMethod

    ShippingMethod.objects.create(market_id="CN", code="standard", amount=0,
                                  names={"en": "Standard", "zh-Hans": "标准"}, is_default=True)  # fmt: skip


@pytest.fixture
def provider_down(monkeypatch):
    """The payment provider does not answer: each checkout leaves an unpaid order
    whose units stay allocated until reconciliation."""
    from trunkshow.commerce.payments import PaymentError, SandboxProvider

    def no_answer(self, **kwargs):
        raise PaymentError("timeout")

    monkeypatch.setattr(SandboxProvider, "authorize", no_answer)


def cart_from(address: str, lines: dict[str, int]) -> tuple[Client, str]:
    """A cart opened from its own address and browser session, holding `lines`."""
    client = Client(REMOTE_ADDR=address)
    cart = new_cart(client)
    for sku, quantity in lines.items():
        added = post(client, f"/api/v1/carts/{cart}/lines", {"sku": sku, "quantity": quantity})
        assert added.status_code == 201, added.json()
    return client, cart


def checkout(client: Client, cart: str, email: str, token: str = "sandbox-ok"):  # noqa: S107
    from tests.commerce.conftest import checkout_body

    return post(client, f"/api/v1/carts/{cart}/checkout", checkout_body(token, email=email))


def test_one_email_cannot_keep_unpaid_orders_from_carts_of_many_addresses(
    shelf, shipping, provider_down
):
    # Given one shopper's e-mail, whose carts come from three addresses and sessions,
    # and two of them already waiting for the payment (their units allocated)
    carts = [cart_from(f"127.0.1.{n}", {SKUS[n]: 3}) for n in range(3)]
    for client, cart in carts[:2]:
        assert checkout(client, cart, "Lin@Example.com").json()["code"] == "payment_unavailable"

    # When the third cart checks out under the same e-mail
    client, cart = carts[2]
    refused = checkout(client, cart, "lin@example.com")

    # Then it is refused, saying the cap, and nothing more is allocated to that e-mail
    assert refused.status_code == 409
    assert refused.json()["code"] == "hold_limit" and refused.json()["limit"] == 2
    assert refused.json()["field"] == "email" and refused.json()["message"]
    left = available_by_sku(skus=SKUS[:3], market_code="CN")
    assert left == {SKUS[0]: 9, SKUS[1]: 9, SKUS[2]: 9}  # the third still only held
    # While another shopper's e-mail checks out the same bag from the same address
    other_client, other = cart_from("127.0.1.2", {SKUS[5]: 1})
    assert checkout(other_client, other, "mei@example.com").status_code == 503


def test_a_cart_that_checked_out_once_counts_its_holds_against_the_email(shelf, shipping, settings):
    # Given two carts of one e-mail, from two addresses, whose cards were declined
    # (each reopens, keeping the e-mail it was checked out with)
    settings.HOLD_MAX_UNITS_PER_EMAIL = 5
    first, second = cart_from("127.0.2.1", {"BAG-0": 1}), cart_from("127.0.2.2", {"BAG-1": 1})
    for client, cart in (first, second):
        assert checkout(client, cart, "lin@example.com", "sandbox-decline").status_code == 402
    # And the first holding 3 units again
    client, cart = first
    raised = client.patch(f"/api/v1/carts/{cart}/lines/BAG-0", json.dumps({"quantity": 3}),
                          content_type="application/json")  # fmt: skip
    assert raised.status_code == 200, raised.json()

    # When the second asks for more than the e-mail may still hold (1 + 3 more)
    client, cart = second
    refused = post(client, f"/api/v1/carts/{cart}/lines", {"sku": "BAG-1", "quantity": 3})

    # Then it is refused with the e-mail's cap, and what it can still hold it may
    assert refused.status_code == 409 and refused.json()["limit"] == 5
    assert refused.json()["code"] == "hold_limit"
    assert (
        post(client, f"/api/v1/carts/{cart}/lines", {"sku": "BAG-1", "quantity": 1}).status_code
        == 201
    )
    # And a cart of another shopper from the same address is not counted with them
    assert cart_from("127.0.2.2", {"BAG-2": 3})
