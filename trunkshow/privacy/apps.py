from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trunkshow.privacy"
    verbose_name = _("Privacy requests")

    def ready(self) -> None:
        from trunkshow.privacy import analytics_data, handlers

        handlers.register_own()
        analytics_data.register_analytics()
