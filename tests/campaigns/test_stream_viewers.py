"""Staff see how many viewers follow a stream, summed over every web process."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.campaigns.test_streams import follow, off_loop
from tests.factories import campaign
from trunkshow.campaigns.models import Stream
from trunkshow.campaigns.streams import stream_audience_report, stream_set_status, viewer_count

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_air(store):
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=5))})
    s = Stream.objects.create(campaign=c, scheduled_at=now, hls_url="https://example.com/a.m3u8")
    return stream_set_status(stream_id=s.pk, status="live")


def test_the_count_sums_every_process_and_forgets_one_that_fell_silent(on_air, monkeypatch):
    # Given two web processes holding viewers
    stream_audience_report(process="web-1", counts={on_air.pk: 3})
    stream_audience_report(process="web-2", counts={on_air.pk: 2})
    assert viewer_count(on_air.pk) == 5
    # When the first one's viewers leave
    stream_audience_report(process="web-1", counts={on_air.pk: 0})
    assert viewer_count(on_air.pk) == 2
    # and the second one stops reporting (it died), its viewers stop counting
    later = timezone.now() + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert viewer_count(on_air.pk) == 0


def test_a_connected_viewer_is_counted_and_stops_counting_when_it_leaves(on_air, settings):
    settings.STREAM_EVENTS_SECONDS = 20

    async def scenario():
        watching = asyncio.create_task(follow(on_air.pk, until=2))
        counted = 0
        while counted < 1:
            counted = await sync_to_async(viewer_count)(on_air.pk)
            await asyncio.sleep(0.05)
        watching.cancel()
        await asyncio.gather(watching, return_exceptions=True)
        while await sync_to_async(viewer_count)(on_air.pk) != 0:
            await asyncio.sleep(0.1)
        return counted

    assert off_loop(asyncio.run, scenario()) == 1


@pytest.mark.parametrize(
    ("prefix", "words"), [("en", ["Live", "Watching now:"]), ("zh-hans", ["直播中", "正在观看："])]
)
def test_staff_see_the_count_on_the_control_page_and_in_the_api(on_air, prefix, words):
    staff = get_user_model().objects.create_user("host", password="pw-host-123", is_staff=True)
    client = Client()
    client.force_login(staff)
    stream_audience_report(process="web-1", counts={on_air.pk: 7})
    page = client.get(f"/{prefix}/streams/{on_air.pk}/control/").content.decode()
    for word in words:
        assert word in page
    assert f'data-viewers="/api/v1/streams/{on_air.pk}/viewers">7<' in page
    assert client.get(f"/api/v1/streams/{on_air.pk}/viewers").json()["viewers"] == 7
