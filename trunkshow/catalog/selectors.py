from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from trunkshow.catalog.models import Price, Product, ProductImage, ProductTranslation, Variant
from trunkshow.common.local_cache import cached
from trunkshow.common.locales import localized


@dataclass(frozen=True)
class VariantCard:
    sku: str
    color_hex: str
    color_name: str
    amount: Decimal
    currency: str
    image_url: str


@dataclass(frozen=True)
class ProductCard:
    """A product as one market and one locale see it: only what is sellable there."""

    slug: str
    kind: str
    title: str
    description: str
    trait_tags: list[str]
    boost: Decimal
    position: int
    variants: list[VariantCard]
    image_urls: list[str] = field(default_factory=list)

    @property
    def image_url(self) -> str:
        return self.image_urls[0] if self.image_urls else ""


def _sellable_queryset(*, market_code: str) -> QuerySet[Product]:
    priced_variants = (
        Variant.objects.filter(is_active=True, prices__market_id=market_code)
        .prefetch_related(
            Prefetch("prices", queryset=Price.objects.filter(market_id=market_code)),
        )
        .order_by("position", "sku")
    )
    return (
        Product.objects.filter(
            is_active=True,
            variants__is_active=True,
            variants__prices__market_id=market_code,
        )
        .distinct()
        .prefetch_related(
            Prefetch("variants", queryset=priced_variants, to_attr="sellable_variants"),
            Prefetch("translations", queryset=ProductTranslation.objects.all()),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk")),
        )
        .order_by("position", "slug")
    )


def _card(product: Product, *, locale: str) -> ProductCard:
    titles = {t.locale: t.title for t in product.translations.all()}
    descriptions = {t.locale: t.description for t in product.translations.all()}
    images = list(product.images.all())
    general = [img.image.url for img in images if img.variant_id is None]
    by_variant: dict[int, str] = {}
    for img in images:
        if img.variant_id is not None:
            by_variant.setdefault(img.variant_id, img.image.url)
    variants = []
    for variant in product.sellable_variants:  # type: ignore[attr-defined]
        price = variant.prices.all()[0]
        variants.append(
            VariantCard(
                sku=variant.sku,
                color_hex=variant.color_hex,
                color_name=variant.color_name(locale),
                amount=price.amount,
                currency=price.currency,
                image_url=by_variant.get(variant.pk) or (general[0] if general else ""),
            )
        )
    image_urls = [v.image_url for v in variants if v.image_url] + general
    return ProductCard(
        slug=product.slug,
        kind=product.kind,
        title=localized(titles, locale) or product.slug,
        description=localized(descriptions, locale),
        trait_tags=list(product.trait_tags),
        boost=product.boost,
        position=product.position,
        variants=variants,
        image_urls=list(dict.fromkeys(image_urls)),
    )


def _cache_seconds() -> float:
    return float(getattr(settings, "CATALOG_CACHE_SECONDS", 10))


def sellable_products(
    *, market_code: str, locale: str, kind: str | None = None
) -> list[ProductCard]:
    """Return active products with at least one variant priced in the market, brand order.

    A snapshot at most CATALOG_CACHE_SECONDS old: the shop window and the
    quiz read it on every request; stock is never part of it.
    """

    def build() -> list[ProductCard]:
        queryset = _sellable_queryset(market_code=market_code)
        if kind:
            queryset = queryset.filter(kind=kind)
        return [_card(product, locale=locale) for product in queryset]

    return cached(("catalog.cards", market_code, locale, kind), _cache_seconds(), build)


def sellable_products_by_slug(*, market_code: str, locale: str) -> dict[str, ProductCard]:
    def build() -> dict[str, ProductCard]:
        return {c.slug: c for c in sellable_products(market_code=market_code, locale=locale)}

    return cached(("catalog.by_slug", market_code, locale), _cache_seconds(), build)


@dataclass(frozen=True)
class RankingRow:
    sku: str
    product_slug: str
    tags: tuple[str, ...]
    boost: float
    position: int


def ranking_rows(*, market_code: str) -> list[RankingRow]:
    """Return every variant sellable in the market with what ranking needs, brand order."""

    def build() -> list[RankingRow]:
        rows = (
            Variant.objects.filter(
                is_active=True, product__is_active=True, prices__market_id=market_code
            )
            .order_by("product__position", "product__slug", "position", "sku")
            .values_list(
                "sku", "product__slug", "product__trait_tags", "product__boost",
                "product__position", "position",
            )
        )  # fmt: skip
        return [
            RankingRow(sku, slug, tuple(tags or ()), float(boost), product_pos * 100 + min(pos, 99))
            for sku, slug, tags, boost, product_pos, pos in rows
        ]

    return cached(("catalog.ranking", market_code), _cache_seconds(), build)


def sellable_product(*, slug: str, market_code: str, locale: str) -> ProductCard | None:
    product = _sellable_queryset(market_code=market_code).filter(slug=slug).first()
    return _card(product, locale=locale) if product else None


@dataclass(frozen=True)
class Offer:
    """One SKU as a market sells it: what a cart line and an order line show."""

    sku: str
    product_slug: str
    title: str
    color_name: str
    amount: Decimal
    currency: str
    image_url: str

    @property
    def slug(self) -> str:
        return self.product_slug


def offer_of(card: ProductCard, variant: VariantCard) -> Offer:
    """The one place a product card's variant becomes what a line or a pick shows."""
    return Offer(
        sku=variant.sku,
        product_slug=card.slug,
        title=card.title,
        color_name=variant.color_name,
        amount=variant.amount,
        currency=variant.currency,
        image_url=variant.image_url,
    )


def _offers(cards: list[ProductCard], wanted: set[str]) -> dict[str, Offer]:
    return {
        variant.sku: offer_of(card, variant)
        for card in cards
        for variant in card.variants
        if variant.sku in wanted
    }


def offers_by_sku(
    *, skus: list[str], market_code: str, locale: str, live: bool = False
) -> dict[str, Offer]:
    """Return the offer for each SKU sellable in the market (others are missing).

    From the shop window's snapshot by default (what a cart shows); `live`
    reads the rows now, which is what a checkout charges.
    """
    wanted = set(skus)
    if not wanted:
        return {}
    if not live:
        return _offers(sellable_products(market_code=market_code, locale=locale), wanted)
    products = _sellable_queryset(market_code=market_code).filter(variants__sku__in=wanted)
    return _offers([_card(product, locale=locale) for product in products], wanted)


def sellable_skus(*, market_code: str) -> frozenset[str]:
    """SKUs sellable in the market now (a snapshot, like the shop window)."""

    def build() -> frozenset[str]:
        return frozenset(row.sku for row in ranking_rows(market_code=market_code))

    return cached(("catalog.skus", market_code), _cache_seconds(), build)
