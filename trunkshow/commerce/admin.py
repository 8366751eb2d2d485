from __future__ import annotations

from django.contrib import admin, messages

from trunkshow.commerce.models import (
    Cart,
    CartLine,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    ShippingMethod,
)
from trunkshow.commerce.orders import order_refund, order_transition
from trunkshow.commerce.payments import PaymentError
from trunkshow.common.transitions import TransitionRefused


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin[ShippingMethod]):
    list_display = ["market", "code", "amount", "days_min", "days_max", "is_default", "is_active"]
    list_filter = ["market", "is_active"]


class CartLineInline(admin.TabularInline[CartLine, Cart]):
    model = CartLine
    extra = 0


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin[Cart]):
    list_display = ["public_id", "market", "status", "updated_at"]
    list_filter = ["market", "status"]
    inlines = [CartLineInline]
    readonly_fields = ["public_id", "session_key"]


class OrderLineInline(admin.TabularInline[OrderLine, Order]):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["sku", "title", "color_name", "quantity", "unit_price", "line_total"]


class OrderEventInline(admin.TabularInline[OrderEvent, Order]):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "at"]


class PaymentInline(admin.TabularInline[Payment, Order]):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ["provider", "reference", "amount", "currency", "status", "refunded_amount"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin[Order]):
    """Read-mostly: states change through the state machine, not by editing the field."""

    list_display = ["number", "market", "email", "total", "currency", "status", "created_at"]
    list_filter = ["status", "market"]
    search_fields = ["number", "email", "public_id"]
    inlines = [OrderLineInline, PaymentInline, OrderEventInline]
    readonly_fields = [f.name for f in Order._meta.fields]

    actions = ["mark_fulfilling", "mark_shipped", "mark_delivered", "refund"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def _move(self, request, queryset, to: str) -> None:  # type: ignore[no-untyped-def]
        moved = 0
        for order in queryset:
            try:
                order_transition(order=order, to=to, actor=request.user.get_username())
                moved += 1
            except TransitionRefused as exc:
                self.message_user(request, f"{order.number}: {exc}", level=messages.WARNING)
        self.message_user(request, f"{moved} order(s) now {to}.")

    @admin.action(description="Mark as being prepared")
    def mark_fulfilling(self, request, queryset):  # type: ignore[no-untyped-def]
        self._move(request, queryset, Order.Status.FULFILLING)

    @admin.action(description="Mark as shipped")
    def mark_shipped(self, request, queryset):  # type: ignore[no-untyped-def]
        self._move(request, queryset, Order.Status.SHIPPED)

    @admin.action(description="Mark as delivered")
    def mark_delivered(self, request, queryset):  # type: ignore[no-untyped-def]
        self._move(request, queryset, Order.Status.DELIVERED)

    @admin.action(description="Refund (returns the money and the units)")
    def refund(self, request, queryset):  # type: ignore[no-untyped-def]
        for order in queryset:
            try:
                order_refund(order=order, actor=request.user.get_username())
            except (TransitionRefused, PaymentError) as exc:
                self.message_user(request, f"{order.number}: {exc}", level=messages.WARNING)
