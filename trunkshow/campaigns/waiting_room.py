"""A drop's waiting room: signed tickets, admitted in arrival order at a pace the server serves.

The rule is the engine's (`engines/campaign/admission.py`); here tickets are
issued (a row whose primary key is the arrival order, handed out signed so a
client cannot make one up) and read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trunkshow.campaigns.models import Drop, DropTicket
from trunkshow.common.errors import Conflict, Gone, Invalid, NotFound
from trunkshow.engines.campaign.admission import Pace
from trunkshow.inventory.selectors import available_by_sku

SALT = "trunkshow.campaigns.drop-ticket"
HOLDER_MAX = 64


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


def _state(drop: Drop, ticket: DropTicket, now: datetime) -> TicketState:
    rank = DropTicket.objects.filter(drop_id=drop.pk, pk__lt=ticket.pk).count()
    pace = pace_of(drop)
    admitted_at = pace.admitted_at(rank)
    return TicketState(
        ticket=_sign(drop.pk, ticket.pk),
        drop_id=drop.pk,
        position=pace.position(rank, now),
        admitted=pace.is_admitted(rank, now),
        expired=pace.is_admitted(rank, now) and pace.is_expired(rank, now),
        estimated_wait_s=pace.estimated_wait_s(rank, now),
        estimated_wait_ms=pace.estimated_wait_ms(rank, now),
        admitted_at=admitted_at,
        expires_at=admitted_at + pace.valid_for,
    )


def _drop_or_404(drop_id: int) -> Drop:
    drop = Drop.objects.filter(pk=drop_id, waiting_room=True).first()
    if drop is None:
        raise NotFound(_("No drop %(id)s with a waiting room.") % {"id": drop_id})
    return drop


def ticket_issue(*, drop_id: int, holder: str = "", now: datetime | None = None) -> TicketState:
    """Give the arriving shopper the next place in the drop's waiting room."""
    drop = _drop_or_404(drop_id)
    with transaction.atomic():
        # Tickets of a drop are numbered and committed one at a time (the drop's row is
        # the lock): a ticket's rank counts the tickets before it, and a concurrent one
        # whose number came first but was not yet committed would be missed, so two
        # shoppers arriving together would be told the same turn. Counted after the
        # commit, to hold the lock no longer than the insert.
        Drop.objects.select_for_update().filter(pk=drop.pk).values_list("pk").get()
        ticket = DropTicket.objects.create(drop=drop, holder=holder[:HOLDER_MAX])
    return _state(drop, ticket, now or timezone.now())


def ticket_state(*, drop_id: int, ticket: str, now: datetime | None = None) -> TicketState:
    """Read a ticket's place: 422 naming `ticket` if forged or for another drop."""
    signed_drop, ticket_id = _unsign(ticket)
    drop = _drop_or_404(drop_id)
    row = DropTicket.objects.filter(pk=ticket_id, drop_id=drop.pk).first()
    if signed_drop != drop.pk or row is None:
        raise Invalid.field("ticket", "This ticket is for another drop.")
    return _state(drop, row, now or timezone.now())


def drop_sold_out(*, drop_id: int, market_code: str | None = None) -> bool:
    """Whether nothing of the drop is left in the market (in every market of its campaign
    without one): what a waiting shopper's page says at once, instead of their place."""
    drop = _drop_or_404(drop_id)
    skus = list(drop.items.values_list("sku", flat=True))
    markets = (
        [market_code]
        if market_code
        else list(drop.campaign.windows.values_list("market_id", flat=True))
    )
    return bool(skus) and not any(
        units > 0
        for market in markets
        for units in available_by_sku(skus=skus, market_code=market).values()
    )


def require_admitted(*, drops: list[Drop], ticket: str | None, now: datetime) -> None:
    """Let a drop SKU into a cart only with an admitted, unexpired ticket of its drop."""
    if ticket is None:
        raise NotAdmitted("Take a ticket in the drop's waiting room first.", drop_id=drops[0].pk)
    signed_drop, _ticket_id = _unsign(ticket)
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
