from django.contrib import admin

from trunkshow.analytics.models import Event, ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin[ExchangeRate]):
    list_display = ["currency", "reporting_currency", "rate", "valid_from"]
    list_filter = ["currency", "reporting_currency"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    """Events are evidence: readable by staff, written only by the site."""

    list_display = ["occurred_at", "kind", "market", "locale", "quiz", "variant", "visitor_id"]
    list_filter = ["kind", "market", "locale", "quiz"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
