"""No consent, no counting: analytics respects the visitor's choice server-side."""

from __future__ import annotations

import pytest

from tests.analytics.conftest import TRAVELLER
from trunkshow.analytics.models import Event
from trunkshow.common import consent
from trunkshow.common.consent import consent_record

pytestmark = pytest.mark.django_db
ME = "0123456789abcdef0123456789abcdef"


def take_the_quiz(client) -> None:
    client.cookies["ts_vid"] = ME
    client.get("/en/quiz/ask-the-designer/")
    answers = {f"answer-{k}": v for k, v in TRAVELLER.items()}
    response = client.post("/en/quiz/ask-the-designer/", {**answers, "name": "Lin"})
    assert response.status_code == 302


@pytest.fixture
def undecided_means_no(monkeypatch):
    # The site's own rule, not the analytics tests' "they said yes".
    monkeypatch.setattr(
        consent, "UNDECIDED", consent.Consent(analytics=False, personalisation=True, chosen=False)
    )


def test_a_visitor_who_has_not_chosen_is_not_counted(client, demo_quiz, shop, undecided_means_no):
    # Given a visitor who never answered the banner
    # When they take the quiz
    take_the_quiz(client)
    # Then no event holds their visitor id
    assert not Event.objects.filter(visitor_id=ME).exists()


def test_a_visitor_who_refused_analytics_is_not_counted(client, demo_quiz, shop):
    # Given a visitor who chose "necessary only"
    consent_record(visitor_id=ME, analytics=False, personalisation=True, source="banner")
    # When they take the quiz
    take_the_quiz(client)
    # Then nothing about them is stored
    assert not Event.objects.filter(visitor_id=ME).exists()


def test_a_visitor_who_accepted_analytics_is_counted(client, demo_quiz, shop, undecided_means_no):
    # Given a visitor who ticked analytics
    consent_record(visitor_id=ME, analytics=True, personalisation=True, source="banner")
    # When they take the quiz
    take_the_quiz(client)
    # Then their view and completion are counted
    assert Event.objects.filter(visitor_id=ME).count() >= 2
