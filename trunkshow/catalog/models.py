from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trunkshow.common.locales import localized
from trunkshow.common.models import Market, validate_locale

TAG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
MAX_TAGS = 20


def validate_tags(value: object) -> None:
    if not isinstance(value, list) or len(value) > MAX_TAGS:
        raise ValidationError(_("Give a list of at most %(n)s tags."), params={"n": MAX_TAGS})
    for tag in value:
        if not isinstance(tag, str) or not TAG_PATTERN.match(tag):
            raise ValidationError(
                _("Tag %(tag)r must be lower-case letters, digits or dashes."),
                params={"tag": tag},
            )


class Product(models.Model):
    class Kind(models.TextChoices):
        HANDBAG = "handbag", _("Handbag")
        TRAVEL = "travel", _("Travel piece")

    slug = models.SlugField(unique=True, max_length=80)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.HANDBAG)
    trait_tags = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_tags],
        help_text=_('Lifestyle traits the quiz matches, e.g. ["city", "travel"].'),
    )
    boost = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Merchandising boost: 1 is neutral, 2 ranks it twice as high."),
    )
    position = models.PositiveIntegerField(
        default=0, help_text=_("The brand's default order: lower comes first.")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class ProductTranslation(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="translations")
    locale = models.CharField(max_length=16, validators=[validate_locale])
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=4000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "locale"], name="uniq_product_locale")
        ]
        ordering = ["product", "locale"]

    def __str__(self) -> str:
        return f"{self.product.slug} [{self.locale}]"


class VariantManager(models.Manager["Variant"]):
    def get_by_natural_key(self, sku: str) -> Variant:
        """A variant by its SKU: fixtures of a new market's prices name bags, not row ids."""
        return self.get(sku=sku)


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(
        unique=True,
        max_length=64,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]{1,63}$", _("Use A-Z, 0-9 and dashes."))],
    )
    color_hex = models.CharField(
        max_length=7, validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Use #RRGGBB."))]
    )
    color_names = models.JSONField(
        default=dict,
        help_text=_('Colour name per locale, e.g. {"en": "Black", "zh-Hans": "黑色"}.'),
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = VariantManager()

    class Meta:
        ordering = ["product", "position", "sku"]

    def __str__(self) -> str:
        return self.sku

    def natural_key(self) -> tuple[str]:
        return (self.sku,)

    def color_name(self, locale: str) -> str:
        return localized(self.color_names, locale)


class Price(models.Model):
    """What one variant costs in one market; the currency is always the market's."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="prices")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(
        max_length=3, blank=True, help_text=_("Left blank, the market's currency.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "market"], name="uniq_price_variant_market"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} {self.amount} {self.currency}"

    def clean(self) -> None:
        if self.market_id and not self.currency:
            self.currency = self.market.currency
        if self.market_id and self.currency != self.market.currency:
            raise ValidationError(
                {
                    "currency": _("Prices in %(market)s are in %(currency)s.")
                    % {"market": self.market.code, "currency": self.market.currency}
                }
            )


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, null=True, blank=True, related_name="images"
    )
    image = models.ImageField(upload_to="products/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["product", "position", "pk"]

    def __str__(self) -> str:
        return self.image.name or ""
