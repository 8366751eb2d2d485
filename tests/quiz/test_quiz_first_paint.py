"""The quiz page is drawn as steps by the server, so nothing moves as it loads (issue 21)."""

from __future__ import annotations

import re

import pytest

from tests.quiz.conftest import TRAVELLER

pytestmark = pytest.mark.django_db


def current_steps(page: str) -> list[str]:
    """The legends of the fieldsets the server marks as the open step."""
    return re.findall(
        r'<fieldset class="question[^"]*\bis-current\b[^"]*"[^>]*>\s*<legend[^>]*>([^<]+)<', page
    )


def test_the_first_question_is_the_open_step_before_any_script_runs(client, demo_quiz, shop):
    # When a Chinese shopper opens the quiz
    page = client.get("/zh-hans/quiz/ask-the-designer/").content.decode()
    # Then the server already shows step one with its progress text
    assert current_steps(page) == ["运动鞋还是细高跟？"]
    assert ">第 1 题，共 8 题</p>" in page
    assert 'aria-valuenow="1"' in page and 'aria-valuetext="第 1 题，共 8 题"' in page
    # the class that draws steps is set by a script file, never an inline one
    assert re.search(r'<script src="[^"]*quiz/early[.\w]*\.js"></script>', page)
    assert "<script>" not in page
    # Back and Next start disabled (nothing answered yet)
    assert re.search(r"<button [^>]*data-back disabled>", page)
    assert re.search(r"<button [^>]*data-next disabled>", page)


def test_after_a_mistake_the_open_step_is_the_question_still_to_answer(client, demo_quiz, shop):
    answers = {k: v for k, v in TRAVELLER.items() if k != "packing"}
    response = client.post(
        "/en/quiz/ask-the-designer/",
        {**{f"answer-{k}": v for k, v in answers.items()}, "name": "Lin"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert len(current_steps(page)) == 1
    assert ">Question 6 of 8</p>" in page
    assert 'id="q-packing"' in re.search(r"<fieldset[^>]*is-current[^>]*>", page).group(0)


def test_the_name_field_shows_its_limit_in_both_languages(client, demo_quiz, shop):
    zh = client.get("/zh-hans/quiz/ask-the-designer/").content.decode()
    en = client.get("/en/quiz/ask-the-designer/").content.decode()
    assert 'maxlength="40"' in en and 'aria-describedby="quiz-name-limit"' in en
    assert "Up to 40 characters, shown whole on your video card." in en
    assert "最多 40 个字，会完整显示在你的视频卡片上。" in zh
    assert ">0/40</span>" in en
    # what a screen reader hears as the shopper types, politely
    assert 'aria-live="polite" data-name-announce' in zh
    assert "已输入 %(count)s 个字，最多 %(limit)s 个。" in zh
    assert "%(count)s of %(limit)s characters used." in en


def test_a_name_kept_after_a_mistake_counts_its_characters(client, demo_quiz, shop):
    answers = {k: v for k, v in TRAVELLER.items() if k != "style"}
    page = client.post(
        "/en/quiz/ask-the-designer/",
        {**{f"answer-{k}": v for k, v in answers.items()}, "name": "Lin Mei"},
    ).content.decode()
    assert ">7/40</span>" in page
