from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "trunkshow.common"
    verbose_name = "Markets and platform"

    def ready(self) -> None:
        # What this app holds about a shopper, for privacy requests.
        from trunkshow.common import consent

        consent.register_handler()
