from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trunkshow.common.models import Market, TransitionRecord


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


class Cart(models.Model):
    """A shopper's cart, no login needed: addressed by an unguessable id."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ORDERED = "ordered", _("Ordered")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    market = models.ForeignKey(Market, on_delete=models.PROTECT, related_name="+")
    locale = models.CharField(max_length=16, blank=True)
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    # The browser or API client's visitor id (common/visitors.py): with the session it is
    # the shopper a drop's per-shopper limit counts across carts and tabs.
    visitor_id = models.CharField(max_length=64, blank=True, db_index=True)
    # The address the cart was started from: caps on what one client holds count it.
    client_address = models.CharField(max_length=64, blank=True, db_index=True)
    # The e-mail last given at this cart's checkout: holds are also capped per e-mail,
    # so carts opened from many addresses under one e-mail count together.
    email = models.EmailField(blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"cart {self.public_id} ({self.market_id})"


class LineMode(models.TextChoices):
    STANDARD = "standard", _("As sold")
    ARTISAN = "artisan", _("Hand-painted by our artisans")
    DIY = "diy", _("Paint-it-yourself kit")


class CartLine(models.Model):
    """A SKU as sold, or a bag made to a design (its SKU is the blank it is made on)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(max_length=64)
    design = models.ForeignKey(
        "studio.Design", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(max_length=16, choices=LineMode.choices, default=LineMode.STANDARD)
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "sku"], condition=Q(design__isnull=True), name="uniq_cart_line_sku"
            ),
            models.UniqueConstraint(
                fields=["cart", "design"],
                condition=Q(design__isnull=False),
                name="uniq_cart_line_design",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_line_quantity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class ShippingMethod(models.Model):
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=32)
    names = models.JSONField(
        default=dict, help_text=_('Per locale: {"en": "...", "zh-Hans": "..."}')
    )
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    days_min = models.PositiveSmallIntegerField(default=2)
    days_max = models.PositiveSmallIntegerField(default=5)
    is_default = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["market", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["market", "code"], name="uniq_shipping_market_code"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="shipping_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.market_id}:{self.code}"


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        FULFILLING = "fulfilling", _("Being prepared")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    number = models.CharField(max_length=20, unique=True)
    access_token = models.CharField(max_length=48, default=new_access_token, editable=False)
    cart = models.ForeignKey(Cart, null=True, on_delete=models.SET_NULL, related_name="orders")
    market = models.ForeignKey(Market, on_delete=models.PROTECT, related_name="+")
    locale = models.CharField(max_length=16)
    currency = models.CharField(max_length=3)
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=100)
    address = models.JSONField()
    shipping_method = models.CharField(max_length=32)
    shipping_name = models.CharField(max_length=100, blank=True)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    stock_released = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker once the shopper was emailed, so a job run twice mails once.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(max_length=64)
    mode = models.CharField(max_length=16, choices=LineMode.choices, default=LineMode.STANDARD)
    design = models.ForeignKey(
        "studio.Design", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    color_name = models.CharField(max_length=100, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    line_total = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class OrderEvent(TransitionRecord):
    """One transition of an order's state, kept for ever."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} -> {self.to_status}"


class Payment(models.Model):
    class Status(models.TextChoices):
        AUTHORIZED = "authorized", _("Authorized")
        CAPTURED = "captured", _("Captured")
        DECLINED = "declined", _("Declined")
        REFUNDED = "refunded", _("Refunded")
        VOIDED = "voided", _("Voided")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=32)
    reference = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices)
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.provider}:{self.reference} {self.status}"


class WebhookEvent(models.Model):
    """A provider's event, stored once: a redelivery of an applied event is a no-op,
    of one whose application failed (applied_at empty) applies it."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=64)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="uniq_webhook_event"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class IdempotencyRecord(models.Model):
    """What a checkout with one Idempotency-Key answered (Stripe's semantics).

    While its first request runs the record holds a lease; a request that
    died mid-way lets the lease run out, and the key can be tried again.
    """

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    done = models.BooleanField(default=False)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="uniq_idempotency_scope_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class SandboxCharge(models.Model):
    """The built-in sandbox provider's own ledger: what it would have charged.

    Kept apart from Payment on purpose: reconciliation asks the provider what
    happened, and the provider must be able to answer even when our side
    never recorded the payment (a crash between charge and commit).
    """

    reference = models.CharField(max_length=64, unique=True)
    order_ref = models.CharField(max_length=64, db_index=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16)
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sandbox {self.reference} {self.status}"
