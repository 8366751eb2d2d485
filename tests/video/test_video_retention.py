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
