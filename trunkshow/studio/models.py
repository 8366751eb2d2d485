from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trunkshow.common.models import Market


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class BagTemplate(models.Model):
    """A customizable bag: its outline and named zones as polygons in a 0..1 box."""

    key = models.SlugField(max_length=64, unique=True)
    product_sku = models.CharField(
        max_length=64, help_text=_("The SKU a painted bag is made from.")
    )
    titles = models.JSONField(default=dict)
    outline = models.JSONField(default=list)
    zones = models.JSONField(
        default=list,
        help_text=_('[{"key": "flap", "titles": {"en": "Flap"}, "path": [[x, y], ...]}]'),
    )
    monogram_at = models.JSONField(default=list)
    surcharges = models.JSONField(
        default=dict,
        help_text=_('Per mode and market: {"artisan": {"CN": "800.00"}, "diy": {"CN": "200.00"}}'),
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key


class PaletteVersion(models.Model):
    """Paint constants fitted from a calibration card: one version per fit, never edited.

    A design keeps the version it was made with (its recipes were computed
    with it); new recipes use the latest version of the palette's key.
    """

    key = models.SlugField(max_length=32, default="diy-kit")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200, blank=True, default="")
    mode = models.CharField(max_length=64)
    # [{"key", "names", "k": [31 floats], "s": [31 floats]}], in the card's order.
    paints = models.JSONField()
    # The kit: unit, drop_ml, pot_ml, coverage_ml_per_cm2, coats.
    kit = models.JSONField()
    card = models.JSONField()
    # Per swatch: label, measured and model CIELAB, CIEDE2000; and leave-one-out errors.
    report = models.JSONField(default=dict)
    mean_residual = models.FloatField()
    loo_mean = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["key", "number"], name="palette_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.number}"


class Design(models.Model):
    class Mode(models.TextChoices):
        ARTISAN = "artisan", _("Hand-painted by our artisans")
        DIY = "diy", _("Paint it yourself (kit)")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    template = models.ForeignKey(BagTemplate, on_delete=models.PROTECT, related_name="designs")
    mode = models.CharField(max_length=16, choices=Mode.choices)
    market = models.ForeignKey(Market, on_delete=models.PROTECT, related_name="+")
    # The colour of the blank bag it is painted on (a variant of the template's
    # product); empty on designs kept before the shopper could choose one.
    blank_sku = models.CharField(max_length=64, blank=True, default="")
    document = models.JSONField()
    # The browser that made it: how a privacy request finds its designs.
    visitor_id = models.CharField(max_length=64, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    paints = models.JSONField(default=list)
    # The fitted kit palette its recipes were computed with (null: the built-in one).
    palette_version = models.ForeignKey(
        PaletteVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="designs"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    # How the amount was made: the bag, then the artisans' work or the kit.
    price_parts = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="design_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.template_id}, {self.mode})"

    @property
    def sku(self) -> str:
        """The blank bag a cart holds and an order allocates for this design."""
        return self.blank_sku or self.template.product_sku
