"""A starting rate so a fresh shop reports revenue in one currency; staff keep rates in the admin."""

from datetime import date
from decimal import Decimal

from django.db import migrations

# 1 CNY in USD at the start of 2026 (about 7.1 CNY to the dollar).
STARTING = [("CNY", "USD", Decimal("0.14080000"), date(2026, 1, 1))]


def add_rates(apps, schema_editor):
    rate = apps.get_model("analytics", "ExchangeRate")
    for currency, reporting, value, valid_from in STARTING:
        rate.objects.get_or_create(
            currency=currency,
            reporting_currency=reporting,
            valid_from=valid_from,
            defaults={"rate": value},
        )


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]
    operations = [migrations.RunPython(add_rates, migrations.RunPython.noop)]
