"""A database or Redis that is down answers 503 with Retry-After, and the site recovers by itself."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from tests.common.test_serve import free_port
from tests.factories import cn_market, us_market
from trunkshow.storefront import api as storefront_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper():
    cn_market(), us_market()
    return Client(raise_request_exception=False)


def test_the_api_answers_503_with_retry_after_while_the_database_is_down(shopper, monkeypatch):
    # Given the database refuses connections (a restart, a dropped connection)
    def down(**kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(storefront_api, "shelf", down)

    # When a shopper asks for the products, in Chinese
    response = shopper.get("/api/v1/products?market=CN&locale=zh-Hans")

    # Then a 503 in the API's error shape says when to try again, in their language
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"code": "unavailable", "message": "店铺暂时繁忙，请几秒钟后再试。"}

    # And once the database is back the same request succeeds, nothing restarted
    monkeypatch.undo()
    assert shopper.get("/api/v1/products?market=CN").status_code == 200


def test_a_page_answers_503_with_retry_after_while_redis_is_down(shopper, settings):
    # Given rate limits counted in a Redis that is not answering
    dead = f"redis://127.0.0.1:{free_port()}/0"
    caches = {**settings.CACHES, "ratelimit": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead,
        "OPTIONS": {"socket_connect_timeout": 1}}}  # fmt: skip
    with override_settings(CACHES=caches):
        # When a shopper opens a page that counts against a limit
        response = shopper.post("/api/v1/carts", {"market": "US"}, content_type="application/json")
        page = shopper.get("/en/products/")

    # Then each is a 503 with a retry hint, at once, never a 500
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert page.status_code in {200, 503}  # a page with no limit needs no Redis
    # And with Redis back, the write goes through
    assert (
        shopper.post("/api/v1/carts", {"market": "US"}, content_type="application/json").status_code
        == 201
    )


def test_any_other_failure_is_still_a_500(shopper, monkeypatch):
    def bug(**kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(storefront_api, "shelf", bug)
    assert shopper.get("/api/v1/products?market=CN").status_code == 500
