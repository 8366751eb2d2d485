"""The event sink: what a shopper's requests store, and that storing never hurts them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.analytics.conftest import TRAVELLER
from tests.commerce.conftest import checkout_body
from tests.commerce.test_checkout_api import cart_with, checkout
from trunkshow.analytics.models import Event, Kind
from trunkshow.analytics.services import (
    dropped_count,
    record_event,
    record_events,
    visitor_events_anonymise,
    visitor_events_export,
)
from trunkshow.quiz.models import QuizResult

pytestmark = pytest.mark.django_db(transaction=False)
ME = "0123456789abcdef0123456789abcdef"


def kinds(visitor: str = ME) -> list[str]:
    return list(Event.objects.filter(visitor_id=visitor).values_list("kind", flat=True))


def answers_form() -> dict[str, str]:
    return {f"answer-{k}": v for k, v in TRAVELLER.items()}


def test_the_quiz_page_and_its_result_are_recorded_with_their_context(client, demo_quiz, shop):
    # Given a browser with its visitor cookie
    client.cookies["ts_vid"] = ME
    # When it opens the Chinese quiz page in China and sends its answers
    client.get("/zh-hans/quiz/ask-the-designer/", HTTP_HOST="localhost")
    response = client.post("/zh-hans/quiz/ask-the-designer/", {**answers_form(), "name": "Lin"})
    # Then a view and a completion are stored under that visitor, with market,
    # language, quiz version and profile, and no name anywhere
    assert response.status_code == 302
    viewed, completed = Event.objects.filter(visitor_id=ME).order_by("id")
    result = QuizResult.objects.get()
    assert (viewed.kind, completed.kind) == (Kind.QUIZ_VIEWED, Kind.QUIZ_COMPLETED)
    assert completed.quiz == viewed.quiz == "ask-the-designer"
    assert completed.quiz_version == viewed.quiz_version == demo_quiz.number
    assert completed.profile == result.profile_key
    assert completed.locale == "zh-Hans" and completed.market == result.market_id
    assert "Lin" not in json.dumps(visitor_events_export(visitor_id=ME))


def test_an_api_client_is_recorded_under_its_own_visitor_id(client, demo_quiz, shop):
    # Given an API client naming itself with X-Visitor-Id
    # When it reads the quiz and posts its answers
    client.get("/api/v1/quizzes/ask-the-designer?locale=en", HTTP_X_VISITOR_ID=ME)
    response = client.post(
        "/api/v1/quizzes/ask-the-designer/result",
        {"answers": TRAVELLER, "market": "US", "locale": "en"},
        content_type="application/json",
        HTTP_X_VISITOR_ID=ME,
    )
    # Then both are its events, completed in the market the body named
    assert response.status_code == 200
    assert kinds() == [Kind.QUIZ_VIEWED, Kind.QUIZ_COMPLETED]
    assert Event.objects.get(kind=Kind.QUIZ_COMPLETED).market == "US"


def test_an_event_that_cannot_be_stored_is_dropped_and_the_callers_work_commits(db):
    # Given a caller writing in a transaction of its own
    before = dropped_count()
    with transaction.atomic():
        record_event(kind=Kind.QUIZ_VIEWED, visitor_id=ME, quiz="q", quiz_version=1)
        # When an event the table would refuse is recorded (a negative version
        # breaks its check constraint)
        stored = record_event(kind=Kind.QUIZ_VIEWED, visitor_id=ME, quiz="q", quiz_version=-1)
        # Then it is dropped and counted, and the caller's transaction still works
        record_event(kind=Kind.QUIZ_COMPLETED, visitor_id=ME, quiz="q", quiz_version=1)
    assert stored is False
    assert dropped_count() == before + 1
    assert kinds() == [Kind.QUIZ_VIEWED, Kind.QUIZ_COMPLETED]


@pytest.mark.parametrize(
    "bad",
    [
        {"quiz": "q" * 41},  # longer than the column
        {"quiz": "q\x00"},  # PostgreSQL text holds no NUL
        {"answer": "\ud800"},  # a lone surrogate is no UTF-8
        {"position": 40_000},  # past a small integer
        {"quiz_version": True},
        {"progress": "50"},
        {"amount": Decimal("1e12"), "currency": "CNY"},
        {"amount": Decimal("NaN"), "currency": "CNY"},
        {"profile": 7},
        {"colour": "red"},  # not a field
    ],
)
def test_an_event_the_table_would_refuse_never_reaches_it_and_the_transaction_goes_on(db, bad):
    # Given a caller's transaction (no savepoint guards the event's INSERT)
    before = dropped_count()
    with transaction.atomic():
        # When an event with a value the table cannot hold is recorded
        stored = record_event(kind=Kind.QUIZ_VIEWED, visitor_id=ME, **bad)
        # Then it is dropped and counted before the database sees it, and the
        # transaction takes the next event (PostgreSQL would refuse it after a failed INSERT)
        assert record_event(kind=Kind.QUIZ_COMPLETED, visitor_id=ME, quiz="q", quiz_version=1)
    assert stored is False
    assert dropped_count() == before + 1
    assert kinds() == [Kind.QUIZ_COMPLETED]


def test_the_events_of_one_call_share_one_insert_and_a_bad_one_is_left_out(db):
    # Given three events, the second one bad
    events = [
        {"kind": Kind.QUESTION_SHOWN, "visitor_id": ME, "quiz": "q", "question": "a", "position": 1},
        {"kind": Kind.QUESTION_SHOWN, "visitor_id": ME, "quiz": "q", "question": "b" * 99},
        {"kind": Kind.QUESTION_ANSWERED, "visitor_id": ME, "quiz": "q", "question": "a",
         "position": 1, "answer": "yes"},
    ]  # fmt: skip
    # When they are recorded together
    with CaptureQueriesContext(connection) as queries:
        stored = record_events(events)
    # Then the good two are stored by one INSERT, the bad one dropped
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert stored == 2 and len(inserts) == 1
    assert kinds() == [Kind.QUESTION_SHOWN, Kind.QUESTION_ANSWERED]
    answered = Event.objects.get(kind=Kind.QUESTION_ANSWERED)
    assert (answered.question, answered.position, answered.answer) == ("a", 1, "yes")


def test_cart_checkout_and_payment_are_recorded_for_the_shopper_with_revenue_converted(
    client, store
):
    # Given a shopper (by cookie) who fills a cart in China
    client.cookies["ts_vid"] = ME
    cart_id = cart_with(client, [("TOTE-1", 1)])
    # When they check out and the payment is captured
    response = checkout(client, cart_id, checkout_body())
    assert response.status_code == 201
    # Then cart, checkout and the paid order are theirs; the amount is in CNY
    # and in the reporting currency at the stored rate (1 CNY = 0.1408 USD)
    assert kinds() == [Kind.ADDED_TO_CART, Kind.CHECKOUT_STARTED, Kind.ORDER_PAID]
    paid = Event.objects.get(kind=Kind.ORDER_PAID)
    assert (paid.amount, paid.currency) == (Decimal("1000.00"), "CNY")
    assert paid.amount_reporting == Decimal("140.80")
    assert paid.ref == cart_id


def csrf_client() -> tuple[Client, str]:
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["ts_vid"] = ME
    page = browser.get("/en/")
    token = page.cookies.get("csrftoken") or browser.cookies.get("csrftoken")
    if token is None:  # the home page has no form: take one from a page that has
        browser.get("/en/cart/")
        token = browser.cookies["csrftoken"]
    return browser, token.value


def beacon(browser: Client, events: object, token: str | None = None, **extra: str):
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    return browser.post(
        "/analytics/events/",
        json.dumps({"events": events}),
        content_type="application/json",
        **headers,
        **extra,
    )


SHOWN = {"kind": "question_shown", "quiz": "ask-the-designer", "quiz_version": 1,
         "question": "shoes", "position": 1}  # fmt: skip


def test_the_beacon_stores_the_browsers_events_under_its_visitor(db, demo_quiz):
    browser, token = csrf_client()
    # When the page reports a question shown, answered and the video's first quarter
    response = beacon(
        browser,
        [{**SHOWN, "variant": "wording:new"},
         {**SHOWN, "kind": "question_answered", "answer": "sneakers"},
         {"kind": "video_progress", "quiz": "ask-the-designer", "progress": 25}],
        token,
    )  # fmt: skip
    # Then they are stored for this visitor, with the server's language
    assert response.status_code == 204
    assert kinds() == [Kind.QUESTION_SHOWN, Kind.QUESTION_ANSWERED, Kind.VIDEO_PROGRESS]
    assert Event.objects.get(kind=Kind.QUESTION_ANSWERED).answer == "sneakers"
    assert Event.objects.get(kind=Kind.QUESTION_SHOWN).variant == "wording:new"


def test_the_beacon_refuses_a_post_without_the_csrf_token(db):
    browser, _token = csrf_client()
    assert beacon(browser, [SHOWN]).status_code == 403
    assert kinds() == []


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ([{**SHOWN, "kind": "order_paid"}], "events[0].kind"),
        ([{**SHOWN, "position": 0}], "events[0].position"),
        ([{**SHOWN, "variant": "no-colon"}], "events[0].variant"),
        ([{**SHOWN, "question": "x" * 41}], "events[0].question"),
        ([SHOWN, {**SHOWN, "visitor_id": "someone-else"}], "events[1].visitor_id"),
        ([{"kind": "video_progress", "quiz": "q", "progress": 33}], "events[0].progress"),
        ([SHOWN] * 21, "events"),
        ([], "events"),
    ],
)
def test_the_beacon_names_the_field_it_refuses_and_stores_nothing(db, events, field):
    browser, token = csrf_client()
    response = beacon(browser, events, token)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert kinds() == []


def test_the_beacon_refuses_a_body_past_its_limit(db):
    browser, token = csrf_client()
    response = beacon(browser, [{**SHOWN, "answer": "a" * 9000}], token)
    assert response.status_code == 413


def test_a_visitors_events_export_and_anonymise_keeping_counts(db):
    # Given two visitors' events
    other = "f" * 32
    for visitor in (ME, other):
        record_event(kind=Kind.QUIZ_VIEWED, visitor_id=visitor, quiz="q", quiz_version=1)
    record_event(kind=Kind.QUIZ_COMPLETED, visitor_id=ME, quiz="q", profile="traveller")
    # When one asks for their data, then to be forgotten
    exported = visitor_events_export(visitor_id=ME)
    changed = visitor_events_anonymise(visitor_id=ME)
    # Then the export had exactly their events; afterwards nothing is under
    # their id, yet the same number of visitors viewed and completed
    assert [e["kind"] for e in exported] == [Kind.QUIZ_VIEWED, Kind.QUIZ_COMPLETED]
    assert changed == 2 and visitor_events_export(visitor_id=ME) == []
    viewers = Event.objects.filter(kind=Kind.QUIZ_VIEWED).values("visitor_id").distinct()
    completers = Event.objects.filter(kind=Kind.QUIZ_COMPLETED).values("visitor_id").distinct()
    assert (viewers.count(), completers.count()) == (2, 1)
