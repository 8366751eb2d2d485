"""The home page taken over by a campaign: teaser, live, and the archive after it ends."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from tests.factories import campaign
from trunkshow.campaigns.models import ReminderSignup
from trunkshow.common.middleware import MARKET_COOKIE

pytestmark = pytest.mark.django_db


def seconds_shown(page: str) -> int:
    return int(re.search(r'data-seconds="(\d+)"', page).group(1))


def test_a_live_campaign_takes_over_the_chinese_home_page(client, markets, clock):
    # Given a campaign live in China for two more hours
    campaign(windows={"CN": (clock.now - timedelta(hours=1), clock.now + timedelta(hours=2))})
    # When a shopper opens the home page
    page = client.get("/zh-hans/").content.decode()
    # Then the campaign is the page: its title, that it is live, a countdown to its end
    assert '<h1 id="campaign-h" class="campaign-title">超级品牌日</h1>' in page
    assert "正在进行" in page
    assert "距结束还有" in page
    assert seconds_shown(page) == 2 * 3600
    # shown in Shanghai's time
    local_end = timezone_local(clock.now + timedelta(hours=2), "Asia/Shanghai")
    assert local_end in page
    # And the store's shelves are still below it
    assert 'id="featured-h"' in page
    assert "/campaigns/super-brand-day/" in page


def timezone_local(instant, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def test_the_countdown_counts_the_servers_seconds_to_the_start_in_a_teaser(client, markets, clock):
    # Given a campaign starting in 90 seconds
    campaign(windows={"CN": (clock.now + timedelta(seconds=90), clock.now + timedelta(hours=3))})
    page = client.get("/zh-hans/").content.decode()
    # Then the teaser counts 90 seconds down to the start, with a "remind me" form
    assert "即将开始" in page
    assert "距开始还有" in page
    assert seconds_shown(page) == 90
    assert 'action="/zh-hans/campaigns/super-brand-day/remind/"' in page
    # When the start has come, the same page is live
    clock.move(seconds=90)
    page = client.get("/zh-hans/").content.decode()
    assert "正在进行" in page
    assert seconds_shown(page) == 3 * 3600 - 90


def test_the_english_us_home_shows_the_us_window_in_new_york_time(client, markets, clock):
    campaign(
        windows={
            "CN": (clock.now - timedelta(hours=1), clock.now + timedelta(hours=1)),
            "US": (clock.now + timedelta(hours=12), clock.now + timedelta(hours=20)),
        }
    )
    client.cookies[MARKET_COOKIE] = "US"
    page = client.get("/en/").content.decode()
    assert "Coming soon" in page
    assert "Starts in" in page
    assert "America/New_York" in page
    assert timezone_local(clock.now + timedelta(hours=12), "America/New_York") in page
    assert seconds_shown(page) == 12 * 3600


def test_a_campaign_in_china_only_leaves_the_us_store_as_it_is(client, markets, clock):
    campaign(windows={"CN": (clock.now - timedelta(hours=1), clock.now + timedelta(hours=1))})
    client.cookies[MARKET_COOKIE] = "US"
    page = client.get("/en/").content.decode()
    assert "campaign-h" not in page
    assert "Meet the designer. Find your bag. Make it yours." in page


def test_after_the_end_the_store_is_normal_and_the_campaign_page_is_an_archive(
    client, markets, clock
):
    # Given a campaign that ended an hour ago
    campaign(windows={"CN": (clock.now - timedelta(hours=25), clock.now - timedelta(hours=1))})
    # Then the home page is the normal store
    home = client.get("/zh-hans/").content.decode()
    assert "campaign-h" not in home
    # And the campaign page is readable as an archive, without a countdown or a form
    page = client.get("/zh-hans/campaigns/super-brand-day/").content.decode()
    assert "超级品牌日" in page
    assert "活动已结束" in page
    assert "data-countdown" not in page
    assert "remind" not in page
    # still readable long after the API's 7-day archive
    clock.move(days=30)
    assert client.get("/zh-hans/campaigns/super-brand-day/").status_code == 200


def test_a_campaign_is_not_shown_before_its_teaser_nor_where_it_does_not_run(
    client, markets, clock
):
    campaign(
        windows={"CN": (clock.now + timedelta(days=8), clock.now + timedelta(days=9))},
        teaser_days=7,
    )
    assert "campaign-h" not in client.get("/zh-hans/").content.decode()
    assert client.get("/zh-hans/campaigns/super-brand-day/").status_code == 404
    client.cookies[MARKET_COOKIE] = "US"
    assert client.get("/en/campaigns/super-brand-day/").status_code == 404
    assert client.get("/en/campaigns/no-such-campaign/").status_code == 404


def test_remind_me_stores_an_email_once_and_sends_nothing(client, markets, clock, mailoutbox):
    campaign(windows={"CN": (clock.now + timedelta(hours=1), clock.now + timedelta(hours=2))})
    # When a shopper leaves their e-mail on the teaser
    response = client.post(
        "/zh-hans/campaigns/super-brand-day/remind/",
        {"email": "Lin@Example.com", "next": "/zh-hans/"},
        follow=True,
    )
    # Then they are back on the home page, told it worked
    assert response.redirect_chain[-1][0] == "/zh-hans/"
    assert "谢谢" in response.content.decode()
    # And the address is stored once, in lower case, with their market and language
    client.post("/zh-hans/campaigns/super-brand-day/remind/", {"email": "lin@example.com"})
    signup = ReminderSignup.objects.get()
    assert (signup.email, signup.market_id, signup.locale) == ("lin@example.com", "CN", "zh-Hans")
    # And no mail goes out now
    assert mailoutbox == []


def test_remind_me_keeps_the_browsers_visitor_and_respects_its_refusal(client, markets, clock):
    campaign(windows={"CN": (clock.now + timedelta(hours=1), clock.now + timedelta(hours=2))})
    client.cookies["ts_vid"] = "c" * 32
    # Given a browser that refused personalisation in the banner
    client.post("/zh-hans/privacy/consent/", {"choice": "necessary", "next": "/zh-hans/"})
    # When it asks to be reminded
    response = client.post(
        "/zh-hans/campaigns/super-brand-day/remind/", {"email": "lin@example.com"}, follow=True
    )
    # Then nothing is stored, and the page says why with a way to the privacy page
    page = response.content.decode()
    assert ReminderSignup.objects.count() == 0
    assert 'class="remind-done" role="status"' in page and 'href="/zh-hans/privacy/"' in page
    # When it allows personalisation and asks again, the sign-up keeps the browser's id
    client.post("/zh-hans/privacy/consent/", {"choice": "selected", "personalisation": "1"})
    client.post("/zh-hans/campaigns/super-brand-day/remind/", {"email": "lin@example.com"})
    assert ReminderSignup.objects.get().visitor_id == "c" * 32


def test_remind_me_without_an_email_stores_nothing(client, markets, clock):
    campaign(windows={"CN": (clock.now + timedelta(hours=1), clock.now + timedelta(hours=2))})
    client.cookies[MARKET_COOKIE] = "CN"  # an English-speaking shopper in China
    response = client.post("/en/campaigns/super-brand-day/remind/", {"email": "  "}, follow=True)
    assert response.status_code == 200
    assert "Nothing was stored" in response.content.decode()
    assert ReminderSignup.objects.count() == 0


def test_a_bad_email_is_named_beside_its_field_and_nothing_is_stored(client, markets, clock):
    campaign(windows={"CN": (clock.now + timedelta(hours=1), clock.now + timedelta(hours=2))})
    for bad in ["not-an-address", "a" * 250 + "@example.com"]:
        response = client.post("/zh-hans/campaigns/super-brand-day/remind/", {"email": bad})
        assert response.status_code == 400
        page = response.content.decode()
        assert 'aria-invalid="true"' in page
        assert 'class="field-error" id="remind-error"' in page
    assert ReminderSignup.objects.count() == 0


def test_remind_me_needs_the_csrf_token_and_a_safe_next(markets, clock):
    campaign(windows={"CN": (clock.now + timedelta(hours=1), clock.now + timedelta(hours=2))})
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/zh-hans/campaigns/super-brand-day/remind/", {"email": "a@b.cn"})
    assert response.status_code == 403
    assert ReminderSignup.objects.count() == 0
    response = Client().post(
        "/zh-hans/campaigns/super-brand-day/remind/",
        {"email": "a@b.cn", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/zh-hans/campaigns/super-brand-day/"


def test_the_campaigns_words_are_escaped(client, markets, clock):
    campaign(
        windows={"CN": (clock.now - timedelta(hours=1), clock.now + timedelta(hours=1))},
        texts={"zh-Hans": ("<script>alert(1)</script>", "<b>hi</b>"), "en": ("x", "y")},
    )
    page = client.get("/zh-hans/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;hi&lt;/b&gt;" in page


def test_the_calendar_file_holds_the_markets_window(client, markets, clock):
    start, end = clock.now + timedelta(hours=1), clock.now + timedelta(hours=2)
    campaign(windows={"CN": (start, end)})
    client.cookies[MARKET_COOKIE] = "CN"
    response = client.get("/en/campaigns/super-brand-day/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in body
    assert f"DTEND:{end:%Y%m%dT%H%M%SZ}" in body
    assert "SUMMARY:Super Brand Day" in body
