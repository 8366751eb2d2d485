from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "trunkshow.demo"
    verbose_name = "Demo brand"
