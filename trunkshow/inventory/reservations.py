"""Reserve, allocate and release stock so that no unit is ever sold twice.

available = on hand - allocated - live reservations of other holders.

The rule is written once, in `with_available()`, and every read and the
allocating UPDATE use it. Every change to a SKU's stock locks its StockItem
rows first, always in primary-key order, so two checkouts touching the same
SKUs queue instead of deadlocking (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
the one write lock every transaction takes at BEGIN IMMEDIATE). The
allocation itself is one conditional UPDATE per SKU filtered on that rule,
and the table's CHECK constraints (allocated <= on hand, nothing negative)
are the last guard whatever code writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from trunkshow.common.errors import Conflict
from trunkshow.inventory.models import Reservation, StockItem


@dataclass(frozen=True)
class Shortage:
    sku: str
    requested: int
    available: int
    limit: int | None = None
    # "stock", or "limit" when a per-shopper limit, not the shelf, is short.
    why: str = ""

    @property
    def reason(self) -> str:
        if self.why:
            return self.why
        if self.limit is not None and self.requested > self.limit:
            return "limit"
        return "stock"

    def as_dict(self) -> dict[str, object]:
        return {
            "sku": self.sku,
            "requested": self.requested,
            "available": self.available,
            "limit": self.limit,
            "reason": self.reason,
        }


class InsufficientStock(Conflict):
    """Raised with every short line at once, so a shopper fixes the cart in one go."""

    code = "insufficient_stock"

    def __init__(self, shortages: Sequence[Shortage]) -> None:
        self.shortages = list(shortages)
        super().__init__(
            "Some items are no longer available in the quantity asked for.",
            lines=[s.as_dict() for s in self.shortages],
        )

    def __str__(self) -> str:
        return ", ".join(f"{s.sku}: {s.requested} > {s.available}" for s in self.shortages)


class ShopperLimit(InsufficientStock):
    """A per-shopper limit counted across the shopper's carts and orders, not the shelf.

    `field` names the input that identifies the excess: the quantity asked for
    when adding to a cart, the email at checkout.
    """

    code = "per_shopper_limit"

    def __init__(self, shortages: Sequence[Shortage], *, field: str, have: int) -> None:
        super().__init__(shortages)
        first = self.shortages[0]
        self.message = _(
            "One shopper may have at most %(limit)s of %(sku)s; you already have %(have)s "
            "in another bag or order."
        ) % {"limit": first.limit, "sku": first.sku, "have": have}
        self.extra["field"] = field
        self.extra["have"] = have


# Given the limited SKUs, return how many units of each the same shopper already has
# outside this holder (their other carts' live holds, their orders). Called with the
# stock rows locked, so what it reads cannot change until the caller commits.
Elsewhere = Callable[[list[str]], dict[str, int]]


def reservation_minutes() -> float:
    return float(getattr(settings, "RESERVATION_MINUTES", 15))


def live_held_by_others(*, holder: str | tuple[str, ...], now: object) -> Subquery:
    """Units live reservations of other holders keep back, per stock row (a subquery)."""
    mine = (holder,) if isinstance(holder, str) else holder
    held = (
        Reservation.objects.filter(
            sku=OuterRef("sku"), market_id=OuterRef("market_id"), reserved_until__gt=now
        )
        .exclude(holder__in=mine)
        .order_by()
        .values("sku")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(Subquery(held), Value(0))  # type: ignore[return-value]


def with_available(
    items: QuerySet[StockItem], *, holder: str | tuple[str, ...] = "", now: object = None
) -> QuerySet[Any]:
    """Annotate each stock row with `units_available`: on hand - allocated - what live
    reservations of holders other than `holder` keep back (the one availability rule)."""
    held = live_held_by_others(holder=holder, now=now or timezone.now())
    return items.annotate(units_available=F("on_hand") - F("allocated") - held)


def _locked_items(
    *, market_code: str, skus: Iterable[str], holder: str | tuple[str, ...]
) -> dict[str, StockItem]:
    """Lock the stock rows in primary-key order, then read what others hold back.

    Two statements on purpose: on PostgreSQL a statement's snapshot is taken
    when it starts, so a subquery inside the locking SELECT would not see
    reservations committed while it waited for the lock. Every writer of
    reservations locks these rows first, so after the lock the second read
    sees them all.
    """
    wanted = sorted(set(skus))
    locked = list(
        StockItem.objects.select_for_update()
        .filter(market_id=market_code, sku__in=wanted)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = with_available(StockItem.objects.filter(pk__in=locked), holder=holder)
    return {item.sku: item for item in rows}


def _merge(lines: Iterable[tuple[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for sku, quantity in lines:
        merged[sku] = merged.get(sku, 0) + quantity
    return merged


def _shortages(items: dict[str, StockItem], wanted: dict[str, int]) -> list[Shortage]:
    short = []
    for sku, quantity in wanted.items():
        item = items.get(sku)
        if item is None:
            short.append(Shortage(sku, quantity, 0))
            continue
        available = max(0, item.units_available)  # type: ignore[attr-defined]
        limit = item.per_shopper_limit
        if quantity > available or (limit is not None and quantity > limit):
            short.append(Shortage(sku, quantity, available, limit))
    return short


def _limit_elsewhere(
    items: dict[str, StockItem], wanted: dict[str, int], elsewhere: Elsewhere
) -> None:
    """Raise ShopperLimit if the shopper's units elsewhere plus `wanted` pass a SKU's limit."""
    limited = sorted(s for s, q in wanted.items() if q > 0 and items[s].per_shopper_limit)
    if not limited:
        return
    have = elsewhere(limited)
    for sku in limited:
        limit = int(items[sku].per_shopper_limit or 0)
        if have.get(sku, 0) + wanted[sku] > limit:
            left = max(0, limit - have.get(sku, 0))
            short = Shortage(sku, wanted[sku], left, limit, "limit")
            raise ShopperLimit([short], field="quantity", have=have.get(sku, 0))


def reservation_set(
    *,
    holder: str,
    market_code: str,
    lines: Iterable[tuple[str, int]],
    minutes: float | None = None,
    elsewhere: Elsewhere | None = None,
    taking_over: tuple[str, ...] = (),
) -> None:
    """Hold exactly these quantities for `holder` (a cart), replacing what it held.

    Raises InsufficientStock listing every line that cannot be held (nothing
    changes then), ShopperLimit when `elsewhere` says the same shopper already
    has a limited SKU in another cart or order. A quantity of 0 releases that SKU.

    `taking_over` names holds set aside for this shopper (a drop's admitted ticket):
    their units count as the cart's own, and once the cart holds what it asked for
    they are released, whatever they held, in one transaction, so the unit passes
    from the ticket to the cart without a moment where someone else could take it.
    """
    wanted = _merge(lines)
    mine = (holder, *taking_over)
    until = timezone.now() + timedelta(minutes=minutes or reservation_minutes())
    # Sold out is the common answer on a campaign day: give it from a plain
    # read, without queueing for the row lock behind every buyer. Only a
    # request that might succeed goes on to lock and check again.
    growing = {sku: q for sku, q in wanted.items() if q > 0}
    if growing:
        unlocked = with_available(
            StockItem.objects.filter(market_id=market_code, sku__in=growing), holder=mine
        )
        short = _shortages({item.sku: item for item in unlocked}, growing)
        if short:
            raise InsufficientStock(short)
    with transaction.atomic():
        items = _locked_items(market_code=market_code, skus=wanted, holder=mine)
        short = _shortages(items, {s: q for s, q in wanted.items() if q > 0})
        if short:
            raise InsufficientStock(short)
        if elsewhere is not None:
            # Under the row lock: two tabs of one shopper adding at once queue here, and
            # the second one's read sees the first one's hold.
            _limit_elsewhere(items, wanted, elsewhere)
        for sku, quantity in wanted.items():
            if quantity <= 0:
                Reservation.objects.filter(holder=holder, sku=sku, market_id=market_code).delete()
                continue
            Reservation.objects.update_or_create(
                holder=holder,
                sku=sku,
                market_id=market_code,
                defaults={"quantity": quantity, "reserved_until": until},
            )
        if taking_over:
            Reservation.objects.filter(holder__in=taking_over, market_id=market_code).delete()


def holds_grant(
    *,
    market_code: str,
    skus: Iterable[str],
    until: Callable[[str], datetime],
    grant: Callable[[dict[str, int]], dict[str, dict[str, int]]],
) -> dict[str, dict[str, int]]:
    """Set units aside for new holders, decided by `grant` from what is available.

    The stock rows are locked first (the order every writer follows), then `grant`
    is given the units available per SKU and answers {holder: {sku: units}}; those
    holds are written, each lasting until `until(holder)`. Raises InsufficientStock, writing
    nothing, if `grant` hands out more than there is.
    """
    with transaction.atomic():
        items = _locked_items(market_code=market_code, skus=skus, holder="")
        available = {sku: max(0, item.units_available) for sku, item in items.items()}  # type: ignore[attr-defined]
        granted = grant(dict(available))
        totals = _merge((sku, q) for holds in granted.values() for sku, q in holds.items())
        short = [Shortage(sku, q, available.get(sku, 0)) for sku, q in totals.items()
                 if q > available.get(sku, 0)]  # fmt: skip
        if short:
            raise InsufficientStock(short)
        Reservation.objects.bulk_create(
            Reservation(holder=holder, sku=sku, market_id=market_code, quantity=q,
                        reserved_until=until(holder))
            for holder, holds in granted.items()
            for sku, q in holds.items()
            if q > 0
        )  # fmt: skip
    return granted


def stock_allocate(*, holder: str, market_code: str, lines: Iterable[tuple[str, int]]) -> None:
    """Turn `holder`'s reservation (or free stock) into allocated units for an order.

    All or nothing: raises InsufficientStock listing every short line. Runs
    inside the caller's transaction when there is one, so the order and its
    allocation commit together.
    """
    wanted = _merge(lines)
    now = timezone.now()
    with transaction.atomic():
        items = _locked_items(market_code=market_code, skus=wanted, holder=holder)
        short = _shortages(items, wanted)
        if short:
            raise InsufficientStock(short)
        for sku, quantity in wanted.items():
            # The availability rule again, in the UPDATE itself: with the row
            # locked it cannot fail, and if a future code path forgets the lock
            # it still cannot oversell.
            updated = (
                with_available(StockItem.objects.filter(pk=items[sku].pk), holder=holder, now=now)
                .filter(units_available__gte=quantity)
                .update(allocated=F("allocated") + quantity, updated_at=now)
            )
            if updated != 1:
                raise InsufficientStock([Shortage(sku, quantity, 0)])
        Reservation.objects.filter(holder=holder, market_id=market_code, sku__in=wanted).delete()


def stock_deallocate(*, market_code: str, lines: Iterable[tuple[str, int]]) -> None:
    """Put allocated units back (an order cancelled or refunded before it shipped)."""
    wanted = _merge(lines)
    with transaction.atomic():
        for sku in sorted(wanted):
            StockItem.objects.filter(
                market_id=market_code, sku=sku, allocated__gte=wanted[sku]
            ).update(allocated=F("allocated") - wanted[sku], updated_at=timezone.now())


def stock_ship(*, market_code: str, lines: Iterable[tuple[str, int]]) -> None:
    """Units leave the warehouse: on hand and allocated both go down."""
    wanted = _merge(lines)
    with transaction.atomic():
        for sku in sorted(wanted):
            StockItem.objects.filter(
                market_id=market_code, sku=sku, allocated__gte=wanted[sku]
            ).update(
                on_hand=F("on_hand") - wanted[sku],
                allocated=F("allocated") - wanted[sku],
                updated_at=timezone.now(),
            )


def reservations_purge_expired() -> int:
    """Delete reservations that ran out (availability already ignores them)."""
    with transaction.atomic():
        deleted, _kinds = Reservation.objects.filter(Q(reserved_until__lte=timezone.now())).delete()
    return deleted
