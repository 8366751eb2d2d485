from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trunkshow.commerce.models import new_access_token
from trunkshow.common.models import TransitionRecord


def default_hours() -> list[float]:
    return [7.5, 7.5, 7.5, 7.5, 7.5, 0.0, 0.0]


class Artisan(models.Model):
    name = models.CharField(max_length=100)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hours = models.JSONField(
        default=default_hours,
        help_text=_("Hours at the bench per weekday, Monday first (7 numbers)."),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArtisanDayOff(models.Model):
    artisan = models.ForeignKey(Artisan, on_delete=models.CASCADE, related_name="days_off")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["artisan", "day"], name="uniq_day_off")]

    def __str__(self) -> str:
        return f"{self.artisan} off {self.day}"


class WorkshopHoliday(models.Model):
    day = models.DateField(unique=True)
    name = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class WorkOrder(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        IN_PAINTING = "in_painting", _("In painting")
        DRYING = "drying", _("Drying")
        QUALITY_CHECK = "quality_check", _("Quality check")
        READY_TO_SHIP = "ready_to_ship", _("Ready to ship")
        SHIPPED = "shipped", _("Shipped")

    # One work order per paid artisan line: the database makes "exactly once" hold.
    order_line = models.OneToOneField(
        "commerce.OrderLine", on_delete=models.PROTECT, related_name="work_order"
    )
    order_number = models.CharField(max_length=20)
    # What was paid for, frozen: later edits to the design or template change nothing here.
    snapshot = models.JSONField()
    effort_hours = models.DecimalField(max_digits=6, decimal_places=2)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    promised_ship_date = models.DateField()
    assignee = models.ForeignKey(
        Artisan, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_orders"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["promised_ship_date", "pk"]

    def __str__(self) -> str:
        return f"{self.order_number}/{self.pk} {self.status}"


class WorkOrderEvent(TransitionRecord):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.work_order_id}: {self.from_status or '-'} -> {self.to_status}"

    @property
    def from_label(self) -> str:
        return str(WorkOrder.Status(self.from_status).label) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return str(WorkOrder.Status(self.to_status).label)


class WorkOrderNote(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="notes")
    author = models.CharField(max_length=150)
    text = models.TextField(max_length=1000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.work_order_id}: {self.text[:40]}"


class WorkOrderPhoto(models.Model):
    """A photo of the finished bag, re-encoded by us; kept outside the public media."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photos")
    name = models.CharField(max_length=64, unique=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.name


class KitOrder(models.Model):
    """A paid paint-it-yourself line: what to pick and pack, and the shopper's guide."""

    class Status(models.TextChoices):
        TO_PACK = "to_pack", _("To pack")
        PACKED = "packed", _("Packed")

    order_line = models.OneToOneField(
        "commerce.OrderLine", on_delete=models.PROTECT, related_name="kit_order"
    )
    order_number = models.CharField(max_length=20)
    # The guide's link is a capability: whoever has the order can print it.
    token = models.CharField(max_length=48, unique=True, default=new_access_token, editable=False)
    locale = models.CharField(max_length=16)
    snapshot = models.JSONField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.TO_PACK, db_index=True
    )
    packed_by = models.CharField(max_length=150, blank=True)
    packed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_number}/{self.pk} kit {self.status}"
