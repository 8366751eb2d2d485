from __future__ import annotations

from django_tasks import task

from trunkshow.commerce import emails, orders
from trunkshow.inventory.reservations import reservations_purge_expired


@task()
def send_order_confirmation(order_id: int) -> str:
    return emails.order_confirmation_send(order_id=order_id)


@task()
def reconcile_orders() -> dict[str, int]:
    result = orders.orders_reconcile()
    result["reservations_purged"] = reservations_purge_expired()
    return result
