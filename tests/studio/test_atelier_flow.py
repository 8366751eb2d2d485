"""A paid artisan bag becomes exactly one work order with a promise the workshop can keep."""

from __future__ import annotations

import json

import pytest

from tests.commerce.conftest import checkout_body
from tests.jobs import run_queued_jobs
from tests.studio.test_designs_api import GREEN, design, post
from trunkshow.atelier.models import Artisan, WorkOrder, WorkOrderPhoto
from trunkshow.atelier.services import WorkOrderError, work_order_move, work_orders_create_for_order
from trunkshow.commerce.models import Order
from trunkshow.commerce.payments import sign_webhook
from trunkshow.inventory.models import StockItem

# Work orders are made when the payment commits: real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def api(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def buy(client, made: dict, key: str) -> dict:
    cart = api(client, "/api/v1/carts", {"market": "CN"}).json()["id"]
    assert (
        api(
            client, f"/api/v1/carts/{cart}/lines", {"design_id": made["id"], "quantity": 1}
        ).status_code
        == 201
    )
    placed = api(
        client, f"/api/v1/carts/{cart}/checkout", checkout_body(), HTTP_IDEMPOTENCY_KEY=key
    ).json()
    run_queued_jobs("orders")  # what the worker does once the order is paid
    return placed


@pytest.fixture
def workshop(tote_template):
    StockItem.objects.filter(sku="TOTE-1", market_id="CN").update(on_hand=50)
    return Artisan.objects.create(name="Mei")


def test_a_paid_artisan_bag_makes_one_work_order_even_if_told_twice(client, workshop):
    made = post(client, design(mode="artisan")).json()
    assert isinstance(made["lead_time_days"], int) and made["lead_time_days"] >= 3
    placed = buy(client, made, "a")

    order = Order.objects.get(public_id=placed["order_id"])
    work_order = WorkOrder.objects.get()
    assert work_order.order_line.order == order and work_order.status == "queued"
    assert work_order.snapshot["document"]["zones"] == made["document"]["zones"]

    # The provider's webhook arrives twice, and the event is replayed: still one.
    for event_id in ("evt_1", "evt_1", "evt_2"):
        body = json.dumps({"id": event_id, "type": "charge.captured",
                           "data": {"order_ref": order.public_id}}).encode()  # fmt: skip
        client.post("/api/v1/payments/sandbox/webhook", body, content_type="application/json",
                    HTTP_SANDBOX_SIGNATURE=sign_webhook(body))  # fmt: skip
    work_orders_create_for_order(order.pk)
    assert WorkOrder.objects.count() == 1

    shown = client.get(
        f"/api/v1/orders/{order.public_id}", {"token": placed["access_token"]}
    ).json()
    line = shown["lines"][0]
    assert line["mode"] == "artisan"
    assert line["work_order"] == {
        "status": "queued", "promised_ship_date": work_order.promised_ship_date.isoformat()
    }  # fmt: skip


def test_a_diy_bag_makes_no_work_order(client, workshop):
    made = post(client, design()).json()
    assert made["lead_time_days"] is None
    placed = buy(client, made, "d")
    assert not WorkOrder.objects.exists()
    order = client.get(
        f"/api/v1/orders/{placed['order_id']}", {"token": placed["access_token"]}
    ).json()
    assert order["lines"][0]["work_order"] is None


def test_the_promise_grows_with_the_queue_for_new_shoppers(client, workshop):
    made = post(client, design(mode="artisan", zones={"body": GREEN})).json()
    first = made["lead_time_days"]
    for index in range(6):
        buy(client, made, f"k{index}")
    assert WorkOrder.objects.count() == 6
    later = client.get(f"/api/v1/designs/{made['id']}").json()["lead_time_days"]
    assert later > first
    # and shrinks when another artisan joins
    Artisan.objects.create(name="Lin")
    assert client.get(f"/api/v1/designs/{made['id']}").json()["lead_time_days"] < later


def test_work_orders_move_through_the_workshop_with_rework(client, workshop):
    made = post(client, design(mode="artisan")).json()
    buy(client, made, "w")
    work_order = WorkOrder.objects.get()
    with pytest.raises(WorkOrderError):  # nobody is painting it yet
        work_order_move(work_order=work_order, to="in_painting", actor="mei")
    steps = ["in_painting", "drying", "quality_check", "in_painting", "drying", "quality_check"]
    for step in steps:
        work_order = work_order_move(work_order=work_order, to=step, actor="mei", artisan=workshop)
    assert work_order.assignee == workshop
    with pytest.raises(WorkOrderError):  # no photo of the finished bag yet
        work_order_move(work_order=work_order, to="ready_to_ship", actor="mei")
    WorkOrderPhoto.objects.create(work_order=work_order, name="x.jpg", width=800, height=600,
                                  uploaded_by="mei")  # fmt: skip
    for step in ["ready_to_ship", "shipped"]:
        work_order = work_order_move(work_order=work_order, to=step, actor="mei")
    assert [e.to_status for e in work_order.events.all()][-1] == "shipped"
    assert all(e.actor for e in work_order.events.all())
    with pytest.raises(WorkOrderError):
        work_order_move(work_order=work_order, to="queued", actor="mei")


def test_the_wait_is_shown_in_the_cart_at_checkout_and_on_the_order(workshop):
    from django.test import Client

    client = Client()
    client.cookies["trunkshow_market"] = "CN"
    made = post(client, design(mode="artisan")).json()
    client.post("/zh-hans/cart/add-design/", {"design_id": made["id"]})
    cart_id = client.session["cart_id"]
    line = client.get(f"/api/v1/carts/{cart_id}").json()["lines"][0]
    assert line["lead_time_days"] == made["lead_time_days"]
    assert "天后可发货" in client.get("/zh-hans/cart/").content.decode()
    assert "天后可发货" in client.get("/zh-hans/checkout/").content.decode()
    placed = api(
        client, f"/api/v1/carts/{cart_id}/checkout", checkout_body(), HTTP_IDEMPOTENCY_KEY="x"
    ).json()
    run_queued_jobs("orders")
    page = client.get(f"/zh-hans/orders/{placed['order_id']}/").content.decode()
    assert "工匠承诺在" in page and WorkOrder.objects.get().promised_ship_date.isoformat() in page
