"""Random sequences of shopper and staff actions never break the stock or the money.

After every step: nothing negative, allocated + live holds <= on hand,
allocated units are exactly those of open orders, every order's totals add
up, and a paid order's money is captured while a cancelled one kept none.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.commerce.conftest import checkout_body
from trunkshow.commerce import carts
from trunkshow.commerce.checkout import checkout_place
from trunkshow.commerce.models import Cart, Order, OrderLine, Payment, SandboxCharge
from trunkshow.commerce.orders import order_refund, order_total_check, order_transition
from trunkshow.common.errors import Conflict, DomainError, Invalid, PaymentDeclined
from trunkshow.common.models import Market
from trunkshow.inventory.models import Reservation, StockItem
from trunkshow.inventory.services import stock_set_on_hand

SKUS = ["TOTE-1", "CLUTCH-1"]
OPEN_STATES = ["pending_payment", "paid", "fulfilling"]


class Shop(RuleBasedStateMachine):
    carts = Bundle("carts")

    def __init__(self) -> None:
        super().__init__()
        Payment.objects.all().delete()
        Order.objects.all().delete()
        Cart.objects.all().delete()
        Reservation.objects.all().delete()
        SandboxCharge.objects.all().delete()
        StockItem.objects.filter(market_id="CN").update(on_hand=2, allocated=0)
        self.market = Market.objects.get(code="CN")

    @rule(target=carts)
    def new_cart(self) -> Cart:
        return carts.cart_create(market=self.market, locale="zh-Hans")

    @rule(cart=carts, sku=st.sampled_from(SKUS), quantity=st.integers(1, 3))
    def add(self, cart: Cart, sku: str, quantity: int) -> None:
        with contextlib.suppress(DomainError):
            carts.cart_line_set(cart=cart, sku=sku, quantity=quantity)

    @rule(cart=carts, approve=st.booleans())
    def checkout(self, cart: Cart, approve: bool) -> None:
        token = "sandbox-ok" if approve else "sandbox-decline"
        # Declined, sold out, already ordered or emptied: refused, never half-done.
        with contextlib.suppress(PaymentDeclined, Conflict, Invalid):
            checkout_place(cart=cart, payload=checkout_body(token))

    @rule(cart=carts)
    def hold_expires(self, cart: Cart) -> None:
        Reservation.objects.filter(holder=cart.public_id).update(
            reserved_until=timezone.now() - timedelta(seconds=1)
        )

    @rule(sku=st.sampled_from(SKUS), more=st.integers(1, 3))
    def restock(self, sku: str, more: int) -> None:
        item = StockItem.objects.get(sku=sku, market_id="CN")
        stock_set_on_hand(sku=sku, market_code="CN", on_hand=item.on_hand + more)

    @rule(data=st.data())
    def staff_acts(self, data: st.DataObject) -> None:
        orders = list(Order.objects.filter(status__in=["paid", "fulfilling", "shipped"]))
        if not orders:
            return
        order = data.draw(st.sampled_from(orders))
        action = data.draw(st.sampled_from(["cancel", "refund", "advance"]))
        if action == "refund":
            order_refund(order=order, actor="staff")
        elif action == "cancel" and order.status == "paid":
            order_transition(order=order, to="cancelled", actor="staff")
            order_refund_money = SandboxCharge.objects.filter(order_ref=order.public_id)
            for charge in order_refund_money.filter(status="captured"):
                from trunkshow.commerce.payments import SandboxProvider

                SandboxProvider().refund(reference=charge.reference, amount=charge.amount)
        elif action == "advance":
            following = {"paid": "fulfilling", "fulfilling": "shipped", "shipped": "delivered"}
            order_transition(order=order, to=following[order.status], actor="staff")

    @invariant()
    def stock_is_never_oversold(self) -> None:
        now = timezone.now()
        for item in StockItem.objects.filter(market_id="CN", sku__in=SKUS):
            held = (
                Reservation.objects.filter(
                    sku=item.sku, market_id="CN", reserved_until__gt=now
                ).aggregate(n=Sum("quantity"))["n"]
                or 0
            )
            assert item.on_hand >= 0 and item.allocated >= 0
            assert item.allocated + held <= item.on_hand, (
                item.sku,
                item.allocated,
                held,
                item.on_hand,
            )
            open_units = (
                OrderLine.objects.filter(sku=item.sku, order__status__in=OPEN_STATES).aggregate(
                    n=Sum("quantity")
                )["n"]
                or 0
            )
            assert item.allocated == open_units

    @invariant()
    def money_and_totals_agree(self) -> None:
        for order in Order.objects.all():
            assert order_total_check(order)
            captured = SandboxCharge.objects.filter(order_ref=order.public_id, status="captured")
            if order.status in ("paid", "fulfilling", "shipped", "delivered"):
                assert captured.aggregate(n=Sum("amount"))["n"] == order.total
            else:
                assert not captured.exists()
        assert Decimal(0) <= sum((o.total for o in Order.objects.all()), Decimal(0))


@pytest.mark.django_db
def test_no_sequence_of_actions_oversells_or_loses_money(store):
    run_state_machine_as_test(
        Shop,
        settings=settings(
            max_examples=25, stateful_step_count=20, deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )  # fmt: skip
