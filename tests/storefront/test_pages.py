"""The shop window in both languages, in the shopper's market."""

from __future__ import annotations

import pytest

from tests.factories import ProductFactory, sellable_variant, us_market
from trunkshow.common.middleware import MARKET_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture
def tote():
    product = ProductFactory(
        slug="signature-tote", titles={"en": "Signature Tote", "zh-Hans": "标志托特包"}
    )
    sellable_variant(product=product, sku="TOTE-NVY", prices={"CN": "3980", "US": "498"},
                     stock={"CN": 5, "US": 0})  # fmt: skip
    return product


def test_the_root_sends_a_chinese_browser_to_chinese_and_an_english_one_to_english(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")["Location"] == "/zh-hans/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")["Location"] == "/en/"
    # A language we do not have falls back to Chinese, the brand's first language.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR")["Location"] == "/zh-hans/"


def test_home_in_chinese_shows_chinese_titles_and_yuan(client, tote):
    page = client.get("/zh-hans/").content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "标志托特包" in page
    assert "¥3,980.00" in page
    assert "标志手袋" in page


def test_home_in_english_defaults_to_the_us_market_and_dollars(client, tote):
    page = client.get("/en/").content.decode()
    assert "Signature Tote" in page
    assert "$498.00" in page
    assert "Sold out" in page


def test_product_page_shows_price_colour_and_stock(client, tote):
    page = client.get("/zh-hans/products/signature-tote/").content.decode()
    assert "¥3,980.00" in page
    assert "藏青" in page
    assert "有货" in page
    page_en = client.get("/en/products/signature-tote/").content.decode()
    assert "$498.00" in page_en
    assert "Sold out in this market" in page_en


def test_unknown_product_is_a_404(client, tote):
    assert client.get("/en/products/no-such-bag/").status_code == 404


def test_choosing_a_market_keeps_the_language_and_changes_the_currency(client, tote):
    # Given an English reader shopping in China
    response = client.post(
        "/region/", {"market": "CN", "language": "en", "next": "/zh-hans/products/"}
    )
    # Then they land on the English page and see yuan
    assert response.status_code == 302
    assert response["Location"] == "/en/products/"
    assert response.cookies[MARKET_COOKIE].value == "CN"
    page = client.get("/en/products/").content.decode()
    assert "CN¥3,980.00" in page


def test_region_form_never_redirects_off_site(client, tote):
    response = client.post("/region/", {"market": "US", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_region_form_ignores_unknown_markets(client, tote):
    response = client.post("/region/", {"market": "XX", "language": "en", "next": "/en/"})
    assert MARKET_COOKIE not in response.cookies


def test_region_form_requires_csrf():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/region/", {"market": "US"}).status_code == 403


def test_a_hostile_title_is_shown_literally(client):
    product = ProductFactory(titles={"en": "<script>alert('x')</script>", "zh-Hans": "<b>包</b>"})
    sellable_variant(product=product, stock={"CN": 1})
    us_market()
    page = client.get("/zh-hans/").content.decode()
    assert "<b>包</b>" not in page
    assert "&lt;b&gt;包&lt;/b&gt;" in page


def test_media_cannot_escape_the_media_folder(client):
    assert client.get("/media/../trunkshow/settings.py").status_code == 404
    assert client.get("/media/%2e%2e/var/secret_key").status_code == 404


def test_a_missing_page_is_a_friendly_404_in_the_shoppers_language(client, tote):
    response = client.get("/zh-hans/products/gone/")
    assert response.status_code == 404
    assert "返回店铺" in response.content.decode()
    assert "Back to the shop" in client.get("/en/products/gone/").content.decode()


def test_pages_forbid_scripts_from_anywhere_but_the_site_itself(client, tote):
    page = client.get("/zh-hans/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    # JSON answers are data, not pages
    assert "Content-Security-Policy" not in client.get("/api/v1/ping")
