from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from trunkshow.common.models import Market


class StockItem(models.Model):
    """Units of one SKU held for one market.

    Keyed by SKU text rather than a foreign key: inventory and catalog sit on
    one level of the architecture and neither imports the other. The CHECK
    constraints make negative or over-allocated stock impossible whatever
    code path writes, including raw SQL and the admin.
    """

    sku = models.CharField(max_length=64)
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    on_hand = models.PositiveIntegerField(default=0)
    allocated = models.PositiveIntegerField(default=0)
    per_shopper_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="At most this many units per shopper (a campaign drop); empty for no limit.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sku", "market"], name="uniq_stock_sku_market"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_gte_0"),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="stock_allocated_gte_0"),
            models.CheckConstraint(
                condition=Q(allocated__lte=F("on_hand")), name="stock_allocated_lte_on_hand"
            ),
        ]
        ordering = ["sku", "market"]

    def __str__(self) -> str:
        return f"{self.sku} @ {self.market_id}: {self.unallocated} unallocated"

    @property
    def unallocated(self) -> int:
        return self.on_hand - self.allocated


class Reservation(models.Model):
    """Units held for one cart until `reserved_until`.

    Availability counts only live reservations (reserved_until in the
    future), so it is right even when the clean-up job never runs; the job
    only keeps the table small.
    """

    sku = models.CharField(max_length=64)
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    holder = models.CharField(max_length=64, help_text="Who holds it: a cart's id.")
    quantity = models.PositiveIntegerField()
    reserved_until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "sku", "market"], name="uniq_reservation_holder_sku"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_quantity_gt_0"),
        ]
        indexes = [models.Index(fields=["sku", "market", "reserved_until"])]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku} @ {self.market_id} for {self.holder}"
