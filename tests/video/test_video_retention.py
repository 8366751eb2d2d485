"""Personal videos nobody opens are removed after VIDEO_RETENTION_DAYS; opened ones stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.video.test_video_messages import request
from trunkshow.video import files
from trunkshow.video.models import VideoMessage
from trunkshow.video.services import message_render
from trunkshow.video.tasks import expire_video_messages

pytestmark = pytest.mark.django_db


def rendered(name: str) -> VideoMessage:
    return message_render(message_id=request(name=name).pk)


def age(message: VideoMessage, days: float) -> None:
    VideoMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_an_unopened_old_video_is_removed_and_an_opened_one_kept(client, demo_clips, settings):
    # Given two personal videos made 40 days ago, with 30 days' retention;
    # one was played yesterday
    settings.VIDEO_RETENTION_DAYS = 30
    forgotten, watched = rendered("Lin"), rendered("Mei")
    age(forgotten, 40)
    age(watched, 40)
    assert client.get(f"/v/{watched.token}/index.m3u8").status_code == 200
    VideoMessage.objects.filter(pk=watched.pk).update(opened_at=timezone.now() - timedelta(days=1))
    fresh = rendered("Yang")

    # When the periodic job runs
    assert expire_video_messages.call() == 1

    # Then only the forgotten one's files are gone; its link says so
    assert not (files.media_root() / "video" / "messages" / forgotten.token).exists()
    assert client.get(f"/v/{forgotten.token}/message.mp4").status_code == 404
    assert client.get(f"/api/v1/videos/{forgotten.token}").json()["status"] == "expired"
    for kept in (watched, fresh):
        assert client.get(f"/v/{kept.token}/message.mp4").status_code == 200


def test_playing_a_video_counts_as_opening_it(client, demo_clips):
    message = rendered("Lin")
    assert VideoMessage.objects.get(pk=message.pk).opened_at is None
    client.get(f"/v/{message.token}/index.m3u8")
    assert VideoMessage.objects.get(pk=message.pk).opened_at is not None


def test_staff_see_the_render_backlog_in_the_health_check_and_the_admin(
    client, admin_client, demo_clips
):
    # Given three renders waiting for a worker, the oldest for two minutes
    waiting = [request(name=name) for name in ("Lin", "Mei", "Yang")]
    VideoMessage.objects.filter(pk=waiting[0].pk).update(
        created_at=timezone.now() - timedelta(minutes=2)
    )
    message_render(message_id=waiting[2].pk)

    # When an operator reads the worker health check
    backlog = client.get("/healthz/worker").json()["video_renders"]

    # Then it shows two queued, the oldest about 120 s old, none rendering
    assert backlog["queued"] == 2 and backlog["rendering"] == 0
    assert 119 <= backlog["oldest_queued_seconds"] < 180

    # And staff see the same on the personal videos' admin page
    page = admin_client.get(
        "/admin/video/videomessage/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Render backlog: 2 queued (the oldest for 12" in page


def test_an_empty_backlog_says_so(client, db):
    assert client.get("/healthz/worker").json()["video_renders"] == {
        "queued": 0,
        "rendering": 0,
        "oldest_queued_seconds": None,
    }
