from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from trunkshow.atelier.models import WorkOrder, WorkOrderEvent
from trunkshow.atelier.selectors import promise_for
from trunkshow.commerce.models import OrderLine
from trunkshow.common.db import serialized_write
from trunkshow.studio.selectors import design_effort_hours

S = WorkOrder.Status
TRANSITIONS: dict[str, set[str]] = {
    S.QUEUED: {S.IN_PAINTING},
    S.IN_PAINTING: {S.DRYING},
    S.DRYING: {S.QUALITY_CHECK},
    S.QUALITY_CHECK: {S.READY_TO_SHIP, S.IN_PAINTING},  # rework goes back to the bench
    S.READY_TO_SHIP: {S.SHIPPED},
    S.SHIPPED: set(),
}


class WorkOrderError(Exception):
    pass


def work_orders_create_for_order(order_id: int) -> list[WorkOrder]:
    """One work order per artisan-painted line of a paid order; safe to call again."""
    made = []
    lines = OrderLine.objects.filter(
        order_id=order_id, mode="artisan", design__isnull=False
    ).select_related("design__template", "order")
    for line in lines:
        if WorkOrder.objects.filter(order_line=line).exists():
            continue
        design = line.design
        assert design is not None  # noqa: S101 - filtered above
        effort = design_effort_hours(design) * line.quantity
        found = promise_for(effort)
        promised = found[0] if found else timezone.localdate() + timedelta(days=30)
        snapshot = {
            "design_id": design.public_id,
            "template": design.template.key,
            "template_zones": design.template.zones,
            "document": design.document,
            "paints": design.paints,
            "preview": design.content_hash,
            "quantity": line.quantity,
            "sku": line.sku,
        }
        try:
            with serialized_write(), transaction.atomic():
                work_order = WorkOrder.objects.create(
                    order_line=line,
                    order_number=line.order.number,
                    snapshot=snapshot,
                    effort_hours=Decimal(str(round(effort, 2))),
                    promised_ship_date=promised,
                )
                WorkOrderEvent.objects.create(
                    work_order=work_order, to_status=S.QUEUED, actor="payment"
                )
        except IntegrityError:
            continue  # another delivery of the same event made it first
        made.append(work_order)
    return made


def work_order_move(*, work_order: WorkOrder, to: str, actor: str, note: str = "") -> WorkOrder:
    with serialized_write(), transaction.atomic():
        locked = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
        if to not in TRANSITIONS[locked.status]:
            raise WorkOrderError(f"A work order cannot go from {locked.status} to {to}.")
        before, locked.status = locked.status, to
        locked.save(update_fields=["status"])
        WorkOrderEvent.objects.create(
            work_order=locked, from_status=before, to_status=to, actor=actor[:150], note=note[:500]
        )
    return locked
