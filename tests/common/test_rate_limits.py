"""Rate limits: one address's flood is throttled, a campaign's burst of shoppers is not."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from tests.factories import cn_market, sellable_variant
from trunkshow.common.ratelimits import client_ip


class Shopper:
    """An HTTP client that speaks from its own loopback address, so the server sees
    another peer (the whole of 127.0.0.0/8 is this machine)."""

    def __init__(self, base_url: str, address: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port, self.address = parts.hostname, parts.port, address

    def request(self, method: str, path: str, body: object = None) -> tuple[int, dict, dict]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30,
                                          source_address=(self.address, 0))  # fmt: skip
        try:
            payload = json.dumps(body) if body is not None else None
            headers = {"Content-Type": "application/json"} if payload else {}
            conn.request(method, path, body=payload, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            parsed = (
                json.loads(data) if data and "json" in answer.getheader("Content-Type", "") else {}
            )
            return answer.status, parsed, dict(answer.getheaders())
        finally:
            conn.close()


@pytest.fixture
def bags(transactional_db):
    cn_market()
    sellable_variant(sku="TOTE-1", prices={"CN": "1000"}, stock={"CN": 500})


def test_the_client_is_the_peer_unless_the_peer_is_a_trusted_proxy(settings):
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(forged) == "203.0.113.9"

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.2",
                          HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7, 10.0.0.3")  # fmt: skip
    # The first hop from the right that is not one of ours: what our proxy saw.
    assert client_ip(proxied) == "203.0.113.7"
    garbled = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbled) == "10.0.0.2"


def test_counts_live_in_a_cache_every_web_process_shares():
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    assert "locmem" not in backend.lower() and "dummy" not in backend.lower()


def test_one_address_flooding_is_throttled_while_a_burst_of_shoppers_is_not(live_server, bags):
    # Given the production limits, a burst of 40 shoppers, each from its own address
    burst = []
    for n in range(40):
        shopper = Shopper(live_server.url, f"127.0.0.{10 + n}")
        status, cart, _ = shopper.request("POST", "/api/v1/carts", {"market": "CN"})
        added, _, _ = shopper.request("POST", f"/api/v1/carts/{cart['id']}/lines",
                                      {"sku": "TOTE-1", "quantity": 1})  # fmt: skip
        shown, _, _ = shopper.request("GET", f"/api/v1/carts/{cart['id']}")
        burst += [status, added, shown]
    # Then none of them is throttled
    assert set(burst) <= {200, 201}, burst

    # When one address makes carts as fast as it can: twice the per-minute
    # limit and one more, so whichever window the run falls in, one is past it
    flooder = Shopper(live_server.url, "127.0.0.7")
    limit = int(settings.RATE_LIMITS["cart-create"]["per_address"].split("/")[0])
    answers = [
        flooder.request("POST", "/api/v1/carts", {"market": "CN"}) for _ in range(2 * limit + 1)
    ]

    # Then it is throttled, told how long to wait, in the API's error shape
    throttled = [a for a in answers if a[0] == 429]
    assert throttled
    status, body, headers = throttled[0]
    assert body["code"] == "rate_limited" and body["message"]
    assert 1 <= body["retry_after"] <= 61 and headers["Retry-After"] == str(body["retry_after"])
    # And a shopper from another address is not
    assert (
        Shopper(live_server.url, "127.0.0.8").request("POST", "/api/v1/carts", {"market": "CN"})[0]
        == 201
    )


def test_a_page_past_its_limit_says_so_in_the_shoppers_language(client, bags, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cart-write": {"per_address": "2/m"}}
    client.cookies["trunkshow_market"] = "CN"
    answers = [
        client.post("/zh-hans/cart/add/", {"sku": "TOTE-1", "quantity": "1"}) for _ in range(5)
    ]
    throttled = [a for a in answers if a.status_code == 429]
    assert throttled
    assert "请求过多" in throttled[0].content.decode()
    assert int(throttled[0]["Retry-After"]) >= 1


@pytest.mark.django_db
def test_thirty_wrong_admin_passwords_are_throttled_by_one_shared_count(django_user_model):
    # Given the admin, and a guesser whose tries land on two web processes
    # (two clients: the count is in the database, not in either process)
    django_user_model.objects.create_superuser("boss", "boss@example.com", "right-password-1")
    workers = [Client(REMOTE_ADDR="127.0.0.9"), Client(REMOTE_ADDR="127.0.0.9")]

    answers = [
        workers[n % 2].post("/admin/login/", {"username": "boss", "password": f"guess-{n}"})
        for n in range(30)
    ]

    # Then from the tenth wrong try on, the guesser is paused
    codes = [a.status_code for a in answers]
    assert codes[:9] == [200] * 9 and set(codes[9:]) == {429}
    assert (
        "Too many wrong passwords" in answers[-1].content.decode()
        or "输错密码" in answers[-1].content.decode()
    )
    # And even the right password does not get in while paused
    right = workers[0].post("/admin/login/", {"username": "boss", "password": "right-password-1"})
    assert right.status_code == 429 and "_auth_user_id" not in workers[0].session
    # While the admin from another address signs in
    office = Client(REMOTE_ADDR="127.0.0.10")
    office.post("/admin/login/", {"username": "boss", "password": "right-password-1"})
    assert "_auth_user_id" in office.session
