from __future__ import annotations

from django.contrib import admin

from trunkshow.atelier.models import (
    Artisan,
    ArtisanDayOff,
    WorkOrder,
    WorkOrderEvent,
    WorkshopHoliday,
)


class DayOffInline(admin.TabularInline[ArtisanDayOff, Artisan]):
    model = ArtisanDayOff
    extra = 1


@admin.register(Artisan)
class ArtisanAdmin(admin.ModelAdmin[Artisan]):
    list_display = ["name", "hours", "is_active"]
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
    """Read-only here: work orders move through the workshop's own states."""

    list_display = ["order_number", "status", "promised_ship_date", "effort_hours", "assignee"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in WorkOrder._meta.fields]
    inlines = [WorkOrderEventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
