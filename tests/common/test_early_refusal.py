"""A client past its API limit is answered 429 before Django runs (the web app's
outermost layer), from the same counts ApiRateLimitMiddleware keeps."""

from __future__ import annotations

import asyncio
import io
import json
import threading

import pytest
from django.test import Client

from trunkshow.common.early_refusal import with_early_refusal_asgi, with_early_refusal_wsgi

FLOOD = "/api/v1/quizzes/ask-the-designer/result"
BOT, NEIGHBOUR = "127.0.7.1", "127.0.7.2"


@pytest.fixture
def tight(settings, db):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "quiz-result": {"per_address": "3/m", "per_client": "100/m"},
    }


def exhaust(address: str) -> None:
    """Requests through Django until the address is refused there."""
    client = Client(REMOTE_ADDR=address)
    for _ in range(4):
        answer = client.post(FLOOD, "{}", content_type="application/json")
    assert answer.status_code == 429


def django_must_not_run(*args, **kwargs):
    raise AssertionError("the request reached Django")


def wsgi_call(app, address: str, path: str = FLOOD, method: str = "POST"):
    seen: dict[str, object] = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "REMOTE_ADDR": address,
               "wsgi.input": io.BytesIO(b"{}"), "CONTENT_LENGTH": "2"}  # fmt: skip
    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def asgi_call(app, address: str, path: str = FLOOD):
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "root_path": "",
             "client": (address, 50000), "headers": [(b"content-type", b"application/json")]}  # fmt: skip
    # The test's own loop, on a thread of its own.
    worker = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    worker.start()
    worker.join(timeout=30)
    return sent


def test_a_flooding_address_is_refused_before_django_under_wsgi(tight):
    # Given an address that went past its limit on the quiz's results
    exhaust(BOT)
    app = with_early_refusal_wsgi(django_must_not_run)

    # When it asks again
    status, headers, body = wsgi_call(app, BOT)

    # Then the outer layer answers the API's 429 shape, without Django
    assert status.startswith("429")
    answer = json.loads(body)
    assert answer["code"] == "rate_limited" and answer["message"]
    assert answer["retry_after"] == int(headers["Retry-After"]) >= 1
    assert headers["Content-Type"] == "application/json"
    assert headers["Cache-Control"] == "private, no-store"


def test_a_flooding_address_is_refused_before_django_under_asgi(tight):
    exhaust(BOT)
    app = with_early_refusal_asgi(django_must_not_run)

    sent = asgi_call(app, BOT)

    assert sent[0]["status"] == 429
    headers = dict(sent[0]["headers"])
    assert json.loads(sent[1]["body"])["code"] == "rate_limited"
    assert int(headers[b"retry-after"]) >= 1


def test_other_addresses_and_other_operations_go_on_to_django(tight):
    # Given one address past its limit on the quiz's results
    exhaust(BOT)
    reached: list[str] = []

    def django(environ, start_response):
        reached.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b""]

    app = with_early_refusal_wsgi(django)

    # Then a neighbour's results, the bot's reads and its pages still reach Django
    assert wsgi_call(app, NEIGHBOUR)[0] == "200 OK"
    assert wsgi_call(app, BOT, "/api/v1/products", "GET")[0] == "200 OK"
    assert wsgi_call(app, BOT, "/en/quiz/ask-the-designer/")[0] == "200 OK"
    assert len(reached) == 3


def test_nothing_is_refused_early_while_rate_limits_are_off(tight, settings):
    exhaust(BOT)
    settings.RATELIMIT_ENABLE = False
    reached: list[str] = []

    def django(environ, start_response):
        reached.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b""]

    assert wsgi_call(with_early_refusal_wsgi(django), BOT)[0] == "200 OK"


def test_a_flood_cannot_spend_its_minute_of_costly_writes_in_one_second(settings, db, monkeypatch):
    # Given the production limits of the quiz's results, and a clock that stands
    # still (every request in one second, however slow this machine is)
    rates = settings.RATE_LIMITS["quiz-result"]
    burst = int(rates["per_address_burst"].split("/")[0])
    assert burst < int(rates["per_address"].split("/")[0])
    monkeypatch.setattr("time.time", lambda: 1_800_000_000.25)
    client = Client(REMOTE_ADDR=BOT)

    # When one address sends more results in that second than its burst allows
    answers = [
        client.post(FLOOD, "{}", content_type="application/json").status_code
        for _ in range(burst + 2)
    ]

    # Then the burst passes (to the view, which finds the body invalid) and the rest
    # are refused, long before the minute's allowance is spent
    assert answers[:burst] == [422] * burst and answers[burst:] == [429, 429]
    # And the early layer refuses the next from the same counts
    status, _headers, _body = wsgi_call(with_early_refusal_wsgi(django_must_not_run), BOT)
    assert status.startswith("429")
