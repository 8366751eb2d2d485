"""A drop's waiting room: signed tickets, admitted in arrival order at a pace the server serves.

The rule is the engine's (`engines/campaign/admission.py`); here tickets are issued
(a row numbered in the order of arrival under the drop's row lock, handed out signed
so a client cannot make one up), admitted, and read back.

Admission sets the shopper's units aside at once, in ticket order: the ticket admitted
first has its units held first (an inventory hold of `TICKET_HOLDER`, lasting as long
as the ticket), and the add-to-cart with that ticket takes the hold over. So the order
in which units become shoppers' is the order they arrived in, however slow one phone's
add-to-cart is beside another's. A ticket whose turn has come when nothing is left on
its shelf waits, and everyone behind it waits too; a hold that expires unused hands
its units to the next tickets. Admission is written by whichever request first sees
that the pace has reached a ticket (a poll, an add-to-cart, a page): no clock job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from trunkshow.campaigns.models import Drop, DropTicket
from trunkshow.commerce.models import Cart
from trunkshow.common.errors import Conflict, Gone, Invalid, NotFound
from trunkshow.engines.campaign.admission import Pace, admit_due
from trunkshow.inventory.models import Reservation
from trunkshow.inventory.reservations import holds_grant
from trunkshow.inventory.selectors import available_by_sku

SALT = "trunkshow.campaigns.drop-ticket"
HOLDER_MAX = 64
TICKET_HOLDER = "drop-ticket:{id}"
# A due ticket waiting for a unit to come back is told to ask again this much later.
BLOCKED_WAIT = timedelta(seconds=3)
# How long a request may have waited in the server's queue and still rank by its arrival.
ARRIVAL_SLACK = timedelta(seconds=60)
# Tickets admitted by one request at most (the rest by the next one).
ADMIT_AT_ONCE = 500


class NotAdmitted(Conflict):
    code = "not_admitted"


class TicketExpired(Gone):
    code = "ticket_expired"


@dataclass(frozen=True)
class TicketState:
    ticket: str
    drop_id: int
    position: int
    admitted: bool
    expired: bool
    estimated_wait_s: int
    estimated_wait_ms: int
    admitted_at: datetime
    expires_at: datetime
    rank: int = 0
    # Units set aside for the ticket now, per SKU (until it expires or a cart takes them).
    set_aside: dict[str, int] | None = None


def pace_of(drop: Drop) -> Pace:
    return Pace(
        opens_at=drop.opens_at,
        batch=drop.batch_size,
        every=timedelta(seconds=drop.batch_seconds),
        valid_for=timedelta(minutes=drop.ticket_minutes),
    )


def _sign(drop_id: int, ticket_id: int) -> str:
    return signing.dumps([drop_id, ticket_id], salt=SALT)


def _unsign(token: str) -> tuple[int, int]:
    """Return (drop id, ticket id) of a ticket this server signed, or a 422 naming `ticket`."""
    try:
        value = signing.loads(token[:500], salt=SALT)
    except signing.BadSignature as exc:
        raise Invalid.field("ticket", _("This ticket was not issued by this shop.")) from exc
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise Invalid.field("ticket", _("This ticket was not issued by this shop."))
    return value[0], value[1]


def ticket_holder(ticket_id: int) -> str:
    """The inventory holder of the units set aside for a ticket."""
    return TICKET_HOLDER.format(id=ticket_id)


def _set_aside(ticket: DropTicket, now: datetime) -> dict[str, int]:
    rows = Reservation.objects.filter(
        holder=ticket_holder(ticket.pk), reserved_until__gt=now
    ).values_list("sku", "quantity")
    return dict(rows)


def _state(drop: Drop, ticket: DropTicket, now: datetime) -> TicketState:
    pace = pace_of(drop)
    if ticket.admitted_at is not None:
        admitted_at, admitted, position, wait = ticket.admitted_at, True, 0, timedelta(0)
    else:
        ahead = DropTicket.objects.filter(
            drop_id=drop.pk, admitted_at__isnull=True, rank__lt=ticket.rank
        ).count()
        admitted_at, admitted, position = pace.admitted_at(ticket.rank), False, ahead + 1
        # Its turn has come but nothing is on its shelf: ask again in a while (a unit
        # may come back from a hold that expires unused).
        wait = max(admitted_at - now, BLOCKED_WAIT)
    return TicketState(
        ticket=_sign(drop.pk, ticket.pk),
        drop_id=drop.pk,
        position=position,
        admitted=admitted,
        expired=admitted and now >= admitted_at + pace.valid_for,
        estimated_wait_s=max(0, -(-wait // timedelta(seconds=1))),
        estimated_wait_ms=max(0, -(-wait // timedelta(milliseconds=1))),
        admitted_at=admitted_at,
        expires_at=admitted_at + pace.valid_for,
        rank=ticket.rank,
        set_aside=_set_aside(ticket, now) if admitted else {},
    )


def admissions_advance(*, drop: Drop, now: datetime) -> int:
    """Admit the tickets the pace has reached, in rank order, setting their units aside.

    A ticket is admitted at its turn (the pace's instant for its rank), however late a
    request notices; one that found its shelf empty at its turn is admitted when a unit
    comes back (now). Returns how many were admitted. Reads first without a lock: most
    calls find nothing to do (no ticket due, or nothing left on the shelves of those
    that are) and return without queueing for the drop's row.
    """
    pace = pace_of(drop)
    due = min(drop.tickets_issued, pace.admitted_count(now))
    waiting = DropTicket.objects.filter(drop_id=drop.pk, admitted_at__isnull=True, rank__lt=due)
    markets = set(waiting.values_list("market_id", flat=True).distinct())
    if not markets:
        return 0
    skus = sorted(drop.items.values_list("sku", flat=True))
    empty = {
        m
        for m in markets
        if m is not None
        and skus
        and not any(u > 0 for u in available_by_sku(skus=skus, market_code=m).values())
    }
    for market in empty:
        _mark_blocked(waiting.filter(market_id=market), now, drop_pk=drop.pk)
    markets -= empty
    if not markets:
        return 0
    admitted = 0
    with transaction.atomic():
        # The drop's row orders admissions (and the tickets' numbering): two requests
        # admitting at once would both see the same tickets waiting.
        issued = (
            Drop.objects.select_for_update()
            .filter(pk=drop.pk)
            .values_list("tickets_issued", flat=True)
            .get()
        )
        due = min(issued, pace.admitted_count(now))
        waiting = DropTicket.objects.filter(drop_id=drop.pk, admitted_at__isnull=True, rank__lt=due)
        for market in sorted(markets, key=str):
            rows = list(
                waiting.filter(market_id=market)
                .order_by("rank")
                .values_list("pk", "rank", "blocked_at", "created_at")[:ADMIT_AT_ONCE]
            )
            if rows:
                admitted += _admit_on_shelf(
                    drop=drop, market=market, rows=rows, due=due, skus=skus, now=now
                )
            _mark_blocked(waiting.filter(market_id=market), now, drop_pk=drop.pk)
    return admitted


def _admit_on_shelf(
    *,
    drop: Drop,
    market: str | None,
    rows: list[tuple[int, int, datetime | None, datetime]],
    due: int,
    skus: list[str],
    now: datetime,
) -> int:
    """Admit a shelf's due tickets (pk, rank, blocked_at, created_at) in rank order, setting
    units aside. A ticket is admitted at its turn, or when it was issued if that was later
    (a request that waited in the server's queue and went before later arrivals), or now
    if it found its shelf empty at its turn."""
    pace = pace_of(drop)
    at = {
        rank: max(pace.admitted_at(rank), issued) if blocked is None else now
        for _pk, rank, blocked, issued in rows
    }
    # A ticket nobody asked about until its time ran out takes no unit.
    lapsed = [rank for rank, when in at.items() if when + pace.valid_for <= now]
    live = [rank for rank in at if rank not in set(lapsed)]
    holder_of = {rank: ticket_holder(pk) for pk, rank, *_rest in rows}
    rank_of = {holder: rank for rank, holder in holder_of.items()}
    if market is None:
        # A ticket with no shelf (a campaign in several markets, taken without saying
        # which): admitted at the pace, nothing set aside.
        chosen = live
    else:
        picked: list[int] = []

        def grant(available: dict[str, int]) -> dict[str, dict[str, int]]:
            admissions = admit_due(
                waiting=live, due=due, available=available, claim=drop.per_shopper_limit
            )
            picked[:] = [a.rank for a in admissions]
            return {holder_of[a.rank]: a.holds for a in admissions}

        holds_grant(
            market_code=market,
            skus=skus,
            until=lambda holder: at[rank_of[holder]] + pace.valid_for,
            grant=grant,
        )
        chosen = picked
    pk_of = {rank: pk for pk, rank, *_rest in rows}
    admitted = 0
    for rank in [*lapsed, *chosen]:
        admitted += DropTicket.objects.filter(pk=pk_of[rank]).update(admitted_at=at[rank])
    return admitted


def _drop_or_404(drop_id: int) -> Drop:
    drop = Drop.objects.filter(pk=drop_id, waiting_room=True).first()
    if drop is None:
        raise NotFound(_("No drop %(id)s with a waiting room.") % {"id": drop_id})
    return drop


def _mark_blocked(waiting: QuerySet[DropTicket], now: datetime, *, drop_pk: int) -> None:
    """Note when due tickets first found their shelf empty (read first: a write on
    every poll would queue the polls on SQLite's one write lock). Under the drop's row
    lock, as every write to its tickets: two requests marking overlapping tickets in
    different orders would deadlock."""
    unmarked = waiting.filter(blocked_at__isnull=True)
    if unmarked.exists():
        with transaction.atomic():
            Drop.objects.select_for_update().filter(pk=drop_pk).values_list("pk").get()
            unmarked.update(blocked_at=now)


def _market_of(drop: Drop, market_code: str | None, holder: str) -> str | None:
    """The shelf a ticket's units are set aside on: the market asked for, else the cart's,
    else the campaign's only one (None when it runs in several and nothing says which)."""
    markets = set(drop.campaign.windows.values_list("market_id", flat=True))
    if market_code in markets:
        return market_code
    if holder:
        cart_market = Cart.objects.filter(public_id=holder).values_list("market_id", flat=True)
        found = next(iter(cart_market), None)
        if found in markets:
            return found
    return next(iter(markets)) if len(markets) == 1 else None


def ticket_issue(
    *,
    drop_id: int,
    holder: str = "",
    market_code: str | None = None,
    now: datetime | None = None,
    arrived_at: datetime | None = None,
) -> TicketState:
    """Give the arriving shopper the next place in the drop's waiting room.

    `arrived_at` is when the request reached the server (before it waited for a turn
    to run): the ticket is ranked by it, so a shopper whose request waited longer in
    the server's queue than a later one's is still ahead of them.
    """
    drop = _drop_or_404(drop_id)
    market = _market_of(drop, market_code, holder[:HOLDER_MAX])
    now = now or timezone.now()
    with transaction.atomic():
        # Tickets of a drop are numbered one at a time under the drop's row lock, in
        # the order their requests arrived: ranks 0, 1, 2... with no gap and no two
        # alike. A ticket whose request waited in the server's queue goes before those
        # that arrived after it but were numbered first (they move back one).
        issued = (
            Drop.objects.select_for_update()
            .filter(pk=drop.pk)
            .values_list("tickets_issued", flat=True)
            .get()
        )
        # Without the instant the request arrived (not served under ASGI), the order of
        # numbering is the order of arrival: the instant the lock was had.
        locked_at = max(now, timezone.now())
        arrived = min(locked_at, max(arrived_at or locked_at, locked_at - ARRIVAL_SLACK))
        behind = DropTicket.objects.filter(drop_id=drop.pk, arrived_at__gt=arrived)
        rank = issued - behind.update(rank=F("rank") + 1)
        ticket = DropTicket.objects.create(
            drop=drop, holder=holder[:HOLDER_MAX], rank=rank, market_id=market, arrived_at=arrived
        )
        Drop.objects.filter(pk=drop.pk).update(tickets_issued=issued + 1)
    drop.tickets_issued = issued + 1
    # Most tickets arrive long before their turn: nothing to admit, no reads for it.
    due = rank < pace_of(drop).admitted_count(now)
    if due and admissions_advance(drop=drop, now=now):
        ticket.refresh_from_db(fields=["admitted_at"])
    return _state(drop, ticket, now)


def ticket_state(*, drop_id: int, ticket: str, now: datetime | None = None) -> TicketState:
    """Read a ticket's place (admitting the tickets whose turn has come): 422 naming
    `ticket` if forged or for another drop."""
    signed_drop, ticket_id = _unsign(ticket)
    drop = _drop_or_404(drop_id)
    row = DropTicket.objects.filter(pk=ticket_id, drop_id=drop.pk).first()
    if signed_drop != drop.pk or row is None:
        raise Invalid.field("ticket", "This ticket is for another drop.")
    now = now or timezone.now()
    if row.admitted_at is None and admissions_advance(drop=drop, now=now):
        row.refresh_from_db(fields=["admitted_at"])
    return _state(drop, row, now)


def drop_sold_out(*, drop_id: int, market_code: str | None = None) -> bool:
    """Whether nothing of the drop is left in the market (in every market of its campaign
    without one), nor set aside for admitted tickets that may yet hand it back: what a
    waiting shopper's page says at once, instead of their place."""
    drop = _drop_or_404(drop_id)
    skus = list(drop.items.values_list("sku", flat=True))
    markets = (
        [market_code]
        if market_code
        else list(drop.campaign.windows.values_list("market_id", flat=True))
    )
    if not skus:
        return False
    if any(
        units > 0
        for market in markets
        for units in available_by_sku(skus=skus, market_code=market).values()
    ):
        return False
    return not ticket_held(skus=skus, markets=markets)


def ticket_held(*, skus: list[str], markets: list[str]) -> dict[str, int]:
    """Units of `skus` set aside now for admitted tickets that no cart has taken yet."""
    rows = (
        Reservation.objects.filter(
            holder__startswith=TICKET_HOLDER.format(id=""),
            sku__in=skus,
            market_id__in=markets,
            reserved_until__gt=timezone.now(),
        )
        .values("sku")
        .annotate(units=Sum("quantity"))
        .values_list("sku", "units")
    )
    return {sku: int(units) for sku, units in rows if units}


def require_admitted(*, drops: list[Drop], ticket: str | None, now: datetime) -> tuple[str, ...]:
    """Let a drop SKU into a cart only with an admitted, unexpired ticket of its drop;
    return the hold of the units set aside for the ticket, for the cart to take over."""
    if ticket is None:
        raise NotAdmitted("Take a ticket in the drop's waiting room first.", drop_id=drops[0].pk)
    signed_drop, ticket_id = _unsign(ticket)
    drop = next((d for d in drops if d.pk == signed_drop), None)
    if drop is None:
        raise Invalid.field("ticket", "This ticket is for another drop.")
    state = ticket_state(drop_id=drop.pk, ticket=ticket, now=now)
    if not state.admitted:
        raise NotAdmitted(
            f"Not your turn yet: {state.position} ahead of you, about {state.estimated_wait_s} s.",
            position=state.position,
            estimated_wait_s=state.estimated_wait_s,
        )
    if state.expired:
        raise TicketExpired(
            f"This ticket expired at {state.expires_at.isoformat()}; take a new one.",
            expired_at=state.expires_at.isoformat(),
        )
    return (ticket_holder(ticket_id),)
