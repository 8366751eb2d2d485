from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from trunkshow.catalog.models import Product
from trunkshow.common.api_errors import ApiError
from trunkshow.common.locales import normalize_locale, supported_locales
from trunkshow.common.money import amount_str
from trunkshow.common.selectors import active_markets, default_market, market_by_code
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


def resolve_market_and_locale(market: str | None, locale: str | None) -> tuple[str, str]:
    """Return a valid (market code, locale) or raise one 422 naming every bad parameter."""
    errors = []
    market_row = None
    if market is not None:
        market_row = market_by_code(market) if len(market) <= 16 else None
        if market_row is None:
            known = ", ".join(m.code for m in active_markets())
            errors.append(
                (["query", "market"], f"Unknown market {market[:16]!r}; known markets: {known}.")
            )
    resolved_locale = None
    if locale is not None:
        resolved_locale = normalize_locale(locale) if len(locale) <= 35 else None
        if resolved_locale is None:
            known = ", ".join(supported_locales())
            errors.append(
                (["query", "locale"], f"Unknown locale {locale[:35]!r}; known locales: {known}.")
            )
    if errors:
        raise ApiError.unprocessable(errors)
    if market_row is None:
        market_row = default_market(locale=resolved_locale)
    if market_row is None:
        raise ApiError(503, "no_market", "No market is configured yet.")
    return market_row.code, resolved_locale or market_row.default_locale


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
            "price": {"amount": amount_str(item.lead.amount), "currency": item.lead.currency},
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
                    "price": {"amount": amount_str(v.amount), "currency": v.currency},
                    "in_stock": item.available.get(v.sku, 0) > 0,
                }
                for v in item.product.variants
            ],
        }
        for item in items
    ]
