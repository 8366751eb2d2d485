from django.contrib import admin

from trunkshow.common.models import Market, WorkerHeartbeat


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin[Market]):
    list_display = ["code", "currency", "default_locale", "time_zone", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ["seen_at", "note"]
    readonly_fields = ["seen_at", "note"]
