"""With REDIS_URL, a pin reaches every web process's viewers through Redis pub/sub."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

import pytest
import redis
from asgiref.sync import sync_to_async
from django.utils import timezone

from tests.campaigns.test_streams import follow, off_loop
from tests.factories import campaign
from trunkshow.campaigns import stream_events
from trunkshow.campaigns.models import Stream
from trunkshow.campaigns.stream_announce import CHANNEL
from trunkshow.campaigns.stream_fanout import watch
from trunkshow.campaigns.streams import stream_pin, stream_set_status

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


@pytest.fixture
def on_air(store):
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=5))})
    s = Stream.objects.create(campaign=c, scheduled_at=now, hls_url="https://example.com/a.m3u8")
    return stream_set_status(stream_id=s.pk, status="live")


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_up(), reason=f"no Redis at {REDIS_URL}"),
]


def test_with_redis_a_pin_is_published_and_reaches_an_events_subscriber(
    on_air, settings, monkeypatch
):
    settings.REDIS_URL = REDIS_URL
    # No look at the database before the test's bound: only a message can wake the viewer.
    settings.STREAM_EVENTS_SECONDS = 120
    monkeypatch.setattr(stream_events, "HEARTBEAT_SECONDS", 120.0)
    # Given a listener of our own on the stream's channel
    listener = redis.Redis.from_url(REDIS_URL).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(f"{CHANNEL}{on_air.pk}")

    async def scenario():
        watching = asyncio.create_task(follow(on_air.pk, until=2))
        while watch().viewers(on_air.pk) < 1:
            await asyncio.sleep(0.05)
        assert watch().pubsub  # this process listens to Redis, it does not poll
        await asyncio.sleep(0.5)  # let its subscription be made
        # When staff pin a bag
        await sync_to_async(stream_pin, thread_sensitive=False)(stream_id=on_air.pk, sku="TOTE-1")
        return await watching

    events = off_loop(asyncio.run, scenario())
    # Then the viewer got it, woken by the message
    assert events[1][0] == "pin" and events[1][1]["sku"] == "TOTE-1"
    # and the message went through Redis, where any other process hears it too
    messages = [listener.get_message(timeout=1) for _ in range(5)]  # the first: its ack
    message = next((m for m in messages if m is not None), None)
    assert message is not None and message["channel"] == f"{CHANNEL}{on_air.pk}".encode()
    listener.close()


def test_without_redis_the_process_polls_the_database_once_for_all_its_viewers(on_air, settings):
    settings.REDIS_URL = ""
    settings.STREAM_EVENTS_SECONDS = 20

    async def scenario():
        viewers = [asyncio.create_task(follow(on_air.pk, until=2)) for _ in range(3)]
        while watch().viewers(on_air.pk) < 3:
            await asyncio.sleep(0.05)
        assert not watch().pubsub
        await sync_to_async(stream_pin, thread_sensitive=False)(stream_id=on_air.pk, sku="TOTE-1")
        return await asyncio.gather(*viewers)

    for events in off_loop(asyncio.run, scenario()):
        assert events[1][0] == "pin" and events[1][1]["sku"] == "TOTE-1"
