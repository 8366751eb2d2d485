"""The OpenAPI document tells an integrator the whole contract."""

from __future__ import annotations

import pytest

from tests.factories import cn_market, us_market
from trunkshow.openapi_docs import BODILESS

pytestmark = pytest.mark.django_db


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method, path.removeprefix("/api/v1"), operation


def test_every_write_documents_its_errors_headers_and_body(client):
    # Given the markets a shop is configured with
    cn_market()
    us_market()

    # When an integrator reads the document
    document = client.get("/api/v1/openapi.json").json()

    # Then every operation with a body documents 400, 413, 415, 422 and 429
    # (with Retry-After) in the one error shape, and has a body schema
    for method, path, operation in operations(document):
        if (method, path) in BODILESS:
            assert "requestBody" not in operation, path
            assert "429" in operation["responses"], path
        elif method in ("post", "patch"):
            assert "requestBody" in operation, path
            for status in ("400", "413", "415", "422", "429"):
                assert status in operation["responses"], (method, path, status)
            limited = operation["responses"]["429"]
            assert limited["headers"]["Retry-After"]["required"] is True
            assert limited["content"]["application/json"]["schema"]["$ref"].endswith("/RateLimited")
        for status, answer in operation["responses"].items():
            assert "content" in answer or status == "204", (method, path, status)
    paths = document["paths"]
    assert "409" in paths["/api/v1/carts/{cart_id}/lines"]["post"]["responses"]
    checkout = paths["/api/v1/carts/{cart_id}/checkout"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in checkout["parameters"])
    order = paths["/api/v1/orders/{order_id}"]["get"]
    assert any(p["name"] == "Authorization" and p["in"] == "header" for p in order["parameters"])
    webhook = paths["/api/v1/payments/sandbox/webhook"]["post"]
    assert webhook["security"] == [{"sandboxSignature": []}]
    design = paths["/api/v1/designs"]["post"]
    body = design["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/DesignIn")

    # And market and locale are the configured values
    schemas = document["components"]["schemas"]
    assert schemas["CartIn"]["properties"]["market"]["enum"] == ["CN", "US"]
    products = paths["/api/v1/products"]["get"]["parameters"]
    locale = next(p for p in products if p["name"] == "locale")["schema"]["anyOf"][0]
    assert locale["enum"] == ["zh-Hans", "en"]
    assert schemas["Design"]["properties"]["preview_status"]["enum"] == ["pending", "ready"]
