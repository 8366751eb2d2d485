"""GET /api/v1/campaigns/current: what a market shows now, as the contract names it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import campaign

pytestmark = pytest.mark.django_db

URL = "/api/v1/campaigns/current"


def test_a_live_campaign_in_chinese(client, markets, clock):
    # Given a campaign live in China and the US
    start, end = clock.now - timedelta(hours=1), clock.now + timedelta(hours=5)
    campaign(windows={"CN": (start, end), "US": (start, end + timedelta(hours=1))})
    # When a client asks what China shows, in Chinese
    response = client.get(URL, {"market": "CN", "locale": "zh-Hans"})
    # Then it is the campaign, live, counting down to its end by the server's clock
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "super-brand-day"
    assert body["title"] == "超级品牌日"
    assert body["status"] == "live"
    assert body["starts_at"] == start.isoformat()
    assert body["ends_at"] == end.isoformat()
    assert body["server_time"] == clock.now.isoformat()
    assert body["next_moment"]["kind"] == "end"
    assert body["next_moment"]["at"] == end.isoformat()
    assert body["next_moment"]["seconds"] == 5 * 3600
    assert body["time_zone"] == "Asia/Shanghai"
    assert body["starts_at_local"].endswith("+08:00")
    assert body["hero"] == {"text": "只此一天。", "image_url": "", "video_url": ""}
    assert body["quiz_slug"] is None
    assert body["page_url"] == "http://testserver/zh-hans/campaigns/super-brand-day/"
    # drops and streams come with later increments
    assert body["drops"] == []
    assert body["streams"] == []


def test_the_us_window_in_english(client, markets, clock):
    campaign(windows={"US": (clock.now + timedelta(minutes=10), clock.now + timedelta(hours=8))})
    body = client.get(URL, {"market": "US", "locale": "en"}).json()
    assert body["title"] == "Super Brand Day"
    assert body["status"] == "teaser"
    assert body["next_moment"]["kind"] == "start"
    assert body["next_moment"]["seconds"] == 600
    assert body["time_zone"] == "America/New_York"
    assert body["page_url"] == "http://testserver/en/campaigns/super-brand-day/"


def test_an_ended_campaign_is_the_archive_for_seven_days_then_no_campaign(client, markets, clock):
    campaign(windows={"CN": (clock.now - timedelta(days=1), clock.now - timedelta(hours=1))})
    body = client.get(URL, {"market": "CN"}).json()
    assert body["status"] == "ended"
    assert body["next_moment"] is None
    clock.move(days=7)
    response = client.get(URL, {"market": "CN"})
    assert response.status_code == 404
    assert response.json()["code"] == "no_campaign"


def test_no_campaign_is_a_404_naming_it(client, markets):
    response = client.get(URL, {"market": "US", "locale": "en"})
    assert response.status_code == 404
    assert response.json() == {"code": "no_campaign", "message": "No campaign in market US now."}


def test_an_unknown_market_or_locale_is_a_422_naming_each(client, markets):
    response = client.get(URL, {"market": "XX", "locale": "fr"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert [d["loc"] for d in body["detail"]] == [["query", "market"], ["query", "locale"]]
