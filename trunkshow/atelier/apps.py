from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtelierConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trunkshow.atelier"
    verbose_name = _("Atelier")

    def ready(self) -> None:
        from trunkshow.atelier import personal_data

        personal_data.register_handler()
        # Commerce and the studio sit below the atelier: they are told, not imported.
        from trunkshow.atelier import selectors, services
        from trunkshow.commerce import events
        from trunkshow.studio import lead_times

        events.subscribe(events.ORDER_PAID, services.work_orders_create_for_order)
        events.subscribe(events.ORDER_PAID, services.kit_orders_create_for_order)
        events.provide_line_details(selectors.work_order_details)
        events.provide_line_details(selectors.kit_details)
        lead_times.provide(selectors.lead_time_days_for)
