"""Consent in the banner and the privacy page; the privacy API's contract."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from tests.privacy.conftest import EMAIL
from tests.quiz.conftest import TRAVELLER, shop  # noqa: F401 - shared fixture
from trunkshow.common.models import ConsentRecord
from trunkshow.privacy.models import PrivacyRequest
from trunkshow.privacy.services import privacy_link_send

pytestmark = pytest.mark.django_db

VISITOR = "b" * 32


def api(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_the_banner_shows_until_a_choice_is_made_and_the_history_is_kept(client):
    first = client.get("/zh-hans/")
    assert "data-consent-banner" in first.content.decode() and "仅必要" in first.content.decode()
    client.post("/zh-hans/privacy/consent/", {"choice": "necessary", "next": "/zh-hans/"})
    assert "data-consent-banner" not in client.get("/zh-hans/").content.decode()
    client.post("/en/privacy/consent/", {"choice": "selected", "personalisation": "1",
                                         "source": "privacy page"})  # fmt: skip
    history = list(ConsentRecord.objects.order_by("created_at", "pk").values_list(
        "analytics", "personalisation", "source"))  # fmt: skip
    assert history == [(False, False, "banner"), (False, True, "privacy page")]


def _ranking(client, personalised, **headers):
    body = {"answers": TRAVELLER, "market": "CN", "locale": "en", "personalised": personalised}
    return api(client, "/api/v1/quizzes/ask-the-designer/result", body, **headers).json()


def test_refusing_personalisation_gives_the_brand_ranking_and_video_everywhere(
    client,
    demo_quiz,
    shop,  # noqa: F811 - the shared fixture
):
    # Given the brand's default ranking and the personal one for the same answers
    default = _ranking(client, False, REMOTE_ADDR="10.1.0.1")
    personal = _ranking(client, True, REMOTE_ADDR="10.1.0.2")
    assert [r["sku"] for r in default["recommendations"]] != [
        r["sku"] for r in personal["recommendations"]
    ]
    # When a visitor refuses personalisation in the banner, then asks for a personal ranking
    client.post("/en/privacy/consent/", {"choice": "necessary"}, HTTP_X_VISITOR_ID=VISITOR)
    refused = _ranking(client, True, HTTP_X_VISITOR_ID=VISITOR, REMOTE_ADDR="10.1.0.3")
    # Then they get the brand's ranking, and the same video message as the default
    assert [r["sku"] for r in refused["recommendations"]] == [
        r["sku"] for r in default["recommendations"]
    ]
    assert refused["personalised"] is False
    assert refused["video"]["id"] == default["video"]["id"]
    # And the quiz page's box is unticked for them
    page = Client(HTTP_X_VISITOR_ID=VISITOR).get("/en/quiz/ask-the-designer/").content.decode()
    assert 'name="personalised" value="1" checked' not in page


def test_asking_answers_202_alike_for_known_and_unknown_addresses(client):
    known = api(client, "/api/v1/privacy/requests", {"kind": "erase", "email": EMAIL})
    unknown = api(client, "/api/v1/privacy/requests", {"kind": "erase", "email": "x@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json() == {"status": "accepted"}
    # Nothing is held about either here: no mail goes to a stranger
    for made in PrivacyRequest.objects.all():
        assert privacy_link_send(request_id=made.pk, send=lambda *_: None) == "nothing_held"
    assert mail.outbox == []


def test_bad_input_names_the_field_and_bad_tokens_are_404_or_410(client, settings):
    bad = api(client, "/api/v1/privacy/requests", {"kind": "export", "email": "nope"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "email"]
    kind = api(client, "/api/v1/privacy/requests", {"kind": "sell", "email": EMAIL})
    assert kind.status_code == 422 and kind.json()["detail"][0]["loc"][-1] == "kind"
    nobody = api(client, "/api/v1/privacy/requests", {"kind": "export"})
    assert nobody.status_code == 422
    # An id short enough to guess hands nobody's data out
    guessable = api(client, "/api/v1/privacy/requests", {"kind": "export"}, HTTP_X_VISITOR_ID="42")
    assert guessable.status_code == 422 and guessable.json()["detail"][0]["loc"] == [
        "body",
        "email",
    ]
    # A visitor without an e-mail gets the link straight away
    mine = api(client, "/api/v1/privacy/requests", {"kind": "export"}, HTTP_X_VISITOR_ID=VISITOR)
    assert mine.status_code == 202 and "/privacy/requests/" in mine.json()["link"]
    confirm = "/api/v1/privacy/requests/{}/confirm"
    forged = client.post(confirm.format("abc:def"), content_type="application/json")
    assert forged.status_code == 404 and forged.json()["code"] == "not_found"
    settings.PRIVACY_LINK_SECONDS = -1
    expired = client.post(confirm.format(mine.json()["token"]), content_type="application/json")
    assert expired.status_code == 410


def test_asking_is_rate_limited_per_email_and_per_address(client, settings):
    settings.PRIVACY_EMAIL_RATE = "2/h"
    codes = [
        api(client, "/api/v1/privacy/requests", {"kind": "export", "email": EMAIL},
            REMOTE_ADDR=f"10.2.0.{i}").status_code
        for i in range(3)
    ]  # fmt: skip
    assert codes == [202, 202, 429]
    same_address = [
        api(client, "/api/v1/privacy/requests", {"kind": "export", "email": f"p{i}@example.com"},
            REMOTE_ADDR="10.3.0.1").status_code
        for i in range(70)
    ]  # fmt: skip
    assert 429 in same_address


def test_staff_start_a_request_from_the_admin_and_see_the_log(admin_client):
    response = admin_client.post(
        "/admin/privacy/privacyrequest/add/",
        {"kind": "export", "email": EMAIL, "locale": "zh-Hans"},
    )
    assert response.status_code == 302
    made = PrivacyRequest.objects.get()
    assert (made.kind, made.email, made.requested_by) == ("export", EMAIL, "admin")
    log = admin_client.get("/admin/privacy/privacyrequest/").content.decode()
    assert "admin" in log and "Requested" in log
