"""The API speaks the request's language, and says a name as the card shows it (issue 21)."""

from __future__ import annotations

import json

import pytest

from tests.quiz.conftest import TRAVELLER

pytestmark = pytest.mark.django_db


def post_result(client, body, **headers):
    return client.post(
        "/api/v1/quizzes/ask-the-designer/result",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_an_unanswered_question_is_named_in_the_bodys_language(client, demo_quiz, shop):
    # Given answers with one question left out
    answers = {k: v for k, v in TRAVELLER.items() if k != "shoes"}
    # When a Chinese and an English client send them
    zh = post_result(client, {"answers": answers, "locale": "zh-Hans", "market": "CN"})
    en = post_result(client, {"answers": answers, "locale": "en", "market": "CN"})
    # Then each reads the same problem in its own language
    assert zh.status_code == en.status_code == 422
    assert zh.json()["detail"][0]["msg"] == "shoes：尚未作答。"
    assert en.json()["detail"][0]["msg"] == "shoes: is not answered."
    assert zh["Content-Language"] == "zh-hans" and en["Content-Language"] == "en"


def test_an_unknown_answer_and_a_wrong_kind_are_worded_in_chinese(client, demo_quiz, shop):
    answers = {**TRAVELLER, "shoes": "boots", "workout": 3}
    body = post_result(client, {"answers": answers, "locale": "zh-Hans"}).json()
    messages = [d["msg"] for d in body["detail"]]
    assert "shoes：没有答案 'boots'；请从以下选项中选择：sneakers, stilettos。" in messages
    assert any(m.startswith("workout：必须是答案键（文本），而不是数字") for m in messages)
    assert body["message"] == " ".join(messages)


def test_the_query_locale_words_an_unknown_market(client, demo_quiz, shop):
    zh = client.get("/api/v1/products?market=XX&locale=zh-Hans").json()
    en = client.get("/api/v1/products?market=XX&locale=en").json()
    assert zh["message"] == "未知市场 'XX'；可用的市场：CN, US。"
    assert en["message"] == "Unknown market 'XX'; known markets: CN, US."


def test_without_a_locale_accept_language_decides_and_english_is_the_default(client, demo_quiz):
    zh = client.get("/api/v1/quiz-results/nope", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    en = client.get("/api/v1/quiz-results/nope", HTTP_ACCEPT_LANGUAGE="en-GB")
    plain = client.get("/api/v1/quiz-results/nope")
    assert zh.status_code == en.status_code == plain.status_code == 404
    assert zh.json()["message"] == "没有这个结果。"
    assert en.json()["message"] == plain.json()["message"] == "No such result."
    # an unknown path, too
    lost = client.get("/api/v1/nowhere", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert lost.json()["message"] == "/api/v1/nowhere 没有 API 接口；请参阅 /api/v1/docs。"


def test_schema_validation_messages_follow_the_locale(client, demo_quiz, shop):
    # Given a body without its answers (a schema error, before any of our code)
    zh = post_result(client, {"locale": "zh-Hans", "personalised": "maybe"})
    en = post_result(client, {"locale": "en", "personalised": "maybe"})
    assert zh.status_code == en.status_code == 422
    zh_msgs = {tuple(d["loc"]): d["msg"] for d in zh.json()["detail"]}
    en_msgs = {tuple(d["loc"]): d["msg"] for d in en.json()["detail"]}
    assert zh_msgs[("body", "answers")] == "此字段为必填项"
    assert en_msgs[("body", "answers")] == "Field required"
    assert zh_msgs[("body", "personalised")].startswith("应为 true 或 false")
    assert zh.json()["message"].startswith("输入无效：")
    assert en.json()["message"].startswith("Invalid input: ")


def test_a_locale_the_shop_does_not_speak_is_refused_in_the_header_language(client, demo_quiz):
    refused = post_result(
        client, {"answers": TRAVELLER, "locale": "fr"}, HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == "未知语言 'fr'；可用的语言：zh-Hans, en。"


@pytest.mark.parametrize(
    "name",
    ["林", "欧阳" * 20, "Maximiliana Anastasia Wolfeschlegelstein", "W" * 40],
)
def test_a_name_within_the_limit_is_shown_whole(client, demo_quiz, shop, name):
    body = post_result(client, {"answers": TRAVELLER, "name": name, "locale": "zh-Hans"}).json()
    assert body["name"] == name
    assert body["display_name"] == name
    reopened = client.get(f"/api/v1/quiz-results/{body['result_id']}").json()
    assert reopened["display_name"] == name


def test_a_name_past_the_limit_ends_in_an_ellipsis(client, demo_quiz, shop):
    body = post_result(client, {"answers": TRAVELLER, "name": "林" * 60}).json()
    assert body["display_name"] == body["name"] == "林" * 39 + "…"
