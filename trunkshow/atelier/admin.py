from __future__ import annotations

from django.contrib import admin

from trunkshow.atelier.models import (
    Artisan,
    ArtisanDayOff,
    KitOrder,
    WorkOrder,
    WorkOrderEvent,
    WorkshopHoliday,
)


class DayOffInline(admin.TabularInline[ArtisanDayOff, Artisan]):
    model = ArtisanDayOff
    extra = 1


@admin.register(Artisan)
class ArtisanAdmin(admin.ModelAdmin[Artisan]):
    list_display = ["name", "user", "hours", "is_active"]
    inlines = [DayOffInline]


@admin.register(WorkshopHoliday)
class WorkshopHolidayAdmin(admin.ModelAdmin[WorkshopHoliday]):
    list_display = ["day", "name"]


class WorkOrderEventInline(admin.TabularInline[WorkOrderEvent, WorkOrder]):
    model = WorkOrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "at"]


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin[WorkOrder]):
    """Read-only here: work orders move on the workshop board (/atelier/)."""

    list_display = ["order_number", "status", "promised_ship_date", "effort_hours", "assignee"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in WorkOrder._meta.fields]
    inlines = [WorkOrderEventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(KitOrder)
class KitOrderAdmin(admin.ModelAdmin[KitOrder]):
    """Read-only here: kits are packed from the board's pick list."""

    list_display = ["order_number", "status", "created_at", "packed_by", "packed_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in KitOrder._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
