from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import cn_market, sellable_variant, us_market
from trunkshow.commerce.models import ShippingMethod


@pytest.fixture
def store(db):
    """Two bags in CN and US, a few units each, and shipping in both markets."""
    cn, us = cn_market(), us_market()
    for market, express in ((cn, "30.00"), (us, "25.00")):
        ShippingMethod.objects.create(
            market=market,
            code="standard",
            amount=Decimal("0"),
            names={"en": "Standard", "zh-Hans": "标准"},
            is_default=True,
        )
        ShippingMethod.objects.create(market=market, code="express", amount=Decimal(express),
                                      names={"en": "Express", "zh-Hans": "快递"}, position=1)  # fmt: skip
    tote = sellable_variant(sku="TOTE-1", prices={"CN": "1000", "US": "150"},
                            stock={"CN": 3, "US": 3})  # fmt: skip
    clutch = sellable_variant(sku="CLUTCH-1", prices={"CN": "500.50", "US": "80"},
                              stock={"CN": 1, "US": 0})  # fmt: skip
    return {"tote": tote, "clutch": clutch}


CN_ADDRESS = {
    "line1": "南京西路 1266 号", "district": "静安区", "city": "上海市", "region": "上海市",
    "postal_code": "200040", "country": "CN", "phone": "13800138000",
}  # fmt: skip


def checkout_body(token: str = "sandbox-ok", **changes: object) -> dict[str, object]:  # noqa: S107
    body: dict[str, object] = {
        "email": "lin@example.com", "name": "林", "address": dict(CN_ADDRESS),
        "payment_token": token,
    }  # fmt: skip
    body.update(changes)
    return body
