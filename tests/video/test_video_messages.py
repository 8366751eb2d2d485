"""Personal video messages: composed from shared clips, rendered once, delivered by token."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.quiz.conftest import TRAVELLER
from trunkshow.engines.video.house import HOUSE
from trunkshow.engines.video.stitch import probe
from trunkshow.video import files
from trunkshow.video.message_files import CARD_SECONDS
from trunkshow.video.models import DesignerClip, VideoMessage
from trunkshow.video.services import message_render, message_request

pytestmark = pytest.mark.django_db


def run_jobs() -> None:
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--interval", "0", "--no-startup-delay"
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def request(name: str = "Lin", locale: str = "en") -> VideoMessage:
    return message_request(
        name=name, locale=locale, profile_key="jet-setter", card_title="Jet-Setter",
        card_subtitle="A message from the designer", product_slugs=["voyager-weekender", "passport-wallet"],
        card_titles={"en": "Jet-Setter", "zh-Hans": "环球旅行家"},
    )  # fmt: skip


def test_the_demo_brand_has_clips_for_every_profile_and_product(demo_clips):
    kinds = {(c.kind, c.profile_key or c.product_slug) for c in demo_clips}
    assert ("intro", "jet-setter") in kinds and ("product", "signature-tote") in kinds
    assert any(kind == "outro" for kind, _ in kinds)
    for clip in demo_clips:
        assert clip.frames % HOUSE.frames_per_block == 0
        assert (files.media_root() / clip.stream.name).exists()


def test_a_message_renders_to_a_decodable_mp4_as_long_as_its_parts(demo_clips):
    message = request()
    rendered = message_render(message_id=message.pk)
    assert rendered.status == "ready"
    folder = files.message_dir(rendered.token)
    measured = probe(folder / "message.mp4")
    clips = DesignerClip.objects.filter(pk__in=rendered.clip_ids)
    expected = (sum(c.frames for c in clips) + rendered.card_frames) / HOUSE.fps
    assert abs(measured.seconds - expected) <= 1 / HOUSE.fps
    assert abs(measured.audio_seconds - expected) <= 1 / HOUSE.fps
    assert (folder / "poster.jpg").read_bytes()[:2] == b"\xff\xd8"
    vtt = (folder / "en.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and "Lin · Jet-Setter" in vtt
    # Subtitles in the other shop language too, with the clips' own words.
    chinese = (folder / "zh-Hans.vtt").read_text(encoding="utf-8")
    assert "Lin · 环球旅行家" in chinese and "Jet-Setter" not in chinese


def test_two_shoppers_share_the_shared_segments_and_differ_in_the_card(demo_clips):
    lin = message_render(message_id=request("Lin").pk)
    mei = message_render(message_id=request("Mei").pk)
    assert lin.clip_ids == mei.clip_ids
    assert sha(files.message_dir(lin.token) / "card.ts") != sha(
        files.message_dir(mei.token) / "card.ts"
    )
    # The playlists point at the very same clip files.
    from django.test import Client

    client = Client()
    one = client.get(f"/v/{lin.token}/index.m3u8").content.decode()
    two = client.get(f"/v/{mei.token}/index.m3u8").content.decode()
    shared = [line for line in one.splitlines() if line.startswith("/v/clips/")]
    assert shared and shared == [line for line in two.splitlines() if line.startswith("/v/clips/")]


def test_the_same_request_twice_reuses_the_render(demo_clips):
    first, second = request(), request()
    assert first.pk == second.pk
    assert VideoMessage.objects.count() == 1


def test_tokens_are_unguessable_and_carry_no_name(demo_clips):
    message = message_render(message_id=request("Lin").pk)
    assert "Lin" not in message.token and len(message.token) >= 20


def test_a_render_that_ran_already_is_not_run_twice(demo_clips):
    message = message_render(message_id=request().pk)
    stamp = (files.message_dir(message.token) / "message.mp4").stat().st_mtime_ns
    again = message_render(message_id=message.pk)
    assert again.status == "ready"
    assert (files.message_dir(message.token) / "message.mp4").stat().st_mtime_ns == stamp


@pytest.mark.django_db(transaction=True)
def test_a_stuck_render_is_reclaimed_and_delivered(demo_clips, client):
    from django.utils import timezone

    message = request()
    # A worker took it and died: the lease has run out, nothing was written.
    VideoMessage.objects.filter(pk=message.pk).update(
        status="rendering", lease_until=timezone.now() - timezone.timedelta(seconds=1), attempts=1
    )
    body = client.get(f"/api/v1/videos/{message.token}").json()
    assert body["status"] == "rendering"
    run_jobs()
    body = client.get(f"/api/v1/videos/{message.token}").json()
    assert body["status"] == "ready"
    assert body["mp4_url"].endswith(f"/v/{message.token}/message.mp4")


@pytest.mark.django_db(transaction=True)
def test_the_sweep_delivers_a_render_nobody_polls_and_gives_up_on_a_hopeless_one(demo_clips):
    from django.utils import timezone

    from trunkshow.video.services import messages_sweep

    # Given one render whose worker died with its job, and one that failed every attempt
    expired = timezone.now() - timezone.timedelta(seconds=1)
    died = request("Lin")
    hopeless = request("Mei")
    DBTaskResult.objects.all().delete()
    VideoMessage.objects.filter(pk=died.pk).update(
        status="rendering", lease_until=expired, attempts=1
    )
    VideoMessage.objects.filter(pk=hopeless.pk).update(
        status="rendering", lease_until=expired, attempts=3
    )

    # When the periodic sweep runs, and then the worker
    assert messages_sweep() == {"requeued": 1, "failed": 1}
    run_jobs()

    # Then the first is delivered and the second says it failed (the page stops waiting)
    assert VideoMessage.objects.get(pk=died.pk).status == "ready"
    assert VideoMessage.objects.get(pk=hopeless.pk).status == "failed"


@pytest.mark.parametrize(
    "name",
    ["", "😀👩‍🎨", "\u202eevil", "%{localtime}", "\"quotes' & <b>", "林" * 10_000],
)
def test_any_name_renders(demo_clips, name):
    message = message_render(message_id=request(name).pk)
    assert message.status == "ready"
    assert len(message.name) <= 40


@pytest.mark.django_db(transaction=True)
def test_the_quiz_result_carries_its_video(client, demo_quiz, shop, demo_clips):
    body = client.post(
        "/api/v1/quizzes/ask-the-designer/result",
        json.dumps({"answers": TRAVELLER, "name": "Lin", "locale": "en", "market": "CN"}),
        content_type="application/json",
    ).json()
    video = body["video"]
    assert set(video) >= {"id", "status", "hls_url", "mp4_url", "poster_url", "subtitles_url"}
    assert video["status"] == "queued"
    run_jobs()
    ready = client.get(f"/api/v1/videos/{video['id']}").json()
    assert ready["status"] == "ready"
    mp4 = client.get(f"/v/{video['id']}/message.mp4", HTTP_RANGE="bytes=0-99")
    assert mp4.status_code == 206
    assert mp4["Content-Range"].startswith("bytes 0-99/")
    assert len(b"".join(mp4.streaming_content)) == 100
    playlist = client.get(f"/v/{video['id']}/index.m3u8")
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    assert "card.ts" in playlist.content.decode()


def test_unknown_videos_and_files_are_404(client, demo_clips):
    assert client.get("/api/v1/videos/not-a-real-token-at-all").status_code == 404
    message = message_render(message_id=request().pk)
    assert client.get(f"/v/{message.token}/../../settings.py").status_code == 404
    assert client.get(f"/v/{message.token}/secret.txt").status_code == 404
    assert client.get("/v/clips/../x.ts").status_code == 404


def test_a_player_ahead_of_the_render_gets_the_profiles_card_at_once(demo_clips, client):
    # Given a message whose render has not started (the workers are behind)
    message = request("Lin")
    client.get(f"/v/{message.token}/card.ts")  # the nameless card is drawn once per profile

    # When the player asks for the card
    response = client.get(f"/v/{message.token}/card.ts")

    # Then it gets a card of the right length (with no wait to shorten in
    # the test: the view never waits), not cached, and plays on
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = b"".join(response.streaming_content)
    assert body[:1] == b"G"  # an MPEG-TS sync byte
    stream = next(files.clip_dir().glob("card-*.ts"))
    assert probe(stream).video_frames == HOUSE.frames_for(CARD_SECONDS)
