from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trunkshow.campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from trunkshow.campaigns import personal_data

        personal_data.register_handler()
        # Commerce sits below campaigns: it is given the drop rule, never imports it.
        from trunkshow.campaigns.drops import drop_rule
        from trunkshow.commerce import line_rules

        line_rules.provide(drop_rule)
