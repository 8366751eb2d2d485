"""The quiz API, as a mini-program or the site's own pages call it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.quiz.conftest import TRAVELLER
from trunkshow.inventory.models import StockItem
from trunkshow.quiz.models import QuizResult

pytestmark = pytest.mark.django_db


def post_result(client, body, slug="ask-the-designer"):
    return client.post(
        f"/api/v1/quizzes/{slug}/result", json.dumps(body), content_type="application/json"
    )


def test_get_quiz_in_english_and_chinese(client, demo_quiz):
    en = client.get("/api/v1/quizzes/ask-the-designer?locale=en").json()
    assert en["slug"] == "ask-the-designer"
    assert en["title"] == "Ask the designer"
    assert en["questions"][0]["text"] == "Sneakers or stilettos?"
    assert [a["key"] for a in en["questions"][0]["answers"]] == ["sneakers", "stilettos"]
    assert en["questions"][0]["answers"][0]["image_url"].endswith(".svg")
    assert {"key": "jet-setter", "title": "Jet-Setter"} in en["profiles"]
    zh = client.get("/api/v1/quizzes/ask-the-designer?locale=zh-Hans").json()
    assert zh["questions"][0]["text"] == "运动鞋还是细高跟？"


def test_unknown_quiz_is_404_and_unknown_locale_422(client, demo_quiz):
    assert client.get("/api/v1/quizzes/nope?locale=en").status_code == 404
    assert post_result(client, {"answers": TRAVELLER}, slug="nope").status_code == 404
    response = client.get("/api/v1/quizzes/ask-the-designer?locale=klingon")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "locale"]


def test_a_result_has_profile_recommendations_in_the_market_and_is_stored(client, demo_quiz, shop):
    # When a shopper in China finishes the quiz as a traveller
    response = post_result(client, {"answers": TRAVELLER, "name": "Lin", "locale": "zh-Hans",
                                    "market": "CN", "personalised": True})  # fmt: skip

    # Then they get a profile, bags in yuan and no video yet
    assert response.status_code == 200
    body = response.json()
    assert body["profile"]["key"] == "jet-setter"
    assert body["profile"]["title"] == "环球旅行家"
    assert body["profile"]["description"]
    assert body["video"]["status"] == "queued"
    assert body["video"]["hls_url"].endswith("/index.m3u8")
    recs = body["recommendations"]
    assert recs[0]["sku"] == "WEEKENDER-1"
    assert all(r["price"]["currency"] == "CNY" for r in recs)
    assert recs[0]["price"]["amount"] == "1000.00"
    assert recs[0]["product_url"].endswith("/zh-hans/products/weekender/?sku=WEEKENDER-1")
    assert "旅行" in recs[0]["reason"]
    # Out of stock in CN: never recommended there.
    assert "BACKPACK-1" not in [r["sku"] for r in recs]
    assert {t["key"] for t in body["why"]["traits"]} <= {"travel", "active", "outdoor"}

    # And the result is stored with the version it was scored with
    stored = QuizResult.objects.get(public_id=body["result_id"])
    assert stored.version == demo_quiz
    assert stored.answers == TRAVELLER
    assert stored.market_id == "CN"
    assert stored.locale == "zh-Hans"
    assert [r["sku"] for r in stored.recommendations] == [r["sku"] for r in recs]


def test_the_same_answers_in_the_us_get_dollars_and_us_stock(client, demo_quiz, shop):
    body = post_result(client, {"answers": TRAVELLER, "market": "US", "locale": "en"}).json()
    skus = [r["sku"] for r in body["recommendations"]]
    assert "PASSPORT-1" not in skus  # sold out in the US
    assert all(
        r["price"] == {"amount": "150.00", "currency": "USD"} for r in body["recommendations"]
    )


def test_a_result_can_be_reopened_by_its_link(client, demo_quiz, shop):
    body = post_result(client, {"answers": TRAVELLER, "market": "CN", "locale": "en"}).json()
    again = client.get(f"/api/v1/quiz-results/{body['result_id']}").json()
    assert again["profile"] == body["profile"]
    assert again["recommendations"] == body["recommendations"]
    page = client.get(f"/en/quiz/result/{body['result_id']}/")
    assert page.status_code == 200
    assert "Jet-Setter" in page.content.decode()
    assert client.get("/api/v1/quiz-results/not-a-real-id-at-all").status_code == 404


def test_result_ids_are_unguessable(client, demo_quiz, shop):
    ids = {post_result(client, {"answers": TRAVELLER}).json()["result_id"] for _ in range(5)}
    assert len(ids) == 5
    assert all(len(i) >= 20 for i in ids)


def test_missing_and_unknown_answers_are_a_422_naming_each(client, demo_quiz, shop):
    answers = {**TRAVELLER, "shoes": "boots", "mood": "sunny"}
    del answers["style"]
    response = post_result(client, {"answers": answers})
    assert response.status_code == 422
    named = {d["loc"][-1]: d["msg"] for d in response.json()["detail"]}
    assert set(named) == {"shoes", "style", "mood"}
    assert "boots" in named["shoes"] and "sneakers, stilettos" in named["shoes"]
    assert QuizResult.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"answers": "sneakers"},
        {"answers": ["sneakers"]},
        {"answers": TRAVELLER, "personalised": "maybe"},
        {"answers": TRAVELLER, "name": 42},
    ],
)
def test_malformed_bodies_are_a_422(client, demo_quiz, body):
    assert post_result(client, body).status_code == 422


def test_non_string_answers_are_a_422_not_a_500(client, demo_quiz, shop):
    response = post_result(client, {"answers": {**TRAVELLER, "shoes": 1}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "shoes"


def test_unknown_market_is_a_422(client, demo_quiz, shop):
    response = post_result(client, {"answers": TRAVELLER, "market": "MARS"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "market"]


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        # Never cut silently: past the 40-character limit the name ends in "…".
        ("x" * 10_000, "x" * 39 + "…"),
        ("\u202eniL", "niL"),
        ("%{localtime}", "%{localtime}"),
    ],
)
def test_names_are_capped_and_shown_literally(client, demo_quiz, shop, name, stored):
    body = post_result(client, {"answers": TRAVELLER, "name": name, "locale": "en"}).json()
    assert body["name"] == stored
    assert body["display_name"] == stored
    page = client.get(f"/en/quiz/result/{body['result_id']}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    if stored.startswith("<script>"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_personalisation_off_shows_the_brands_default_ranking(client, demo_quiz, shop):
    body = post_result(client, {"answers": TRAVELLER, "market": "CN", "locale": "en",
                                "personalised": False}).json()  # fmt: skip
    # The brand's order (position), still only in stock, still a profile.
    assert [r["sku"] for r in body["recommendations"]] == [
        "WEEKENDER-1", "PASSPORT-1", "TOTE-1", "CLUTCH-1"
    ]  # fmt: skip
    assert body["profile"]["key"] == "jet-setter"
    assert all(
        r["reason"] == "The designer's pick for this season" for r in body["recommendations"]
    )
    assert QuizResult.objects.get(public_id=body["result_id"]).personalised is False


def test_when_matching_bags_sell_out_others_in_stock_fill_in(client, demo_quiz, shop):
    StockItem.objects.filter(sku__in=["WEEKENDER-1", "PASSPORT-1"], market_id="CN").update(
        on_hand=0
    )
    body = post_result(client, {"answers": TRAVELLER, "market": "CN"}).json()
    skus = [r["sku"] for r in body["recommendations"]]
    assert skus and "WEEKENDER-1" not in skus and "PASSPORT-1" not in skus


def test_nothing_in_stock_gives_an_empty_list_not_an_error(client, demo_quiz, shop):
    StockItem.objects.update(on_hand=0)
    response = post_result(client, {"answers": TRAVELLER, "market": "CN"})
    assert response.status_code == 200
    assert response.json()["recommendations"] == []


def test_a_bag_sold_only_in_another_market_is_never_recommended(client, demo_quiz, shop):
    from tests.factories import ProductFactory, sellable_variant

    us_only = ProductFactory(
        slug="us-only-duffel", trait_tags=["travel", "active", "outdoor"], position=0
    )
    sellable_variant(product=us_only, sku="USONLY-1", prices={"US": "999"}, stock={"US": 50})
    cn = post_result(client, {"answers": TRAVELLER, "market": "CN"}).json()
    us = post_result(client, {"answers": TRAVELLER, "market": "US"}).json()
    assert "USONLY-1" not in [r["sku"] for r in cn["recommendations"]]
    assert us["recommendations"][0]["sku"] == "USONLY-1"


def test_ping_is_the_cheapest_api_answer(client):
    assert client.get("/api/v1/ping").json() == {"status": "ok"}


def test_an_oversized_body_is_a_413_and_a_deeply_nested_one_a_400(client, demo_quiz):
    huge = json.dumps({"answers": {"shoes": "x" * 3_000_000}})
    response = client.post(
        "/api/v1/quizzes/ask-the-designer/result", huge, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    deep = "[" * 50_000 + "]" * 50_000
    response = client.post(
        "/api/v1/quizzes/ask-the-designer/result", deep, content_type="application/json"
    )
    assert response.status_code == 400


def call_wsgi(environ):
    """The site as the server calls it, keeping the test's database connection open
    (what Django's test client does too)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from trunkshow.wsgi import application

    started: list[str] = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, lambda status, headers, *_: started.append(status)))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started[0], body


def test_a_body_sent_in_chunks_is_read_like_any_other(demo_quiz, shop):
    # Given a client that streams its body (Transfer-Encoding: chunked, no Content-Length)
    from io import BytesIO

    body = json.dumps({"answers": TRAVELLER, "name": "Lin", "locale": "en", "market": "CN"})
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/quizzes/ask-the-designer/result",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http", "wsgi.input": BytesIO(body.encode()),
        "CONTENT_TYPE": "application/json", "HTTP_TRANSFER_ENCODING": "chunked",
    }  # fmt: skip
    # When it posts its answers, then it gets its result
    status, answer = call_wsgi(dict(environ))
    assert status == "200 OK"
    assert json.loads(answer)["profile"]["key"] == "jet-setter"
    # and so is one over HTTP/2, where a stream has no chunks but ends by itself
    del environ["HTTP_TRANSFER_ENCODING"]
    status, answer = call_wsgi(
        {**environ, "wsgi.input": BytesIO(body.encode()), "wsgi.input_terminated": True}
    )
    assert status == "200 OK" and json.loads(answer)["profile"]["key"] == "jet-setter"
    # and a streamed body over the API's limit is refused having read no more than that
    huge = BytesIO(b"x" * (20 * 1024 * 1024))
    status, refused = call_wsgi({**environ, "wsgi.input": huge, "wsgi.input_terminated": True})
    assert status == "413 Content Too Large" and b"too_large" in refused
    assert huge.tell() <= 2 * 1024 * 1024 + 1


def test_a_body_with_a_byte_order_mark_is_still_json(client, demo_quiz, shop):
    body = "\ufeff" + json.dumps({"answers": TRAVELLER, "market": "CN"})
    response = client.post(
        "/api/v1/quizzes/ask-the-designer/result", body.encode(), content_type="application/json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("{not json", 400, "The body is not valid JSON"),
        ('{"answers": NaN}', 400, "NaN is not a JSON number."),
        ('{"answers": "\\ud800"}', 400, "without lone surrogates"),
        ('{"answers": 1e400}', 400, "numbers must be finite"),
        ("[1, 2]", 422, "The body must be a JSON object."),
        ('"answers"', 422, "The body must be a JSON object."),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused_saying_why(
    client, demo_quiz, shop, body, status, message
):
    response = client.post(
        "/api/v1/quizzes/ask-the-designer/result", body, content_type="application/json"
    )
    assert response.status_code == status
    assert message in response.json()["message"]
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/quizes/ask-the-designer")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    # also for a mistyped POST, which no CSRF token could be sent with
    posted = Client(enforce_csrf_checks=True).post("/api/v1/quizes/x/result", {})
    assert posted.status_code == 404 and posted.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("given", "said"),
    [(1, "not a number"), ([], "not a list"), ({}, "not an object"), (True, "not true/false")],
)
def test_an_answer_that_is_not_text_is_named_in_json_words(client, demo_quiz, shop, given, said):
    response = post_result(client, {"answers": {**TRAVELLER, "shoes": given}})
    assert response.status_code == 422
    assert said in response.json()["detail"][0]["msg"]


def test_without_a_locale_the_quiz_speaks_the_language_the_client_asks_for(client, demo_quiz):
    asked = client.get("/api/v1/quizzes/ask-the-designer", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert asked.json()["locale"] == "en" and asked.json()["title"] == "Ask the designer"
    # and with nothing asked, or only languages the shop does not speak, the
    # quiz's own language: Chinese first
    assert client.get("/api/v1/quizzes/ask-the-designer").json()["locale"] == "zh-Hans"
    french = client.get("/api/v1/quizzes/ask-the-designer", HTTP_ACCEPT_LANGUAGE="fr-FR, de")
    assert french.json()["locale"] == "zh-Hans"
