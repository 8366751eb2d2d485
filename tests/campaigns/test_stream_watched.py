"""The "stream watched" event: recorded by the async event view, once per viewing, with consent."""

from __future__ import annotations

import asyncio

import pytest
from django.test import AsyncClient, Client

from tests.campaigns.test_streams import follow, off_loop, stream  # noqa: F401 - fixture
from trunkshow.analytics.models import Event, Kind
from trunkshow.common.consent import consent_record

pytestmark = pytest.mark.django_db(transaction=True)
ME = "0123456789abcdef0123456789abcdef"


def watched() -> list[tuple[str, str, str, str]]:
    rows = Event.objects.filter(kind=Kind.STREAM_WATCHED).order_by("id")
    return [(e.visitor_id, e.ref, e.market, e.locale) for e in rows]


def open_events(stream_id: int, **headers: str):
    client = Client()
    client.cookies["ts_vid"] = ME
    url = f"/api/v1/streams/{stream_id}/events?market=CN&locale=zh-Hans"
    return off_loop(client.get, url, **headers)


def test_a_viewer_who_accepted_analytics_is_counted_once_per_viewing(stream):  # noqa: F811
    # Given a visitor who ticked analytics
    consent_record(visitor_id=ME, analytics=True, personalisation=True, source="banner")
    # When their page opens the stream's events, then its EventSource reconnects
    # (with the id of the status it was given, before any pin)
    first = open_events(stream.pk)
    assert first.status_code == 200
    assert b"id: 0\nevent: status" in first.content
    open_events(stream.pk, HTTP_LAST_EVENT_ID="0")
    # Then one "stream watched" is stored, about this stream, in the market and
    # language the page asked in
    assert watched() == [(ME, str(stream.pk), "CN", "zh-Hans")]
    # And a new page (a new EventSource, no Last-Event-ID) is a new viewing
    open_events(stream.pk)
    assert len(watched()) == 2


@pytest.mark.parametrize("choice", [None, "necessary only"])
def test_a_viewer_who_did_not_accept_analytics_is_not_counted(stream, choice):  # noqa: F811
    # Given a visitor who never answered the banner, or chose "necessary only"
    if choice:
        consent_record(visitor_id=ME, analytics=False, personalisation=False, source="banner")
    # When their page opens the stream's events
    response = open_events(stream.pk)
    # Then they watch, and nothing about them is stored
    assert response.status_code == 200
    assert watched() == []


def test_a_viewer_over_asgi_is_counted_when_the_connection_opens(stream):  # noqa: F811
    # Given an API client that accepted analytics under its own visitor id
    consent_record(visitor_id=ME, analytics=True, personalisation=True, source="api")

    async def scenario():
        response = await AsyncClient().get(
            f"/api/v1/streams/{stream.pk}/events?market=US&locale=en",
            headers={"X-Visitor-Id": ME},
        )
        iterator = response.streaming_content.__aiter__()
        first = await asyncio.wait_for(iterator.__anext__(), timeout=30)
        await iterator.aclose()
        return first

    # When it connects to the open event stream (the view's reads and the event's
    # write run off the event loop, on threads that give their connection back)
    assert off_loop(asyncio.run, scenario()).startswith(b"retry:")
    # Then its viewing is recorded before the first byte
    assert watched() == [(ME, str(stream.pk), "US", "en")]
