from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from trunkshow.catalog.models import Price, Product, ProductImage, ProductTranslation, Variant
from trunkshow.common.models import Market
from trunkshow.common.services import sync_row


@transaction.atomic
def product_sync(
    *,
    slug: str,
    kind: str,
    trait_tags: list[str],
    translations: Mapping[str, tuple[str, str]],
    position: int = 0,
    boost: Decimal = Decimal("1.00"),
) -> Product:
    """Create or update a product and its per-locale texts, writing only what changed."""
    product, _changed = sync_row(
        Product,
        lookup={"slug": slug},
        values={
            "kind": kind,
            "trait_tags": list(trait_tags),
            "position": position,
            "boost": boost,
            "is_active": True,
        },
    )
    for locale, (title, description) in translations.items():
        sync_row(
            ProductTranslation,
            lookup={"product": product, "locale": locale},
            values={"title": title, "description": description},
        )
    return product


@transaction.atomic
def variant_sync(
    *, product: Product, sku: str, color_hex: str, color_names: Mapping[str, str], position: int
) -> Variant:
    variant, _changed = sync_row(
        Variant,
        lookup={"sku": sku},
        values={
            "product": product,
            "color_hex": color_hex,
            "color_names": dict(color_names),
            "position": position,
            "is_active": True,
        },
    )
    return variant


@transaction.atomic
def price_set(*, variant: Variant, market: Market, amount: Decimal) -> Price:
    """Set a variant's price in a market; the currency always follows the market."""
    price, _changed = sync_row(
        Price,
        lookup={"variant": variant, "market": market},
        values={"amount": amount, "currency": market.currency},
    )
    return price


@transaction.atomic
def product_image_sync(
    *, product: Product, variant: Variant | None, position: int, name: str, content: bytes
) -> ProductImage:
    """Store a picture under a fixed name and point the product at it.

    The same bytes under the same name are left alone, so re-running a loader
    touches neither the file nor the row.
    """
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if existing.read() != content:
                default_storage.delete(name)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            raise RuntimeError(f"Storage renamed {name} to {saved}; expected the fixed name.")
    image, _changed = sync_row(
        ProductImage,
        lookup={"product": product, "variant": variant, "position": position},
        values={"image": name},
    )
    return image
