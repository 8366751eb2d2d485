from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trunkshow.commerce"
    verbose_name = _("Commerce")

    def ready(self) -> None:
        # What this app holds about a shopper, for privacy requests.
        from trunkshow.commerce import personal_data

        personal_data.register_handler()
