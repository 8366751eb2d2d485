"""The quiz as web pages: works without JavaScript, loses nothing on a mistake."""

from __future__ import annotations

import pytest

from tests.quiz.conftest import TRAVELLER
from trunkshow.quiz.models import QuizResult

pytestmark = pytest.mark.django_db


def form_data(answers, **extra):
    return {**{f"answer-{k}": v for k, v in answers.items()}, **extra}


def test_the_quiz_page_in_chinese_and_english(client, demo_quiz, shop):
    zh = client.get("/zh-hans/quiz/ask-the-designer/").content.decode()
    assert "运动鞋还是细高跟？" in zh and "瑜伽还是跑步？" in zh
    assert "第 %(n)s 题，共 %(total)s 题" in zh
    en = client.get("/en/quiz/ask-the-designer/").content.decode()
    assert "Sneakers or stilettos?" in en and "Yoga or running?" in en
    assert 'name="answer-shoes" value="sneakers"' in en


def test_submitting_all_answers_leads_to_the_result_page(client, demo_quiz, shop):
    response = client.post(
        "/en/quiz/ask-the-designer/", form_data(TRAVELLER, name="Mei", personalised="1")
    )
    assert response.status_code == 302
    result = QuizResult.objects.get()
    assert response["Location"] == f"/en/quiz/result/{result.public_id}/"
    assert result.personalised is True
    page = client.get(response["Location"]).content.decode()
    assert "Mei, you are a Jet-Setter" in page
    assert "Picked for you" in page
    assert "/en/products/weekender/?sku=WEEKENDER-1" in page
    assert "private" in client.get(response["Location"])["Cache-Control"]


def test_an_unticked_personalisation_box_gives_the_designers_picks(client, demo_quiz, shop):
    response = client.post("/zh-hans/quiz/ask-the-designer/", form_data(TRAVELLER))
    assert QuizResult.objects.get().personalised is False
    assert "设计师精选" in client.get(response["Location"]).content.decode()


def test_a_missing_answer_keeps_every_other_answer_and_the_name(client, demo_quiz, shop):
    answers = dict(TRAVELLER)
    del answers["packing"]
    response = client.post(
        "/en/quiz/ask-the-designer/", form_data(answers, name="Lin", personalised="1")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Some questions still need an answer" in page
    assert 'value="sneakers" checked' in page
    assert 'value="Lin"' in page
    assert QuizResult.objects.count() == 0


def test_the_quiz_form_requires_csrf(demo_quiz, shop):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/en/quiz/ask-the-designer/", form_data(TRAVELLER)).status_code == 403


def test_unknown_quiz_and_result_pages_are_404(client, demo_quiz, shop):
    assert client.get("/en/quiz/nope/").status_code == 404
    assert client.get("/en/quiz/result/abcdefghijklmnop/").status_code == 404


def test_the_home_page_invites_to_the_quiz(client, demo_quiz, shop):
    assert "/zh-hans/quiz/ask-the-designer/" in client.get("/zh-hans/").content.decode()


def test_a_pick_sold_out_since_offers_the_colour_still_in_stock(client, demo_quiz, shop):
    # Given a result whose first pick, the weekender, has since sold out in China,
    # while a green weekender came in
    from django.test import Client

    from tests.factories import sellable_variant
    from trunkshow.common.local_cache import clear_local_caches
    from trunkshow.inventory.models import StockItem

    client.cookies["trunkshow_market"] = "CN"
    made = client.post("/en/quiz/ask-the-designer/", form_data(TRAVELLER, personalised="1"))
    result = QuizResult.objects.get()
    assert result.market_id == "CN"
    StockItem.objects.filter(sku="WEEKENDER-1", market_id="CN").update(on_hand=0)
    sellable_variant(product=shop["weekender"].product, sku="WEEKENDER-2",
                     color_names={"en": "Green", "zh-Hans": "绿色"}, prices={"CN": "1000"},
                     stock={"CN": 2})  # fmt: skip
    clear_local_caches()  # the catalog snapshot of another moment
    # When the shopper opens it again, then the sold-out pick cannot be added,
    # and leads to the green one instead
    page = Client().get(made["Location"]).content.decode()
    assert 'data-buy="WEEKENDER-1"' not in page
    assert 'data-other-colour="WEEKENDER-2"' in page and "In stock in Green" in page
    # and so does the API
    picks = client.get(f"/api/v1/quiz-results/{result.public_id}?locale=en").json()
    weekender = next(p for p in picks["recommendations"] if p["sku"] == "WEEKENDER-1")
    assert weekender["in_stock"] is False
    assert weekender["in_stock_colour"]["sku"] == "WEEKENDER-2"
    assert weekender["in_stock_colour"]["product_url"].endswith("?sku=WEEKENDER-2")
    # and with every colour gone, it says so
    StockItem.objects.filter(sku="WEEKENDER-2").update(on_hand=0)
    gone = Client().get(made["Location"]).content.decode()
    assert "Sold out in every colour for now." in gone
