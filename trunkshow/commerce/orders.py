"""Order state machine, history, refunds and reconciliation of payments."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from trunkshow.analytics.services import record_order_paid
from trunkshow.commerce import events
from trunkshow.commerce.emails import send_order_confirmation
from trunkshow.commerce.models import Cart, Order, OrderEvent, Payment
from trunkshow.commerce.payments import Charge, PaymentError, payment_provider
from trunkshow.common.jobs import enqueue_bulk
from trunkshow.common.transitions import Transitions
from trunkshow.inventory.reservations import stock_deallocate, stock_ship

logger = logging.getLogger(__name__)

S = Order.Status
TRANSITIONS = Transitions(
    {
        S.PENDING_PAYMENT: {S.PAID, S.CANCELLED},
        S.PAID: {S.FULFILLING, S.CANCELLED, S.REFUNDED},
        S.FULFILLING: {S.SHIPPED, S.REFUNDED},
        S.SHIPPED: {S.DELIVERED, S.REFUNDED},
        S.DELIVERED: {S.REFUNDED},
    }
)
# Units still in the warehouse go back to stock when the order ends here.
RELEASES_STOCK = {S.CANCELLED, S.REFUNDED}
SHIPPED_STATES = {S.SHIPPED, S.DELIVERED}
# How long a pending order is its checkout's to charge: within it nobody
# else (another request for the cart, a webhook) settles or cancels an
# order whose money may be on its way.
CHARGE_LEASE = timedelta(seconds=60)
# A paid order's follow-up job tries again this many times, waiting longer each time.
FOLLOW_UP_ATTEMPTS = 5


def _lines(order: Order) -> list[tuple[str, int]]:
    return [(line.sku, line.quantity) for line in order.lines.all()]


def order_transition(*, order: Order, to: str, actor: str = "", note: str = "") -> Order:
    """Move an order to `to` if the state machine allows it; record who and why."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if to == locked.status:
            return locked
        TRANSITIONS.require(locked.status, to, subject=_("An order"), label=_status_label)
        before = locked.status
        locked.status = to
        fields = ["status"]
        if to == S.PAID:
            locked.paid_at = timezone.now()
            fields.append("paid_at")
        if to in RELEASES_STOCK and before not in SHIPPED_STATES and not locked.stock_released:
            stock_deallocate(market_code=locked.market_id, lines=_lines(locked))
            locked.stock_released = True
            fields.append("stock_released")
        if to == S.SHIPPED:
            stock_ship(market_code=locked.market_id, lines=_lines(locked))
            locked.stock_released = True
            fields.append("stock_released")
        locked.save(update_fields=fields)
        OrderEvent.objects.create(
            order=locked, from_status=before, to_status=to, actor=actor[:150], note=note[:500]
        )
        if to == S.PAID:
            if locked.cart_id is not None:
                # Analytics finds the shopper by the cart they checked out.
                record_order_paid(
                    cart_ref=Cart.objects.filter(pk=locked.cart_id).values_list(
                        "public_id", flat=True
                    )[0],
                    amount=locked.total,
                    currency=locked.currency,
                    market=locked.market_id,
                    locale=locked.locale,
                )
            # A row on the database queue, committed with the payment: a
            # process killed after the commit still leaves the work to do.
            order_paid_follow_up.enqueue(locked.pk)
    return locked


def _status_label(status: str) -> str:
    return str(S(status).label) if status in S.values else status


@task(queue_name="orders")
def order_paid_follow_up(order_id: int, attempt: int = 1) -> dict[str, int]:
    """What a paid order sets going: the apps above make what it needs (work orders,
    kits), then the shopper is emailed, so the email can name the promise and the guide.

    Every subscriber is safe to run again. One that fails (no capacity, a
    bug) never touches the payment: this job runs again later, and after
    its last attempt the shopper is emailed all the same.
    """
    failed = events.announce(events.ORDER_PAID, order_id)
    if failed and attempt < FOLLOW_UP_ATTEMPTS:
        later = timezone.now() + timedelta(seconds=30 * 2**attempt)
        order_paid_follow_up.using(run_after=later).enqueue(order_id, attempt + 1)
        return {"failed": failed, "retry": attempt + 1}
    enqueue_bulk(send_order_confirmation, order_id, queue_name="emails")
    return {"failed": failed, "retry": 0}


def payment_record(*, order: Order, provider: str, charge: Charge) -> Payment:
    payment, _created = Payment.objects.update_or_create(
        reference=charge.reference,
        defaults={
            "order": order,
            "provider": provider,
            "amount": charge.amount,
            "currency": charge.currency,
            "status": charge.status,
            "refunded_amount": charge.refunded_amount,
        },
    )
    return payment


def order_mark_paid(*, order: Order, charge: Charge, provider: str, actor: str = "") -> Order:
    """Record a captured charge and move the order to paid, once."""
    with transaction.atomic():
        payment_record(order=order, provider=provider, charge=charge)
        locked = Order.objects.get(pk=order.pk)
        if locked.status == S.PENDING_PAYMENT:
            locked = order_transition(order=locked, to=S.PAID, actor=actor, note=charge.reference)
    return locked


def order_cancel_unpaid(*, order: Order, note: str, actor: str = "") -> Order:
    """Cancel an order whose payment failed; its units go back and its cart reopens."""
    with transaction.atomic():
        locked = order_transition(order=order, to=S.CANCELLED, actor=actor, note=note)
        if locked.cart_id:
            Cart.objects.filter(pk=locked.cart_id, status=Cart.Status.ORDERED).update(
                status=Cart.Status.OPEN
            )
    return locked


def order_refund(*, order: Order, actor: str, note: str = "") -> Order:
    """Refund every captured payment of the order, then mark it refunded."""
    provider = payment_provider()
    for payment in order.payments.filter(status=Payment.Status.CAPTURED):
        charge = provider.refund(
            reference=payment.reference, amount=payment.amount - payment.refunded_amount
        )
        payment_record(order=order, provider=payment.provider, charge=charge)
    return order_transition(order=order, to=S.REFUNDED, actor=actor, note=note or "refund")


def order_settle(*, order: Order, actor: str = "reconciliation", force: bool = False) -> Order:
    """Make our order agree with what the provider says happened to its money.

    Money taken but the order not marked paid (a crash after the charge):
    capture if needed, mark it paid. No money: cancel and release the units.
    Money taken for an order we already cancelled: refund it. A pending
    order still inside its charge lease is left to its checkout unless
    `force` (that checkout's own retry).
    """
    order.refresh_from_db()
    fresh = order.created_at > timezone.now() - CHARGE_LEASE
    if order.status == S.PENDING_PAYMENT and fresh and not force:
        return order
    provider = payment_provider()
    charge = provider.lookup(order_ref=order.public_id)
    order.refresh_from_db()
    if order.status == S.PENDING_PAYMENT:
        if charge is not None and charge.approved:
            if charge.status == "authorized":
                charge = provider.capture(reference=charge.reference)
            return order_mark_paid(order=order, charge=charge, provider=provider.name, actor=actor)
        return order_cancel_unpaid(order=order, note="no payment arrived", actor=actor)
    if order.status == S.CANCELLED and charge is not None and charge.approved:
        if charge.status == "authorized":
            charge = provider.void(reference=charge.reference)
        else:
            charge = provider.refund(reference=charge.reference, amount=charge.amount)
        payment_record(order=order, provider=provider.name, charge=charge)
    return order


def orders_reconcile(*, older_than: timedelta = timedelta(minutes=10)) -> dict[str, int]:
    """Settle every order left waiting for its payment (run periodically)."""
    cutoff = timezone.now() - older_than
    settled = failed = 0
    for order in Order.objects.filter(status=S.PENDING_PAYMENT, created_at__lt=cutoff)[:200]:
        try:
            order_settle(order=order, force=True)  # older than any charge lease
            settled += 1
        except PaymentError:
            logger.exception("could not settle order %s", order.number)
            failed += 1
    return {"settled": settled, "failed": failed}


def order_total_check(order: Order) -> bool:
    """Totals agree with the lines (used by tests and the admin)."""
    lines = sum((line.line_total for line in order.lines.all()), Decimal("0"))
    return lines == order.subtotal and order.subtotal + order.shipping == order.total
