"""The drop's waiting room: signed tickets, admitted in arrival order, usable for a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.factories import campaign
from trunkshow.campaigns.services import drop_add
from trunkshow.inventory.models import Reservation

pytestmark = pytest.mark.django_db


@pytest.fixture
def drop(store, clock):
    c = campaign(windows={"CN": (clock.now - timedelta(minutes=5), clock.now + timedelta(hours=5))})
    return drop_add(
        campaign=c,
        titles={"en": "The red tote"},
        opens_at=clock.now + timedelta(minutes=1),
        skus=["TOTE-1"],
        quantity=3,
        per_shopper_limit=1,
        batch_size=2,
        batch_seconds=10,
    )


def new_cart(client) -> str:
    return client.post("/api/v1/carts", {"market": "CN"}, content_type="application/json").json()[
        "id"
    ]


def take(client, drop) -> dict:
    response = client.post(f"/api/v1/drops/{drop.pk}/tickets", content_type="application/json")
    assert response.status_code == 201
    return response.json()


def add(client, cart: str, ticket: str | None):
    body = {"sku": "TOTE-1", "quantity": 1}
    if ticket is not None:
        body["ticket"] = ticket
    return client.post(f"/api/v1/carts/{cart}/lines", body, content_type="application/json")


def test_shoppers_are_admitted_in_the_order_they_arrived(client, drop, clock):
    # Given five shoppers arriving before the drop opens (two admitted every ten seconds)
    tickets = [take(client, drop) for _ in range(5)]
    # Then each sees their place and the wait until their own turn: one every five seconds
    assert [t["position"] for t in tickets] == [1, 2, 3, 4, 5]
    assert [t["estimated_wait_s"] for t in tickets] == [60, 65, 70, 75, 80]
    assert [t["estimated_wait_ms"] for t in tickets] == [60000, 65000, 70000, 75000, 80000]
    assert not any(t["admitted"] for t in tickets)
    # When the drop opens, the first to arrive is admitted alone

    def state(t):
        return client.get(f"/api/v1/drops/{drop.pk}/tickets/{t['ticket']}").json()

    clock.move(minutes=1)
    assert [state(t)["admitted"] for t in tickets] == [True, False, False, False, False]
    assert [state(t)["position"] for t in tickets] == [0, 1, 2, 3, 4]
    # and ten seconds later two more, whoever asked most often
    clock.move(seconds=10)
    assert [state(t)["admitted"] for t in tickets] == [True, True, True, False, False]
    assert state(tickets[3])["estimated_wait_ms"] == 5000


def test_a_waiting_shopper_is_told_when_the_drop_sells_out(client, drop, clock):
    # Given a shopper waiting in the queue and the first one admitted
    first, waiting = take(client, drop), take(client, drop)
    url = f"/api/v1/drops/{drop.pk}/tickets/{waiting['ticket']}"
    clock.move(minutes=1)
    assert client.get(url, {"market": "CN"}).json()["sold_out"] is False
    # When the three units are held by others
    for n in range(3):
        other = Client(REMOTE_ADDR=f"127.0.9.{n + 1}")
        cart = new_cart(other)
        assert add(other, cart, first["ticket"]).status_code == 201
    # Then the waiting shopper's next look says so, in the market and everywhere
    assert client.get(url, {"market": "CN"}).json()["sold_out"] is True
    assert client.get(url).json()["sold_out"] is True
    # And a market that is no market code is a 422 naming it
    response = client.get(url, {"market": "C'N"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "market"]


def test_a_drop_bag_needs_an_admitted_ticket(client, drop, clock):
    first, _second, third = (take(client, drop) for _ in range(3))
    clock.move(minutes=1)
    cart = new_cart(client)
    # Without a ticket: 409 not_admitted, nothing held
    response = add(client, cart, None)
    assert response.status_code == 409
    assert response.json()["code"] == "not_admitted"
    # With one whose turn has not come (the second is next): 409 with the position
    response = add(client, cart, third["ticket"])
    assert response.status_code == 409
    assert response.json()["code"] == "not_admitted"
    assert response.json()["position"] == 2
    assert not Reservation.objects.filter(holder=cart).exists()
    # With an admitted one: the bag is in the cart
    assert add(client, cart, first["ticket"]).status_code == 201


def test_a_forged_ticket_is_a_422_naming_it_and_an_expired_one_a_410(client, drop, clock):
    ticket = take(client, drop)["ticket"]
    clock.move(minutes=1)
    cart = new_cart(client)
    forged = ticket[:-2] + ("AA" if not ticket.endswith("AA") else "BB")
    response = add(client, cart, forged)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ticket"]
    response = client.get(f"/api/v1/drops/{drop.pk}/tickets/{forged}")
    assert response.status_code == 422
    # An admitted ticket lasts ten minutes
    clock.move(minutes=10)
    response = add(client, cart, ticket)
    assert response.status_code == 410
    assert response.json()["code"] == "ticket_expired"
    assert not Reservation.objects.filter(holder=cart).exists()


def test_an_unknown_drop_is_a_404(client, drop):
    assert (
        client.post("/api/v1/drops/999999/tickets", content_type="application/json").status_code
        == 404
    )
    assert client.get("/api/v1/drops/999999/tickets/x").status_code in (404, 422)


def test_a_shopper_joins_the_queue_on_the_page_and_buys_when_admitted(client, drop, clock):
    # Given two shoppers already waiting
    for _ in range(2):
        take(client, drop)
    # When a shopper joins the queue from the campaign page
    page = client.get("/zh-hans/").content.decode()
    assert "加入排队" in page
    response = client.post(
        f"/zh-hans/campaigns/super-brand-day/drops/{drop.pk}/queue/", {"next": "/zh-hans/"}
    )
    assert response["Location"] == f"/zh-hans/#drop-{drop.pk}"
    # Then the page shows their place (third), and the page asks again when it comes
    page = client.get("/zh-hans/").content.decode()
    assert "你在队列中排第 3 位" in page
    assert 'data-wait-ms="70000"' in page
    assert 'name="ticket"' not in page
    # When the drop opens, the two before them go first: still waiting
    clock.move(minutes=1, seconds=5)
    page = client.get("/zh-hans/").content.decode()
    assert "你在队列中排第 1 位" in page
    # Five seconds later it is their turn, and "add to bag" carries the ticket
    clock.move(seconds=5)
    page = client.get("/zh-hans/").content.decode()
    assert "轮到你了" in page
    ticket = page.split('name="ticket" value="')[1].split('"')[0]
    response = client.post(
        "/zh-hans/cart/add/", {"sku": "TOTE-1", "quantity": "1", "ticket": ticket}
    )
    assert response.status_code == 302
    # (the unit set aside for their ticket is now the cart's; the two before them keep theirs)
    assert Reservation.objects.exclude(holder__startswith="drop-ticket:").get().sku == "TOTE-1"
    assert Reservation.objects.filter(holder__startswith="drop-ticket:").count() == 2


def test_the_unit_is_set_aside_at_admission_in_arrival_order(client, drop, clock):
    # Given four shoppers waiting for a drop of three units, two admitted every ten seconds
    tickets = [take(client, drop) for _ in range(4)]

    def state(t):
        return client.get(f"/api/v1/drops/{drop.pk}/tickets/{t['ticket']}").json()

    # When the turns of the first three come, whoever asks (only the third asks here)
    clock.move(minutes=1, seconds=10)
    assert state(tickets[2])["admitted"] is True
    # Then each of the three has its unit set aside, in the order they arrived
    held = list(Reservation.objects.filter(holder__startswith="drop-ticket:").order_by("pk"))
    assert [r.quantity for r in held] == [1, 1, 1]
    assert [state(t)["set_aside"] for t in tickets[:3]] == [{"TOTE-1": 1}] * 3
    assert [state(t)["rank"] for t in tickets] == [0, 1, 2, 3]
    # And the fourth, whose turn comes next, waits for a unit to come back
    clock.move(seconds=10)
    fourth = state(tickets[3])
    assert fourth["admitted"] is False
    assert fourth["position"] == 1
    assert fourth["sold_out"] is False  # three units may yet come back
    # When the third, slowest to add, adds last, the unit is still theirs
    for n in (2, 0):
        other = Client(REMOTE_ADDR=f"127.0.8.{n + 1}")
        cart = new_cart(other)
        assert add(other, cart, tickets[n]["ticket"]).status_code == 201
    # And when the second's ticket runs out unused, the unit goes to the fourth
    clock.move(minutes=10)
    fourth = state(tickets[3])
    assert fourth["admitted"] is True
    assert fourth["set_aside"] == {"TOTE-1": 1}
    cart = new_cart(client)
    assert add(client, cart, tickets[3]["ticket"]).status_code == 201
    assert not Reservation.objects.filter(
        holder__startswith="drop-ticket:", reserved_until__gt=clock.now
    ).exists()


def test_a_shopper_admitted_while_others_add_cannot_be_overtaken(client, drop, clock):
    # Given three shoppers admitted for the three units, and a fourth admitted as well
    # (with a ticket of the first, as a shopper in a hurry would try)
    tickets = [take(client, drop) for _ in range(3)]
    clock.move(minutes=1, seconds=10)
    assert client.get(f"/api/v1/drops/{drop.pk}/tickets/{tickets[2]['ticket']}").json()["admitted"]
    # When someone else adds with the first ticket before its owner
    cart = new_cart(client)
    assert add(client, cart, tickets[0]["ticket"]).status_code == 201
    again = new_cart(Client(REMOTE_ADDR="127.0.7.1"))
    # Then a second cart on the same ticket finds nothing more set aside for it
    response = add(Client(REMOTE_ADDR="127.0.7.1"), again, tickets[0]["ticket"])
    assert response.status_code == 409
    # And the other two shoppers still have their units
    for n in (1, 2):
        other = Client(REMOTE_ADDR=f"127.0.6.{n + 1}")
        assert add(other, new_cart(other), tickets[n]["ticket"]).status_code == 201


def test_a_ticket_ranks_by_when_its_request_reached_the_server(client, drop, clock):
    # Given two shoppers whose requests were numbered in the order their turns to run came
    from trunkshow.campaigns.waiting_room import ticket_issue

    later = ticket_issue(drop_id=drop.pk, now=clock.now, arrived_at=clock.now)
    # When a request that reached the server a second earlier, but waited for its turn
    # behind the other, is numbered after it
    earlier = ticket_issue(
        drop_id=drop.pk, now=clock.now, arrived_at=clock.now - timedelta(seconds=1)
    )
    # Then it goes first, and the other moves back one
    assert (earlier.rank, earlier.position) == (0, 1)
    after = client.get(f"/api/v1/drops/{drop.pk}/tickets/{later.ticket}").json()
    assert (after["rank"], after["position"]) == (1, 2)
    # And an arrival instant out of reason (a minute and more ago) counts as a minute ago
    odd = ticket_issue(drop_id=drop.pk, now=clock.now, arrived_at=clock.now - timedelta(days=1))
    assert odd.rank == 0
