from django.contrib import admin

from trunkshow.inventory.models import StockItem


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin[StockItem]):
    list_display = ["sku", "market", "on_hand", "allocated", "unallocated", "updated_at"]
    list_editable = ["on_hand"]
    list_filter = ["market"]
    search_fields = ["sku"]
    readonly_fields = ["allocated"]
