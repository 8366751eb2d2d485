"""A livestream from a file staff upload in the admin: checked by content, served as HLS."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories import campaign
from tests.jobs import run_queued_jobs
from trunkshow.campaigns.models import Stream
from trunkshow.campaigns.streams import stream_set_status
from trunkshow.engines.video.encode import encode_segment
from trunkshow.engines.video.house import HouseFormat

pytestmark = pytest.mark.django_db(transaction=True)
SMALL = HouseFormat(width=192, height=336, fps=15)


@pytest.fixture
def stream(store, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=5))})
    s = Stream.objects.create(campaign=c, scheduled_at=now)
    return stream_set_status(stream_id=s.pk, status="live")


@pytest.fixture
def staff_client():
    user = get_user_model().objects.create_superuser("host", "host@example.com", "pw-host-123")
    client = Client()
    client.force_login(user)
    return client


def small_clip(path: Path) -> bytes:
    """Two seconds drawn here: a colour sweep, H.264 and AAC like a camera's file."""
    frames = [Image.new("RGB", (SMALL.width, SMALL.height), (i * 8, 60, 120)) for i in range(32)]
    encode_segment(path, frames, fmt=SMALL)
    return path.read_bytes()


def upload(client, stream, name: str, content: bytes):
    local = timezone.localtime(stream.scheduled_at)
    started = timezone.localtime(stream.started_at)
    data = {
        "campaign": stream.campaign_id, "titles": "{}", "status": "live",
        "scheduled_at_0": local.strftime("%Y-%m-%d"), "scheduled_at_1": local.strftime("%H:%M:%S"),
        "started_at_0": started.strftime("%Y-%m-%d"), "started_at_1": started.strftime("%H:%M:%S"),
        "ended_at_0": "", "ended_at_1": "", "hls_url": "", "hls_path": "",
        "pins-TOTAL_FORMS": "0", "pins-INITIAL_FORMS": "0",
        "pins-MIN_NUM_FORMS": "0", "pins-MAX_NUM_FORMS": "1000",
        "recording": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    }  # fmt: skip
    return client.post(reverse("admin:campaigns_stream_change", args=[stream.pk]), data)


def test_an_uploaded_video_is_packaged_as_hls_on_the_video_queue_and_played(
    stream, staff_client, tmp_path
):
    # Given a short clip, under a name that says nothing of its content
    clip = small_clip(tmp_path / "clip.mp4")
    # When staff upload it on the stream's admin page
    response = upload(staff_client, stream, "studio-take-3.bin", clip)
    assert response.status_code == 302, response.content[:2000]
    stream.refresh_from_db()
    assert stream.recording_status == "packaging" and not stream.hls_path
    # and the video worker runs its job
    run_queued_jobs("video")
    # Then the stream plays an HLS playlist the site serves, with its segments
    stream.refresh_from_db()
    assert stream.recording_status == "ready", stream.recording_error
    playlist = Client().get(f"/media/{stream.hls_path}")
    assert playlist.status_code == 200
    text = b"".join(playlist.streaming_content).decode()
    assert text.startswith("#EXTM3U") and "#EXT-X-ENDLIST" in text
    segments = [line for line in text.splitlines() if line.endswith(".ts")]
    assert segments
    folder = stream.hls_path.rsplit("/", 1)[0]
    assert Client().get(f"/media/{folder}/{segments[0]}").status_code == 200
    # and the campaign page's player is given it
    page = Client().get("/zh-hans/campaigns/super-brand-day/").content.decode()
    assert f'data-hls="/media/{stream.hls_path}"' in page


@pytest.mark.parametrize("prefix", ["en", "zh-hans"])
def test_a_file_that_is_not_a_video_is_refused_saying_so_and_nothing_is_queued(
    stream, staff_client, prefix
):
    # Given a picture named like a video
    staff_client.cookies["django_language"] = prefix
    with open(Path(__file__).parent.parent.parent / "trunkshow" / "campaigns" / "static" /
              "campaigns" / "vendor" / "hls.js-1.6.15" / "LICENSE", "rb") as handle:  # fmt: skip
        not_video = handle.read()
    # When staff upload it
    response = upload(staff_client, stream, "show.mp4", not_video)
    # Then the form says it is not a video, and the stream is unchanged
    assert response.status_code == 200
    message = "This file is not a video" if prefix == "en" else "这个文件不是视频"
    assert message in response.content.decode()
    stream.refresh_from_db()
    assert not stream.recording and not stream.recording_status
