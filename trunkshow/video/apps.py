from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "trunkshow.video"
    verbose_name = _("Video messages")

    def ready(self) -> None:
        # What this app holds about a shopper, for privacy requests.
        from trunkshow.video import personal_data

        personal_data.register_handler()
