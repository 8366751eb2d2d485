"""A third market (Japan) opened by data alone: prices, tax, shipping, time zone,
campaign schedule, currency format and the quiz work with no code for it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import campaign
from tests.quiz.conftest import TRAVELLER, demo_quiz, shop  # noqa: F401 - shared fixtures
from trunkshow.campaigns.selectors import campaign_showing
from trunkshow.commerce.models import Order, ShippingMethod
from trunkshow.common.money import amount_str, minor_units

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "market_jp.json"
JP = {"REMOTE_ADDR": "10.7.0.1"}


def api(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def japan(shop, demo_quiz):  # noqa: F811
    for market in ("CN", "US"):
        ShippingMethod.objects.create(market_id=market, code="standard", amount=Decimal("0"),
                                      names={"en": "Standard"}, is_default=True)  # fmt: skip
    campaign(windows={"CN": (datetime(2026, 11, 11, 2, tzinfo=UTC),
                             datetime(2026, 11, 12, 16, tzinfo=UTC))})  # fmt: skip
    call_command("loaddata", str(FIXTURE), verbosity=0)


def test_minor_units_come_from_the_currency_data():
    assert (minor_units("JPY"), minor_units("CNY"), minor_units("KWD")) == (0, 2, 3)
    assert amount_str(Decimal("18000.00"), "JPY") == "18000"
    assert amount_str(Decimal("1280"), "CNY") == "1280.00"


def test_prices_are_yen_without_a_minor_unit_and_english_is_the_fallback(client, japan):
    products = client.get("/api/v1/products?market=JP&locale=en").json()
    prices = {p["slug"]: p["price"] for p in products}
    assert prices["passport"] == {"amount": "18000", "currency": "JPY"}
    # A shopper who picks Japan and Japanese gets the market's fallback, English
    chosen = client.post("/region/", {"market": "JP", "language": "ja", "next": "/zh-hans/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/en/"
    home = client.get("/en/").content.decode()
    assert "¥18,000" in home or "¥24,000" in home


def test_the_quiz_and_checkout_work_in_yen_with_tax_included(client, japan):
    result = api(client, "/api/v1/quizzes/ask-the-designer/result",
                 {"answers": TRAVELLER, "market": "JP", "locale": "en"}, **JP).json()  # fmt: skip
    pick = next(r for r in result["recommendations"] if r.get("in_stock", True))
    assert pick["price"]["currency"] == "JPY" and "." not in pick["price"]["amount"]

    cart = api(client, "/api/v1/carts", {"market": "JP"}, **JP).json()["id"]
    api(client, f"/api/v1/carts/{cart}/lines", {"sku": "PASSPORT-1", "quantity": 2}, **JP)
    body = {
        "email": "aoi@example.com", "name": "Aoi", "shipping_method": "express",
        "address": {"line1": "1-1 Marunouchi", "city": "Chiyoda", "region": "Tokyo",
                    "postal_code": "100-0005", "country": "JP", "phone": "+81312345678"},
        "payment_token": "sandbox-ok",
    }  # fmt: skip
    placed = api(client, f"/api/v1/carts/{cart}/checkout", body, HTTP_IDEMPOTENCY_KEY="jp", **JP)
    assert placed.status_code in (200, 201), placed.content
    total = placed.json()["total"]
    # 2 x 18000 + 1500 express; consumption tax is in the price
    assert total["amount"] == "37500" and total["currency"] == "JPY"
    assert "¥37,500" in total.get("display", "¥37,500")
    order = Order.objects.get()
    assert order.total == Decimal("37500") and order.currency == "JPY"


def test_the_campaign_schedule_is_shown_in_tokyo_time(japan):
    # The fixture's window is an instant (UTC); the market's zone says how it reads
    during = datetime(2026, 11, 11, 5, tzinfo=UTC)
    view = campaign_showing(market_code="JP", locale="en", now=during)
    assert view is not None and str(view.status) == "live" and view.time_zone == "Asia/Tokyo"
    assert view.starts_local.isoformat() == "2026-11-11T10:00:00+09:00"
    before = campaign_showing(market_code="JP", locale="en", now=datetime(2026, 11, 10, tzinfo=UTC))
    assert before is not None and str(before.status) == "teaser"
