"""A player's card answered before Django: its own once rendered, the nameless one until then."""

from __future__ import annotations

import asyncio
import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.video.test_video_messages import request
from trunkshow.video import files, services
from trunkshow.video.card_segments import (
    card_answer,
    with_card_segments_asgi,
    with_card_segments_wsgi,
)
from trunkshow.video.message_files import fallback_card_stream
from trunkshow.video.models import VideoMessage
from trunkshow.video.services import (
    FRESH_PRIORITY,
    message_render,
    render_video_message,
)

pytestmark = pytest.mark.django_db


def card_address(client: Client, message: VideoMessage) -> tuple[str, str]:
    """The card's path and query as the message's playlist names them."""
    playlist = client.get(f"/v/{message.token}/index.m3u8").content.decode()
    line = next(line for line in playlist.splitlines() if line.startswith("card.ts"))
    path, _, query = f"/v/{message.token}/{line}".partition("?")
    return path, query


def test_the_playlist_names_the_nameless_card_of_the_same_profile(demo_clips, client):
    # Given a message not rendered yet
    message = request("Lin")

    # When its player reads the playlist
    _path, query = card_address(client, message)

    # Then the card's address names the profile's nameless card, which the view draws
    key = re.fullmatch(r"nameless=([0-9a-f]{32})", query).group(1)
    drawn = fallback_card_stream(title=message.card_title, subtitle=message.card_subtitle)
    assert drawn.name == f"card-{key}.ts"


def test_before_the_render_the_nameless_card_is_answered_without_django(demo_clips, client):
    # Given a message whose render has not run, and its profile's nameless card drawn
    message = request("Lin")
    path, query = card_address(client, message)
    nameless = fallback_card_stream(title=message.card_title, subtitle=message.card_subtitle)

    # When the player asks for its card
    answer = card_answer(path, query)

    # Then it gets the nameless card, never cached under the card's address
    assert answer == (nameless.read_bytes(), "no-store")


def test_once_rendered_the_shoppers_own_card_is_answered_and_kept(demo_clips, client):
    # Given a rendered message
    message = request("Lin")
    path, query = card_address(client, message)
    message_render(message_id=message.pk)

    # When its player asks for the card
    body, cache = card_answer(path, query)

    # Then it is the shopper's own card, cacheable for good (the token names this render)
    assert body == (files.message_dir(message.token) / "card.ts").read_bytes()
    assert "immutable" in cache


def test_another_token_or_a_climbing_path_gets_nothing_of_someone_elses(demo_clips, client):
    # Given Lin's rendered card
    lin = request("Lin")
    message_render(message_id=lin.pk)
    lin_card = (files.message_dir(lin.token) / "card.ts").read_bytes()

    # When others ask with a token of their own, a made-up one or a climbing path
    mei = request("Mei")
    mei_path, query = card_address(client, mei)
    answers = [
        card_answer(mei_path, query),
        card_answer(f"/v/{lin.token[:-1]}x/card.ts", ""),
        card_answer(f"/v/../messages/{lin.token}/card.ts", ""),
        card_answer(f"/v/{lin.token}/../{lin.token}/card.ts", ""),
    ]

    # Then none of them is Lin's card (Mei's not-yet-rendered card is the nameless one)
    assert all(answer is None or answer[0] != lin_card for answer in answers)
    assert answers[1:] == [None, None, None]


def test_the_wsgi_and_asgi_paths_answer_the_card_and_pass_the_rest_to_django(demo_clips, client):
    # Given a rendered message
    message = request("Lin")
    path, query = card_address(client, message)
    message_render(message_id=message.pk)
    own = (files.message_dir(message.token) / "card.ts").read_bytes()
    passed: list[str] = []

    def django_wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        passed.append(environ["PATH_INFO"])
        start_response("404 Not Found", [])
        return [b""]

    async def django_asgi(scope: Any, receive: Any, send: Any) -> None:
        passed.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    # When a card, a ranged card and another file are asked through each wrapper
    wsgi = with_card_segments_wsgi(django_wsgi)
    statuses: list[str] = []

    def wsgi_get(path: str, **extra: str) -> bytes:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, **extra}
        return b"".join(wsgi(environ, lambda status, headers: statuses.append(status)))

    wsgi_card = wsgi_get(path)
    wsgi_get(path, HTTP_RANGE="bytes=0-9")
    wsgi_get(f"/v/{message.token}/message.mp4")

    sent: list[dict[str, Any]] = []
    asgi = with_card_segments_asgi(django_asgi)

    async def asgi_get(path: str, headers: list[tuple[bytes, bytes]]) -> None:
        scope = {"type": "http", "method": "GET", "path": path,
                 "query_string": query.encode(), "headers": headers}  # fmt: skip

        async def send(event: dict[str, Any]) -> None:
            sent.append(event)

        await asgi(scope, None, send)

    async def asgi_all() -> None:
        await asgi_get(path, [])
        await asgi_get(path, [(b"range", b"bytes=0-9")])

    # (the loop runs in a thread of its own, beside the test's)
    thread = threading.Thread(target=lambda: asyncio.run(asgi_all()))
    thread.start()
    thread.join()

    # Then the card is answered by the wrapper; the range and other files go to Django
    assert wsgi_card == own and statuses[0] == "200 OK"
    assert sent[0]["status"] == 200 and sent[1]["body"] == own
    assert passed == [path, f"/v/{message.token}/message.mp4", path]


def test_a_result_queues_its_render_before_the_renders_queued_again(demo_clips):
    # When a result asks for its message
    message = request("Lin")

    # Then its render is queued at once, marked fresh, ahead of retries and sweeps
    job = DBTaskResult.objects.get()
    assert job.args_kwargs["args"] == [message.pk, True]
    assert job.priority == FRESH_PRIORITY > 0


def test_a_fresh_render_its_player_has_passed_yields_to_the_others(demo_clips):
    # Given a fresh render still queued when its player has played the intro
    message = request("Lin")
    VideoMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(seconds=10)
    )
    DBTaskResult.objects.all().delete()

    # When a worker takes it
    status = render_video_message.call(message.pk, True)

    # Then it renders nothing now and is queued again at the ordinary priority
    assert status == "queued"
    assert not (files.message_dir(message.token) / "card.ts").exists()
    again = DBTaskResult.objects.get()
    assert again.args_kwargs["args"] == [message.pk] and again.priority == 0

    # And a worker then renders it
    render_video_message.call(*again.args_kwargs["args"])
    assert VideoMessage.objects.get(pk=message.pk).status == "ready"


def test_a_fresh_render_in_time_for_its_player_renders_at_once(demo_clips, monkeypatch):
    # Given a render queued this instant, on a worker whose renders take the usual time
    monkeypatch.setattr(services, "_last_render", services.CARD_RENDER_BUDGET)
    message = request("Lin")

    # When a worker takes it
    status = render_video_message.call(message.pk, True)

    # Then the card is rendered
    assert status == "ready"
    assert (files.message_dir(message.token) / "card.ts").exists()
