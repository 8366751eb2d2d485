from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "trunkshow.common"
    verbose_name = "Markets and platform"
