"""`demo_brand` puts a short generated stream on air, served as HLS, with a bag pinned."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from trunkshow.campaigns.models import Stream

pytestmark = pytest.mark.django_db


def served(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def test_the_demo_campaign_has_a_live_stream_from_generated_video_with_a_pin():
    # When the demo brand loads
    call_command("demo_brand", stdout=io.StringIO())
    # Then its campaign, in either market, shows a stream on air with a bag pinned
    client = Client()
    for market, locale in (("CN", "zh-Hans"), ("US", "en")):
        body = client.get(f"/api/v1/campaigns/current?market={market}&locale={locale}").json()
        (stream,) = body["streams"]
        assert stream["status"] == "live"
        assert stream["pinned"] and stream["poster_url"]
        path = urlsplit(stream["hls_url"]).path
        assert path.startswith("/media/") and path.endswith(".m3u8")
    # and the site serves its playlist and segments: a few seconds of video
    playlist = served(client, path).decode()
    assert "#EXT-X-ENDLIST" in playlist
    seconds = sum(float(line[8:].rstrip(",")) for line in playlist.splitlines()
                  if line.startswith("#EXTINF:"))  # fmt: skip
    assert 5 < seconds < 30
    folder = path.rsplit("/", 1)[0]
    first = next(line for line in playlist.splitlines() if line.endswith(".ts"))
    assert served(client, f"{folder}/{first}")[:1] == b"\x47"  # an MPEG-TS sync byte
    # And loading the demo again keeps that stream and its pin as they are
    call_command("demo_brand", stdout=io.StringIO())
    again = Stream.objects.get()
    assert f"/media/{again.hls_path}" == path
    assert again.pins.filter(unpinned_at__isnull=True).count() == 1
