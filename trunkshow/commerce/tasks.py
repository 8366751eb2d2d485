"""Periodic commerce jobs, named in settings.PERIODIC_TASKS (jobs a service enqueues
live beside that service)."""

from __future__ import annotations

from django_tasks import task

from trunkshow.commerce import idempotency, orders
from trunkshow.inventory.reservations import reservations_purge_expired


@task()
def reconcile_orders() -> dict[str, int]:
    result = orders.orders_reconcile()
    result["reservations_purged"] = reservations_purge_expired()
    result["idempotency_records_purged"] = idempotency.idempotency_records_purge()
    return result
