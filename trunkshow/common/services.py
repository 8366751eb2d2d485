from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from trunkshow.common.models import Market, WorkerHeartbeat

ModelT = TypeVar("ModelT", bound=models.Model)


def sync_row(
    model: type[ModelT], *, lookup: Mapping[str, Any], values: Mapping[str, Any]
) -> tuple[ModelT, bool]:
    """Create the row or bring its fields to `values`, writing only what differs.

    Loaders (the demo brand, imports) call this so that running them twice
    leaves every row, and every updated-at stamp, exactly as it was.
    Return the row and whether anything was written.
    """
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **values)
        row.full_clean()
        row.save()
        return row, True
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return row, False
    for name in changed:
        setattr(row, name, values[name])
    row.full_clean()
    row.save(update_fields=changed)
    return row, True


@transaction.atomic
def market_upsert(
    *,
    code: str,
    names: Mapping[str, str],
    currency: str,
    default_locale: str,
    time_zone: str,
    position: int = 0,
    prices_include_tax: bool = False,
    tax_rate: Decimal = Decimal("0"),
) -> Market:
    market, _changed = sync_row(
        Market,
        lookup={"code": code},
        values={
            "names": dict(names),
            "currency": currency,
            "default_locale": default_locale,
            "time_zone": time_zone,
            "position": position,
            "prices_include_tax": prices_include_tax,
            "tax_rate": tax_rate,
            "is_active": True,
        },
    )
    return market


def worker_heartbeat_record(*, note: str = "") -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(seen_at=timezone.now(), note=note[:200])
