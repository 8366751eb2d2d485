"""Caps on holds stay exact when one client's requests arrive at the same instant.

Counting a client's holds and then writing one is check-then-insert; on
PostgreSQL two transactions could both count before either writes. Each
scenario sends N requests from real threads through a barrier, with the
moment between counting and writing widened, and exactly a cap's worth pass.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from tests.commerce.conftest import checkout_body
from tests.factories import cn_market, sellable_variant
from trunkshow.commerce import carts as cart_services
from trunkshow.commerce import checkout as checkout_services
from trunkshow.commerce.models import Order, ShippingMethod

pytestmark = pytest.mark.django_db(transaction=True)

SKUS = [f"BAG-{n}" for n in range(8)]
AT_ONCE = 6


@pytest.fixture
def shelf(db):
    cn_market()
    for sku in SKUS:
        sellable_variant(sku=sku, prices={"CN": "1000"}, stock={"CN": 12})
    ShippingMethod.objects.create(market_id="CN", code="standard", amount=0,
                                  names={"en": "Standard", "zh-Hans": "标准"}, is_default=True)  # fmt: skip


def post(client: Client, path: str, body: dict[str, object]):
    return client.post(path, json.dumps(body), content_type="application/json")


def new_cart(client: Client) -> str:
    return post(client, "/api/v1/carts", {"market": "CN"}).json()["id"]


def at_once(calls: list) -> list[tuple[int, dict]]:
    answers: list[tuple[int, dict]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(call) -> None:
        try:
            start.wait(timeout=30)
            response = call()
            answers.append((response.status_code, response.json()))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return answers


@pytest.fixture
def slow_hold(monkeypatch):
    """The hold is written a moment after the caps were counted, so every request
    counts while the others are in flight unless they wait for each other."""
    original = cart_services.reservation_set

    def reservation_set(**kwargs):
        time.sleep(0.15)
        return original(**kwargs)

    monkeypatch.setattr(cart_services, "reservation_set", reservation_set)


@pytest.fixture
def slow_order(monkeypatch):
    original = checkout_services.email_holds_check

    def email_holds_check(**kwargs):
        original(**kwargs)
        time.sleep(0.15)

    monkeypatch.setattr(checkout_services, "email_holds_check", email_holds_check)


@pytest.fixture
def provider_down(monkeypatch):
    """Each checkout leaves an unpaid order, which counts against its e-mail."""
    from trunkshow.commerce.payments import PaymentError, SandboxProvider

    def no_answer(self, **kwargs):
        raise PaymentError("timeout")

    monkeypatch.setattr(SandboxProvider, "authorize", no_answer)


def add(client: Client, cart: str, sku: str, quantity: int = 1):
    return lambda: post(client, f"/api/v1/carts/{cart}/lines", {"sku": sku, "quantity": quantity})


def test_carts_of_one_address_adding_at_once_pass_its_cap_exactly(shelf, slow_hold, settings):
    # Given one address with six carts, each in its own browser session, none holding yet
    settings.HOLD_MAX_CARTS_PER_ADDRESS = 2
    clients = [Client(REMOTE_ADDR="127.0.3.1") for _ in range(AT_ONCE)]
    carts = [(client, new_cart(client)) for client in clients]

    # When all six add a bag at the same instant
    answers = at_once([add(client, cart, SKUS[n]) for n, (client, cart) in enumerate(carts)])

    # Then exactly the cap's two hold, and the rest are told the cap
    assert sorted(status for status, _ in answers) == [201] * 2 + [409] * (AT_ONCE - 2)
    refused = [body for status, body in answers if status == 409]
    assert all(body["code"] == "hold_limit" and body["limit"] == 2 for body in refused)


def test_carts_of_one_session_adding_at_once_pass_its_cap_exactly(shelf, slow_hold, settings):
    # Given one browser session that opened six carts from six addresses
    settings.HOLD_MAX_CARTS_PER_SESSION = 2
    first = Client(REMOTE_ADDR="127.0.4.1")
    first.get("/api/v1/products?market=CN")  # any request: the session exists from here
    session = first.session
    session["seen"] = True
    session.save()
    clients = []
    for n in range(AT_ONCE):
        client = Client(REMOTE_ADDR=f"127.0.4.{n + 1}")
        client.cookies = first.cookies
        clients.append(client)
    carts = [(client, new_cart(client)) for client in clients]

    # When all six add a bag at the same instant
    answers = at_once([add(client, cart, SKUS[n]) for n, (client, cart) in enumerate(carts)])

    # Then exactly two hold
    assert sorted(status for status, _ in answers) == [201] * 2 + [409] * (AT_ONCE - 2)


def test_checkouts_under_one_email_at_once_pass_its_cap_exactly(
    shelf, provider_down, slow_order, settings
):
    # Given six carts from six addresses, each holding a bag
    settings.HOLD_MAX_CARTS_PER_EMAIL = 2
    carts = []
    for n in range(AT_ONCE):
        client = Client(REMOTE_ADDR=f"127.0.5.{n + 1}")
        cart = new_cart(client)
        assert add(client, cart, SKUS[n])().status_code == 201
        carts.append((client, cart))

    # When all six check out under one e-mail at the same instant (the provider
    # does not answer, so each order that is written waits unpaid)
    body = checkout_body(email="lin@example.com")
    answers = at_once([
        (lambda client=client, cart=cart: post(client, f"/api/v1/carts/{cart}/checkout", body))
        for client, cart in carts
    ])  # fmt: skip

    # Then exactly two orders were written, and the rest were refused at the e-mail's cap
    codes = sorted(body.get("code", "") for _status, body in answers)
    assert codes.count("hold_limit") == AT_ONCE - 2, answers
    assert Order.objects.filter(email="lin@example.com").count() == 2


def test_carts_of_one_email_adding_at_once_pass_its_units_cap_exactly(shelf, slow_hold, settings):
    # Given six carts of one e-mail, from six addresses, whose cards were declined
    # (each reopens keeping the e-mail)
    settings.HOLD_MAX_CARTS_PER_EMAIL = AT_ONCE
    carts = []
    for n in range(AT_ONCE):
        client = Client(REMOTE_ADDR=f"127.0.6.{n + 1}")
        cart = new_cart(client)
        assert add(client, cart, SKUS[n])().status_code == 201
        body = checkout_body("sandbox-decline", email="lin@example.com")
        assert post(client, f"/api/v1/carts/{cart}/checkout", body).status_code == 402
        carts.append((client, cart))
    # And an e-mail that may hold two units more than it holds now
    from django.utils import timezone

    from trunkshow.inventory.models import Reservation

    live = Reservation.objects.filter(reserved_until__gt=timezone.now())
    settings.HOLD_MAX_UNITS_PER_EMAIL = sum(r.quantity for r in live) + 2

    # When each adds one more bag at the same instant
    answers = at_once([add(client, cart, SKUS[7]) for client, cart in carts])

    # Then exactly two hold
    assert sorted(status for status, _ in answers) == [201] * 2 + [409] * (AT_ONCE - 2), answers
