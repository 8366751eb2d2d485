from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from trunkshow.catalog.models import Product
from trunkshow.common.api_errors import ApiError, resolve_market_and_locale
from trunkshow.common.money import amount_str
from trunkshow.storefront.selectors import shelf

router = Router(tags=["catalog"])


class MoneyOut(Schema):
    amount: str
    currency: str


class VariantOut(Schema):
    sku: str
    color: str
    color_hex: str
    price: MoneyOut
    in_stock: bool


class ProductOut(Schema):
    sku: str
    slug: str
    title: str
    price: MoneyOut
    image_url: str
    in_stock: bool
    kind: str
    product_url: str
    variants: list[VariantOut]


@router.get("/products", response=list[ProductOut], summary="Products sellable in a market")
def list_products(
    request: HttpRequest,
    market: str | None = None,
    locale: str | None = None,
    kind: str | None = None,
) -> list[dict[str, object]]:
    market_code, resolved_locale = resolve_market_and_locale(market, locale)
    if kind is not None and kind not in Product.Kind.values:
        known = ", ".join(Product.Kind.values)
        raise ApiError.unprocessable([(["query", "kind"], f"Unknown kind; known kinds: {known}.")])
    items = shelf(market_code=market_code, locale=resolved_locale, kind=kind)
    prefix = "/" + resolved_locale.lower()
    return [
        {
            "sku": item.lead.sku,
            "slug": item.product.slug,
            "title": item.product.title,
            "price": {
                "amount": amount_str(item.lead.amount, item.lead.currency),
                "currency": item.lead.currency,
            },
            "image_url": request.build_absolute_uri(item.lead.image_url)
            if item.lead.image_url
            else "",
            "in_stock": item.in_stock,
            "kind": item.product.kind,
            "product_url": request.build_absolute_uri(f"{prefix}/products/{item.product.slug}/"),
            "variants": [
                {
                    "sku": v.sku,
                    "color": v.color_name,
                    "color_hex": v.color_hex,
                    "price": {"amount": amount_str(v.amount, v.currency), "currency": v.currency},
                    "in_stock": item.available.get(v.sku, 0) > 0,
                }
                for v in item.product.variants
            ],
        }
        for item in items
    ]
