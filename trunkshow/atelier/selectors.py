from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from trunkshow.atelier.models import Artisan, WorkOrder, WorkshopHoliday
from trunkshow.engines.atelier import Artisan as PlannedArtisan
from trunkshow.engines.atelier import Workshop, promise

OPEN = [
    WorkOrder.Status.QUEUED,
    WorkOrder.Status.IN_PAINTING,
]


def workshop() -> Workshop:
    """The workshop as the planner sees it: who works when, and its holidays."""
    artisans = tuple(
        PlannedArtisan(
            a.name,
            tuple(float(h) for h in (list(a.hours) + [0.0] * 7)[:7]),  # type: ignore[arg-type]
            frozenset(a.days_off.values_list("day", flat=True)),
        )
        for a in Artisan.objects.filter(is_active=True).prefetch_related("days_off")
    )
    holidays = frozenset(WorkshopHoliday.objects.values_list("day", flat=True))
    return Workshop(getattr(settings, "ATELIER_TIME_ZONE", "Asia/Shanghai"), artisans, holidays)


def queued_efforts() -> list[float]:
    """Bench hours still to paint, in the order the workshop paints them."""
    return [
        float(hours)
        for hours in WorkOrder.objects.filter(status__in=OPEN)
        .order_by("created_at", "pk")
        .values_list("effort_hours", flat=True)
    ]


def promise_for(effort_hours: float) -> tuple[date, int] | None:
    shop = workshop()
    if not shop.artisans:
        return None
    return promise(shop, queued_efforts(), effort_hours, now=timezone.now())


def lead_time_days_for(effort_hours: float) -> int | None:
    found = promise_for(effort_hours)
    return found[1] if found else None


def work_order_details(line_ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = WorkOrder.objects.filter(order_line_id__in=line_ids).values_list(
        "order_line_id", "status", "promised_ship_date"
    )
    return {
        line_id: {"work_order": {"status": status, "promised_ship_date": day.isoformat()}}
        for line_id, status, day in rows
    }
