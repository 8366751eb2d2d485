from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trunkshow.studio"
    verbose_name = _("Studio")

    def ready(self) -> None:
        # What this app holds about a shopper, for privacy requests.
        from trunkshow.studio import personal_data

        personal_data.register_handler()
