"""The shopper finishes the quiz and watches the designer's message to them."""

from __future__ import annotations

import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from tests.browser.conftest import wait_until
from trunkshow.video.models import VideoMessage
from trunkshow.video.services import render_video_message

pytestmark = pytest.mark.browser

NO_NATIVE_HLS = """
const canPlay = HTMLMediaElement.prototype.canPlayType;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return type.includes("mpegurl") ? "" : canPlay.call(this, type);
};
"""


def run_render_jobs() -> None:
    call_command(
        "db_worker", "--batch", "--queue-name", "video", "--interval", "0", "--no-startup-delay"
    )


def render_latest_message_and_close() -> None:
    """What the worker does with the render job, from a thread (the worker
    command itself wants the main thread for its signal handlers)."""
    try:
        render_video_message.call(VideoMessage.objects.latest("created_at").pk)
    finally:
        connection.close()


def finish_quiz(page, base_url: str, name: str) -> None:
    page.goto(base_url + "/en/quiz/ask-the-designer/")
    for _ in range(8):
        page.locator("fieldset.question:not([hidden]) label.answer").first.click()
        page.wait_for_timeout(250)
    page.fill("input[name=name]", name)
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/en/quiz/result/"))


def playing_past(page, seconds: float) -> None:
    wait_until(
        page,
        f"""() => {{
          const v = document.querySelector('[data-video] video');
          return v && !v.error && !v.paused && v.currentTime > {seconds};
        }}""",
        timeout_ms=30_000,
    )


def test_the_video_plays_on_a_phone_from_the_intro_into_the_personal_card(
    phone, live_server, demo_shop
):
    page = phone
    assert page.evaluate(
        "document.createElement('video').canPlayType('application/vnd.apple.mpegurl')"
    )

    # Given a shopper who just finished the quiz, with the worker picking up
    # the render as it would in `make run`
    finish_quiz(page, live_server.url, "Lin")
    assert "/index.m3u8" in page.evaluate("document.querySelector('[data-video] video').currentSrc")
    worker = threading.Thread(target=render_latest_message_and_close)
    worker.start()

    # When they press play, the video plays and runs on past the shared
    # intro (3.2 s) into the card made for them, without an error
    page.locator("[data-video] video").click()
    playing_past(page, 4.0)
    worker.join(timeout=60)

    # Then the finished file can be kept
    download = page.locator("[data-download]")
    download.wait_for(state="visible")
    assert download.get_attribute("href").endswith("/message.mp4")


def test_without_native_hls_the_mp4_plays_when_ready(phone, live_server, demo_shop):
    page = phone
    page.add_init_script(NO_NATIVE_HLS)
    finish_quiz(page, live_server.url, "Mei")
    assert page.locator("[data-video-status]").is_visible()

    run_render_jobs()
    wait_until(
        page, "document.querySelector('[data-video] video').currentSrc.endsWith('/message.mp4')"
    )
    assert page.locator("[data-video-status]").is_hidden()
    page.locator("[data-video] video").click()
    playing_past(page, 1.0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
