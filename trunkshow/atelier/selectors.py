from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from trunkshow.atelier.models import Artisan, KitOrder, WorkOrder, WorkOrderPhoto, WorkshopHoliday
from trunkshow.engines.atelier import Artisan as PlannedArtisan
from trunkshow.engines.atelier import Workshop, promise

OPEN = [
    WorkOrder.Status.QUEUED,
    WorkOrder.Status.IN_PAINTING,
]


def workshop_today() -> date:
    """Today where the bags are painted: a promise is late by the workshop's calendar."""
    return timezone.localdate(timezone=ZoneInfo(settings.ATELIER_TIME_ZONE))


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


def kit_details(line_ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = KitOrder.objects.filter(order_line_id__in=line_ids).values_list(
        "order_line_id", "token", "status"
    )
    return {
        line_id: {"kit": {"instructions_url": kit_instructions_path(token), "status": status}}
        for line_id, token, status in rows
    }


def kit_instructions_path(token: str) -> str:
    return reverse("kit-instructions", kwargs={"token": token})


def kit_by_token(token: str) -> KitOrder | None:
    if not 16 <= len(token) <= 48:
        return None
    return KitOrder.objects.filter(token=token).select_related("order_line__order").first()


def photo_path(name: str) -> Path:
    return Path(settings.PRIVATE_ROOT) / "atelier-photos" / name


def sheet_cache_path(key: str) -> Path:
    return Path(settings.PRIVATE_ROOT) / "sheets" / f"{key}.pdf"


def artisan_for(user: Any) -> Artisan | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Artisan.objects.filter(user=user, is_active=True).first()


BOARD_VIEWS = ("open", "mine", "shipped")


def board(*, view: str, artisan: Artisan | None) -> list[WorkOrder]:
    """The workshop's queue, soonest promise first (the order the workshop promised)."""
    work_orders = WorkOrder.objects.select_related("assignee", "order_line__order")
    if view == "shipped":
        return list(work_orders.filter(status=WorkOrder.Status.SHIPPED).order_by("-pk")[:50])
    work_orders = work_orders.exclude(status=WorkOrder.Status.SHIPPED)
    if view == "mine":
        work_orders = work_orders.filter(assignee=artisan) if artisan else work_orders.none()
    return list(work_orders.order_by("promised_ship_date", "pk")[:500])


def board_counts() -> dict[str, int]:
    counts = dict.fromkeys(WorkOrder.Status.values, 0)
    for status, count in (
        WorkOrder.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    ):
        counts[status] = count
    return counts


def work_order_by_pk(pk: int) -> WorkOrder | None:
    return WorkOrder.objects.filter(pk=pk).first()


def kit_by_pk(pk: int) -> KitOrder | None:
    return KitOrder.objects.filter(pk=pk).first()


def work_order_for_board(pk: int) -> WorkOrder | None:
    return (
        WorkOrder.objects.select_related("assignee", "order_line__order")
        .prefetch_related("events", "notes", "photos")
        .filter(pk=pk)
        .first()
    )


def kits_to_pack() -> list[KitOrder]:
    return list(
        KitOrder.objects.filter(status=KitOrder.Status.TO_PACK)
        .select_related("order_line__order")
        .order_by("created_at", "pk")[:500]
    )


def active_artisan(pk: str) -> Artisan | None:
    """The artisan a lead picked from the list; anything but a working artisan's id is none."""
    if not pk.isdigit() or len(pk) > 18:
        return None
    return Artisan.objects.filter(pk=int(pk), is_active=True).first()


def active_artisans() -> list[Artisan]:
    return list(Artisan.objects.filter(is_active=True))


def photo_of(work_order_pk: int, name: str) -> WorkOrderPhoto | None:
    return WorkOrderPhoto.objects.filter(work_order_id=work_order_pk, name=name).first()
