from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trunkshow.commerce"
    verbose_name = _("Commerce")
