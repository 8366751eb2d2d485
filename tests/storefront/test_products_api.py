"""GET /api/v1/products: what a shopper's app lists for its market and language."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import ProductFactory, sellable_variant, us_market
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.django_db


def get_products(client: Client, **params: str):
    return client.get("/api/v1/products", params)


def test_lists_products_with_price_in_the_markets_currency_and_title_in_the_locale(client):
    # Given a bag priced in China and the US, with Chinese and English titles
    product = ProductFactory(titles={"en": "Signature Tote", "zh-Hans": "标志托特包"})
    sellable_variant(product=product, sku="TOTE-NVY", prices={"CN": "3980", "US": "498"},
                     stock={"CN": 3, "US": 0})  # fmt: skip

    # When a Chinese shopper and an American shopper ask for the list
    cn = get_products(client, market="CN", locale="zh-Hans")
    us = get_products(client, market="US", locale="en")

    # Then each sees their own language, currency and stock
    assert cn.status_code == 200
    [item] = cn.json()
    assert item["sku"] == "TOTE-NVY"
    assert item["slug"] == product.slug
    assert item["title"] == "标志托特包"
    assert item["price"] == {"amount": "3980.00", "currency": "CNY"}
    assert item["in_stock"] is True
    assert item["image_url"] == ""
    [us_item] = us.json()
    assert us_item["title"] == "Signature Tote"
    assert us_item["price"] == {"amount": "498.00", "currency": "USD"}
    assert us_item["in_stock"] is False


def test_products_without_a_price_in_the_market_are_not_listed_there(client):
    sellable_variant(sku="CN-ONLY", prices={"CN": "100"}, stock={"CN": 1})
    us_market()
    assert get_products(client, market="US", locale="en").json() == []
    assert [p["sku"] for p in get_products(client, market="CN", locale="en").json()] == ["CN-ONLY"]


def test_inactive_products_and_variants_are_not_listed(client):
    hidden = sellable_variant(sku="HIDDEN", stock={"CN": 1})
    hidden.product.is_active = False
    hidden.product.save()
    retired = sellable_variant(sku="RETIRED", stock={"CN": 1})
    retired.is_active = False
    retired.save()
    assert get_products(client, market="CN", locale="en").json() == []


def test_the_listed_sku_is_the_first_colour_in_stock(client):
    product = ProductFactory()
    sellable_variant(product=product, sku="A-SOLDOUT", position=0, stock={"CN": 0})
    sellable_variant(product=product, sku="B-INSTOCK", position=1, stock={"CN": 2})
    [item] = get_products(client, market="CN", locale="en").json()
    assert item["sku"] == "B-INSTOCK"
    assert item["in_stock"] is True
    assert [v["sku"] for v in item["variants"]] == ["A-SOLDOUT", "B-INSTOCK"]


def test_allocated_units_do_not_count_as_in_stock(client):
    sellable_variant(sku="ALLOC", stock={"CN": 2})
    StockItem.objects.filter(sku="ALLOC").update(allocated=2)
    [item] = get_products(client, market="CN", locale="en").json()
    assert item["in_stock"] is False


def test_market_and_locale_are_case_insensitive(client):
    sellable_variant(sku="CASE", stock={"CN": 1})
    response = get_products(client, market="cn", locale="ZH-HANS")
    assert response.status_code == 200
    assert response.json()[0]["sku"] == "CASE"


def test_without_parameters_the_default_market_and_its_language_are_used(client):
    sellable_variant(sku="DEF", stock={"CN": 1})
    response = client.get("/api/v1/products")
    assert response.status_code == 200
    assert response.json()[0]["price"]["currency"] == "CNY"


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"market": "XX", "locale": "en"}, ["market"]),
        ({"market": "CN", "locale": "fr"}, ["locale"]),
        ({"market": "ZZ", "locale": "xx-YY"}, ["market", "locale"]),
        ({"market": "", "locale": "en"}, ["market"]),
        ({"market": "CN" * 500, "locale": "en"}, ["market"]),
        ({"market": "<script>alert(1)</script>", "locale": "en"}, ["market"]),
        ({"market": "CN", "locale": "' OR 1=1 --"}, ["locale"]),
    ],
)
def test_unknown_market_or_locale_is_a_422_naming_each_bad_parameter(client, params, bad):
    sellable_variant(sku="X", stock={"CN": 1})
    response = get_products(client, **params)
    assert response.status_code == 422
    body = response.json()
    assert [d["loc"][-1] for d in body["detail"]] == bad
    for name in bad:
        assert f"Unknown {name}" in body["message"]
    assert "known markets: CN" in body["message"] or "known locales: zh-Hans, en" in body["message"]
    assert len(response.content) < 2000


def test_products_can_be_filtered_by_kind_and_an_unknown_kind_is_a_422(client):
    sellable_variant(sku="BAG", stock={"CN": 1})
    travel = ProductFactory(kind="travel")
    sellable_variant(product=travel, sku="TRAVEL", stock={"CN": 1})
    listed = get_products(client, market="CN", kind="travel").json()
    assert [p["sku"] for p in listed] == ["TRAVEL"]
    response = get_products(client, market="CN", kind="spaceship")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "kind"]


def test_openapi_schema_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/products" in response.json()["paths"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
