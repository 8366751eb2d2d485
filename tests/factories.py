from __future__ import annotations

from decimal import Decimal

import factory

from trunkshow.catalog.models import Price, Product, ProductTranslation, Variant
from trunkshow.common.models import Market
from trunkshow.inventory.models import StockItem


class MarketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Market
        django_get_or_create = ("code",)

    code = "CN"
    names = factory.LazyAttribute(lambda m: {"en": m.code, "zh-Hans": m.code})
    currency = "CNY"
    default_locale = "zh-Hans"
    time_zone = "Asia/Shanghai"


def cn_market() -> Market:
    return MarketFactory(
        code="CN", names={"en": "China mainland", "zh-Hans": "中国大陆"}, currency="CNY",
        default_locale="zh-Hans", time_zone="Asia/Shanghai", position=0, prices_include_tax=True,
    )  # fmt: skip


def us_market() -> Market:
    return MarketFactory(
        code="US", names={"en": "United States", "zh-Hans": "美国"}, currency="USD",
        default_locale="en", time_zone="America/New_York", position=1,
    )  # fmt: skip


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"bag-{n}")
    kind = Product.Kind.HANDBAG
    trait_tags = factory.LazyFunction(lambda: ["city"])
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def titles(self, create: bool, extracted: dict[str, str] | None, **kwargs: object) -> None:
        texts = extracted or {"en": f"Bag {self.slug}", "zh-Hans": f"包 {self.slug}"}
        for locale, title in texts.items():
            ProductTranslation.objects.create(
                product=self, locale=locale, title=title, description=f"{title}."
            )


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    color_hex = "#1F3A5F"
    color_names = factory.LazyFunction(lambda: {"en": "Navy", "zh-Hans": "藏青"})


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Price

    variant = factory.SubFactory(VariantFactory)
    market = factory.LazyFunction(cn_market)
    amount = Decimal("1280.00")
    currency = factory.LazyAttribute(lambda p: p.market.currency)


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockItem

    sku = "SKU-0000"
    market = factory.LazyFunction(cn_market)
    on_hand = 5


def sellable_variant(
    *,
    prices: dict[str, str] | None = None,
    stock: dict[str, int] | None = None,
    **variant_kwargs: object,
) -> Variant:
    """Make a variant priced (and stocked) in the given markets: {"CN": "1280.00"}."""
    markets = {"CN": cn_market, "US": us_market}
    variant = VariantFactory(**variant_kwargs)
    for code, amount in (prices or {"CN": "1280.00"}).items():
        PriceFactory(variant=variant, market=markets[code](), amount=Decimal(amount))
    for code, units in (stock or {}).items():
        StockFactory(sku=variant.sku, market=markets[code](), on_hand=units)
    return variant


def campaign(
    *,
    slug: str = "super-brand-day",
    windows: dict[str, tuple[object, object]] | None = None,
    texts: dict[str, tuple[str, str]] | None = None,
    quiz_slug: str | None = None,
    teaser_days: int = 7,
):
    """Make a campaign through the service the admin and the demo use:
    windows {"CN": (starts_at, ends_at)} in UTC instants."""
    from trunkshow.campaigns.services import campaign_sync

    return campaign_sync(
        slug=slug,
        texts=texts
        or {
            "zh-Hans": ("超级品牌日", "只此一天。"),
            "en": ("Super Brand Day", "One day only."),
        },
        quiz_slug=quiz_slug,
        windows=windows or {},
        teaser_days=teaser_days,
    )
