"""Livestreams: staff pin and unpin products; viewers follow the pins as Server-Sent Events."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import orjson
import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import AsyncClient, Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from tests.factories import campaign
from trunkshow.campaigns.models import StaffApiToken, Stream, StreamPin
from trunkshow.campaigns.streams import (
    staff_token_create,
    stream_pin,
    stream_set_status,
    stream_unpin,
    viewer_count,
)

SEEN: set[int] = set()


def off_loop(fn, *args, **kwargs):
    """Run `fn` in a thread of its own: the async view is called through async_to_sync or
    asyncio.run, which refuse a thread where an event loop runs (Playwright's sync API
    keeps one in the main thread when the browser tests ran earlier in the session)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def pin_seen(stream_id: int) -> bool:
    return stream_id in SEEN


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stream(store):
    now = timezone.now()
    live = (now - timedelta(minutes=5), now + timedelta(hours=5))
    c = campaign(windows={"CN": live, "US": live})
    s = Stream.objects.create(
        campaign=c,
        titles={"en": "Live from Shanghai", "zh-Hans": "上海直播"},
        scheduled_at=now,
        hls_url="https://video.example.com/live/index.m3u8",
    )
    return stream_set_status(stream_id=s.pk, status="live")


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("host", password="pw-host-123", is_staff=True)


@pytest.fixture
def staff_client(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    return client


def pin(client, stream_id: int, sku: str, **headers):
    return client.post(
        f"/api/v1/streams/{stream_id}/pins", {"sku": sku}, content_type="application/json",
        **headers,
    )  # fmt: skip


def csrf_header(client) -> dict[str, str]:
    # What a page's {% csrf_token %} gives the browser: the cookie and the same token.
    token = get_random_string(32, CSRF_ALLOWED_CHARS)
    client.cookies["csrftoken"] = token
    return {"HTTP_X_CSRFTOKEN": token}


def test_staff_pins_with_a_session_and_its_csrf_token(staff_client, stream):
    # Given a staff member signed in, on air
    # When they pin a bag with the page's CSRF token
    response = pin(staff_client, stream.pk, "TOTE-1", **csrf_header(staff_client))
    # Then it is pinned, with its instant
    assert response.status_code == 201
    assert response.json()["sku"] == "TOTE-1"
    assert response.json()["pinned_at"]
    # and the campaign API shows it pinned on the stream
    shown = Client().get("/api/v1/campaigns/current?market=CN&locale=en").json()["streams"][0]
    assert shown["status"] == "live"
    assert shown["pinned"] == [{"sku": "TOTE-1", "pinned_at": response.json()["pinned_at"]}]


def test_a_session_without_its_csrf_token_changes_nothing(staff_client, stream):
    response = pin(staff_client, stream.pk, "TOTE-1")
    assert response.status_code == 403
    assert not StreamPin.objects.exists()


def test_no_credentials_is_401_and_a_shopper_is_403(stream):
    assert pin(Client(), stream.pk, "TOTE-1").status_code == 401
    shopper = get_user_model().objects.create_user("lin", password="pw-lin-12345")
    client = Client()
    client.force_login(shopper)
    assert pin(client, stream.pk, "TOTE-1", **csrf_header(client)).status_code == 403
    assert not StreamPin.objects.exists()


def test_a_staff_api_token_pins_and_only_its_hash_is_kept(staff, stream):
    row, token = staff_token_create(user=staff, name="studio desk")
    assert token not in row.token_hash
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert pin(Client(), stream.pk, "TOTE-1", **bearer).status_code == 201
    assert pin(Client(), stream.pk, "TOTE-1", HTTP_AUTHORIZATION="Bearer forged").status_code == 401
    deleted = Client().delete(f"/api/v1/streams/{stream.pk}/pins/TOTE-1", **bearer)
    assert deleted.status_code == 204
    assert StaffApiToken.objects.filter(token_hash=row.token_hash).exists()


def test_unknown_stream_or_sku_is_refused_naming_it_and_nothing_changes(staff, stream):
    _row, token = staff_token_create(user=staff, name="desk")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    unknown_sku = pin(Client(), stream.pk, "NO-SUCH-BAG", **bearer)
    assert unknown_sku.status_code == 422
    assert unknown_sku.json()["detail"][0]["loc"] == ["body", "sku"]
    assert pin(Client(), 999999, "TOTE-1", **bearer).json()["code"] == "unknown_stream"
    gone = Client().delete(f"/api/v1/streams/{stream.pk}/pins/TOTE-1", **bearer)
    assert gone.status_code == 404
    assert not StreamPin.objects.exists()


def test_the_replay_keeps_each_pin_at_its_offset_from_the_actual_start(stream):
    # Given a stream that went on air, a bag pinned 90 s in and unpinned 30 s later
    start = stream.started_at
    stream_pin(stream_id=stream.pk, sku="TOTE-1", now=start + timedelta(seconds=90))
    stream_unpin(stream_id=stream.pk, sku="TOTE-1", now=start + timedelta(seconds=120))
    stream_set_status(stream_id=stream.pk, status="ended")
    # When the archive is read
    shown = Client().get("/api/v1/campaigns/current?market=CN&locale=en").json()["streams"][0]
    # Then the timeline says when the bag appears and goes in the recording
    assert shown["status"] == "ended"
    assert shown["pinned"] == []
    assert [(t["sku"], t["from_s"], t["to_s"]) for t in shown["timeline"]] == [
        ("TOTE-1", 90.0, 120.0)
    ]


def parse(chunks: list[bytes]) -> list[tuple[str, dict]]:
    events = []
    for block in b"".join(chunks).split(b"\n\n"):
        lines = dict(
            line.split(b": ", 1)
            for line in block.split(b"\n")
            if b": " in line and line[:1] != b":"
        )
        if b"event" in lines:
            events.append((lines[b"event"].decode(), orjson.loads(lines[b"data"])))
    return events


async def follow(stream_id: int, until: int, *, market: str = "CN", locale: str = "en"):
    """Read the event stream until `until` events came (a test's bound, not a timing)."""
    response = await AsyncClient().get(
        f"/api/v1/streams/{stream_id}/events?market={market}&locale={locale}"
    )
    assert response["Content-Type"] == "text/event-stream"
    chunks: list[bytes] = []
    iterator = response.streaming_content.__aiter__()
    while len(parse(chunks)) < until:
        chunks.append(await asyncio.wait_for(iterator.__anext__(), timeout=30))
        if any(kind == "pin" for kind, _data in parse(chunks)):
            SEEN.add(stream_id)
    await iterator.aclose()
    return parse(chunks)


def test_a_viewer_sees_the_status_then_a_pin_made_while_watching_then_its_unpin(stream, settings):
    settings.STREAM_EVENTS_SECONDS = 20  # a bound for a broken test, not a timing

    async def scenario():
        watching = asyncio.create_task(follow(stream.pk, until=3))
        # The viewer is connected (counted for the staff page) before the pin
        while await sync_to_async(viewer_count)(stream.pk) < 1:
            await asyncio.sleep(0.05)
        await sync_to_async(stream_pin, thread_sensitive=False)(stream_id=stream.pk, sku="TOTE-1")
        # Then, once the viewer has the pin, the unpin
        while not await sync_to_async(pin_seen)(stream.pk):
            await asyncio.sleep(0.05)
        await sync_to_async(stream_unpin, thread_sensitive=False)(stream_id=stream.pk, sku="TOTE-1")
        return await watching

    events = off_loop(asyncio.run, scenario())
    assert events[0] == ("status", {"status": "live"})
    kind, data = events[1]
    assert kind == "pin"
    assert data["sku"] == "TOTE-1"
    assert data["product"]["price"] == {"amount": "1000.00", "currency": "CNY"}
    assert data["product"]["product_url"].startswith("http://testserver/en/products/")
    assert events[2][0] == "unpin"


def test_the_events_of_an_unknown_stream_are_a_404(markets):
    response = off_loop(Client().get, "/api/v1/streams/424242/events")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_stream"


@pytest.mark.parametrize(("prefix", "heading"), [("en", "Live now"), ("zh-hans", "正在进行")])
def test_the_campaign_page_shows_the_player_and_follows_the_pins(stream, prefix, heading):
    page = Client().get(f"/{prefix}/campaigns/super-brand-day/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "data-stream" in html
    market = "US" if prefix == "en" else "CN"
    assert f"/api/v1/streams/{stream.pk}/events?market={market}" in html
    assert "hls.js-1.6.15/hls" in html  # the site's own copy, for browsers without native HLS
    assert heading in html


def test_under_wsgi_the_events_answer_ends_and_a_reconnect_gets_only_what_it_missed(stream):
    # Given a bag pinned, then another
    stream_pin(stream_id=stream.pk, sku="TOTE-1")
    # When a viewer asks through a WSGI server (the test client), the answer ends
    first = off_loop(Client().get, f"/api/v1/streams/{stream.pk}/events?market=CN&locale=zh-Hans")
    events = parse([first.content])
    assert [kind for kind, _data in events] == ["status", "pin"]
    assert events[1][1]["product"]["price"] == {"amount": "1000.00", "currency": "CNY"}
    stream_pin(stream_id=stream.pk, sku="CLUTCH-1")
    # Then the browser's reconnect, with the last id it saw, gets only the new pin
    again = off_loop(
        Client().get,
        f"/api/v1/streams/{stream.pk}/events?market=CN&locale=zh-Hans",
        HTTP_LAST_EVENT_ID="1",
    )
    assert [d["sku"] for k, d in parse([again.content]) if k == "pin"] == ["CLUTCH-1"]


def test_the_control_page_is_for_staff_and_pins_by_a_form(stream, staff):
    # A shopper is refused, an anonymous visitor sent to sign in
    assert Client().get(f"/en/streams/{stream.pk}/control/").status_code == 302
    shopper = get_user_model().objects.create_user("lin", password="pw-lin-12345")
    client = Client()
    client.force_login(shopper)
    assert client.get(f"/en/streams/{stream.pk}/control/").status_code == 403
    # Staff see the products and pin one with the page's form
    client = Client()
    client.force_login(staff)
    page = client.get(f"/zh-hans/streams/{stream.pk}/control/")
    assert page.status_code == 200
    assert "TOTE-1" in page.content.decode()
    done = client.post(f"/zh-hans/streams/{stream.pk}/control/", {"action": "pin", "sku": "TOTE-1"})
    assert done.status_code == 302
    assert list(StreamPin.objects.values_list("sku", flat=True)) == ["TOTE-1"]
    # An unknown SKU is said on the page and nothing changes
    bad = client.post(f"/en/streams/{stream.pk}/control/", {"action": "pin", "sku": "NOPE"})
    assert bad.status_code == 422
    assert "NOPE" in bad.content.decode()
    assert StreamPin.objects.count() == 1
