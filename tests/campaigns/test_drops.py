"""A drop's SKUs cannot be added before it opens, by the server's clock to the second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from tests.factories import campaign
from trunkshow.campaigns.models import Drop
from trunkshow.campaigns.services import drop_add, drop_apply_limits
from trunkshow.common.errors import Invalid
from trunkshow.inventory.models import Reservation, StockItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def drop(store, clock):
    c = campaign(windows={"CN": (clock.now - timedelta(minutes=5), clock.now + timedelta(hours=5))})
    return drop_add(
        campaign=c,
        titles={"en": "The red tote", "zh-Hans": "红色托特包"},
        opens_at=clock.now + timedelta(minutes=10),
        skus=["TOTE-1"],
        quantity=3,
        per_shopper_limit=1,
        waiting_room=False,
    )


def new_cart(client, market: str = "CN") -> str:
    return client.post("/api/v1/carts", {"market": market}, content_type="application/json").json()[
        "id"
    ]


def add(client, cart: str, sku: str, quantity: int = 1):
    return client.post(
        f"/api/v1/carts/{cart}/lines",
        {"sku": sku, "quantity": quantity},
        content_type="application/json",
    )


def test_a_drop_bag_is_refused_before_the_release_instant_to_the_second(client, drop, clock):
    cart = new_cart(client)
    # One second before the release, the bag cannot be added
    clock.move(minutes=10, seconds=-1)
    response = add(client, cart, "TOTE-1")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "drop_not_open"
    assert body["opens_at"] == drop.opens_at.isoformat()
    # and nothing is held for the cart
    assert not Reservation.objects.exists()
    assert client.get(f"/api/v1/carts/{cart}").json()["lines"] == []
    # At the release instant it can
    clock.move(seconds=1)
    assert add(client, cart, "TOTE-1").status_code == 201


def test_bags_outside_the_drop_and_markets_outside_the_campaign_are_not_held_back(
    client, drop, clock
):
    assert add(client, new_cart(client), "CLUTCH-1").status_code == 201
    # The campaign runs in China only: in the US the bag is sold as usual
    assert add(client, new_cart(client, "US"), "TOTE-1").status_code == 201


def test_the_per_shopper_limit_of_the_drop_holds_in_a_cart(client, drop, clock):
    clock.move(minutes=10)
    cart = new_cart(client)
    response = add(client, cart, "TOTE-1", quantity=2)
    assert response.status_code == 409
    assert add(client, cart, "TOTE-1", quantity=1).status_code == 201


def test_the_api_lists_the_drop_and_counts_down_to_it(client, drop, clock):
    body = client.get("/api/v1/campaigns/current", {"market": "CN", "locale": "zh-Hans"}).json()
    assert body["next_moment"]["kind"] == "drop"
    assert body["next_moment"]["seconds"] == 600
    [listed] = body["drops"]
    assert listed["id"] == drop.pk
    assert listed["title"] == "红色托特包"
    assert listed["status"] == "upcoming"
    assert listed["opens_at"] == drop.opens_at.isoformat()
    assert listed["per_shopper_limit"] == 1
    [item] = listed["items"]
    assert item["sku"] == "TOTE-1"
    assert item["price"] == {"amount": "1000.00", "currency": "CNY"}
    assert item["available"] == 3
    # Once open, it is open and the countdown is to the end
    clock.move(minutes=10)
    body = client.get("/api/v1/campaigns/current", {"market": "CN"}).json()
    assert body["drops"][0]["status"] == "open"
    assert body["next_moment"]["kind"] == "end"


def test_a_drop_of_unknown_skus_or_a_bad_limit_is_refused_naming_each(store, clock):
    c = campaign(windows={"CN": (clock.now, clock.now + timedelta(hours=1))})
    with pytest.raises(Invalid) as caught:
        drop_add(
            campaign=c,
            titles={"en": "x"},
            opens_at=clock.now,
            skus=["TOTE-1", "NOPE"],
            quantity=1,
            per_shopper_limit=0,
        )
    assert [path for path, _m in caught.value.errors] == [("per_shopper_limit",), ("skus", 1)]


def test_the_campaign_page_shows_the_drop_and_counts_down_to_it(client, drop, clock):
    page = client.get("/zh-hans/").content.decode()
    assert "限量发售" in page
    assert "红色托特包" in page
    assert "距下次发售还有" in page
    assert 'data-seconds="600"' in page
    opens_local = (drop.opens_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert opens_local in page
    assert 'data-drop-status="upcoming"' in page


def test_staff_add_a_drop_in_the_admin_and_its_limit_reaches_the_stock(
    admin_client,
    store,
    clock,
):
    from trunkshow.inventory.models import StockItem

    c = campaign(windows={"CN": (clock.now, clock.now + timedelta(hours=1))})
    response = admin_client.post(
        "/admin/campaigns/drop/add/",
        {
            "campaign": c.pk,
            "titles": '{"en": "Red", "zh-Hans": "红"}',
            "opens_market": "CN",
            "opens_local": "2030-01-01T10:00",
            "quantity": "5",
            "per_shopper_limit": "2",
            "waiting_room": "on",
            "batch_size": "50",
            "batch_seconds": "10",
            "ticket_minutes": "10",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-sku": "TOTE-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = StockItem.objects.get(sku="TOTE-1", market_id="CN")
    assert item.per_shopper_limit == 2
    assert item.on_hand - item.allocated == 5
    # The opening was written on Shanghai's clock and is stored as the UTC instant
    drop = Drop.objects.get()
    assert drop.opens_at == datetime(2030, 1, 1, 2, 0, tzinfo=UTC)
    # and staff read it back on the market's clock, in the list and in the form
    listing = admin_client.get("/admin/campaigns/drop/").content.decode()
    assert "CN 2030-01-01 10:00:00 (Asia/Shanghai)" in listing
    form = admin_client.get(f"/admin/campaigns/drop/{drop.pk}/change/").content.decode()
    assert 'value="2030-01-01T10:00"' in form


def test_the_drop_releases_its_quantity_not_the_whole_warehouse(store, clock):
    # Given a warehouse with 3 totes and a drop releasing 2, open now
    c = campaign(windows={"CN": (clock.now - timedelta(minutes=5), clock.now + timedelta(hours=5))})
    drop = drop_add(
        campaign=c, titles={"en": "Red"}, opens_at=clock.now, skus=["TOTE-1"],
        quantity=2, per_shopper_limit=1, waiting_room=False,
    )  # fmt: skip
    # Then two shoppers get one each and the third is told it is sold out
    shoppers = [Client(REMOTE_ADDR=f"10.0.0.{n}") for n in range(1, 4)]
    codes = [add(s, new_cart(s), "TOTE-1").status_code for s in shoppers]
    assert codes == [201, 201, 409]
    body = Client().get("/api/v1/campaigns/current", {"market": "CN"}).json()
    assert body["drops"][0]["status"] == "sold_out"
    # When staff release one more unit, the shelf moves by the difference only
    drop.quantity = 3
    drop.save()
    drop_apply_limits(drop=drop)
    late = Client(REMOTE_ADDR="10.0.0.9")
    assert add(late, new_cart(late), "TOTE-1").status_code == 201
    assert StockItem.objects.get(sku="TOTE-1", market_id="CN").on_hand == 3


def test_a_sold_out_drop_says_so_and_offers_the_next_drop_and_the_studio(store, clock):
    # Given a drop of one tote, open, and a second drop opening tomorrow
    c = campaign(windows={"CN": (clock.now - timedelta(minutes=5), clock.now + timedelta(days=2))})
    drop_add(campaign=c, titles={"en": "Red", "zh-Hans": "红色"}, opens_at=clock.now,
             skus=["TOTE-1"], quantity=1, per_shopper_limit=1, waiting_room=False)  # fmt: skip
    drop_add(campaign=c, titles={"en": "Clutch", "zh-Hans": "手拿包"},
             opens_at=clock.now + timedelta(days=1), skus=["CLUTCH-1"], quantity=1,
             per_shopper_limit=1, waiting_room=False)  # fmt: skip
    # When the one tote is taken
    buyer = Client(REMOTE_ADDR="10.0.0.1")
    assert add(buyer, new_cart(buyer), "TOTE-1").status_code == 201
    # Then the API and the page say sold out at once, and the page offers the next drop
    # and the studio, in Chinese
    api = Client().get("/api/v1/campaigns/current", {"market": "CN", "locale": "zh-Hans"}).json()
    assert [d["status"] for d in api["drops"]] == ["sold_out", "upcoming"]
    page = Client().get(f"/zh-hans/campaigns/{c.slug}/").content.decode()
    assert "已售罄" in page or "售罄" in page
    assert "下一场限量发售：手拿包" in page
    assert 'href="/zh-hans/studio/"' in page


def test_an_open_page_follows_the_stock_from_one_shared_answer(store, clock, monkeypatch):
    # Given an open drop of two totes and a page opened without a ticket
    from django.core.cache import cache

    from trunkshow.campaigns import api

    cache.clear()
    # (the answer kept for an hour here, not 2 s, so that a slow machine changes nothing)
    monkeypatch.setattr(api, "STOCK_SECONDS", 3600)
    c = campaign(windows={"CN": (clock.now - timedelta(minutes=5), clock.now + timedelta(days=2))})
    drop = drop_add(campaign=c, titles={"en": "Red", "zh-Hans": "红色"}, opens_at=clock.now,
                    skus=["TOTE-1"], quantity=2, per_shopper_limit=1, waiting_room=False)  # fmt: skip
    page = Client().get(f"/zh-hans/campaigns/{c.slug}/").content.decode()
    url = f"/api/v1/campaigns/{c.slug}/stock?market=CN"
    # Then the page knows where to follow the stock, and keeps the "instead" offers ready
    assert f'data-stock-url="{url.replace("&", "&amp;")}"' in page
    assert '<p class="drop-instead" hidden>' in page
    # And the stock answer says what is left
    first = Client().get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=3600"
    assert first.json()["drops"] == [
        {"id": drop.pk, "status": "open", "items": [{"sku": "TOTE-1", "available": 2}]}
    ]
    # When both totes are taken
    for n in range(2):
        buyer = Client(REMOTE_ADDR=f"10.0.1.{n + 1}")
        assert add(buyer, new_cart(buyer), "TOTE-1").status_code == 201
    # Then while the answer is kept every page shares it, then they learn sold out
    assert Client().get(url).json() == first.json()
    cache.clear()  # (the time passing)
    assert Client().get(url).json()["drops"][0]["status"] == "sold_out"
    # And an unknown campaign is a 404, a market that is no code a 422
    assert Client().get("/api/v1/campaigns/nope/stock?market=CN").status_code == 404
    assert Client().get(f"/api/v1/campaigns/{c.slug}/stock?market=C'N").status_code == 422
