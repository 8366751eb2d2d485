"""A shopper takes the quiz, watches the video and buys, on a phone; the staff
dashboard's funnel then counts one more at each step."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import wait_until
from tests.browser.test_video import NO_NATIVE_HLS, finish_quiz, run_render_jobs
from trunkshow.analytics.models import Event, Kind

pytestmark = pytest.mark.browser
STEPS = ["Viewed the quiz", "Answered a question", "Completed the quiz", "Watched half the video",
         "Clicked a pick", "Added to bag", "Paid"]  # fmt: skip


def funnel_on_dashboard() -> list[int]:
    staff = get_user_model().objects.filter(username="analyst").first() or (
        get_user_model().objects.create_user("analyst", password="pw-an-123", is_staff=True)
    )
    reader = Client()
    reader.force_login(staff)
    page = reader.get("/en/analytics/?quiz=ask-the-designer&market=US").content.decode()
    return [
        int(re.search(rf'<th scope="row">{step}</th><td>(\d+)</td>', page).group(1))
        for step in STEPS
    ]


def test_a_journey_from_quiz_to_payment_counts_once_at_every_step(phone, live_server, demo_shop):
    before = funnel_on_dashboard()
    page = phone
    page.add_init_script(NO_NATIVE_HLS)
    refused = []  # a beacon the server turned down, to say why if the counts are off
    page.on("response", lambda r: refused.append((r.status, r.request.post_data))
            if "/analytics/events/" in r.url and r.status != 204 else None)  # fmt: skip
    # Given a shopper who accepts analytics in the banner of the first page
    page.goto(f"{live_server.url}/en/")
    banner = page.locator("[data-consent-banner]")
    banner.locator("input[name=analytics]").check()
    banner.locator("button[value=selected]").click()
    page.wait_for_load_state()
    # When they answer every question and get their result
    finish_quiz(page, live_server.url, "Mei")
    # And watches past the middle of their video
    run_render_jobs()
    wait_until(
        page, "document.querySelector('[data-video] video').currentSrc.endsWith('/message.mp4')"
    )
    # (the video loads nothing until tapped: preload="none" keeps the page light)
    page.locator("[data-video] video").click()
    wait_until(page, "document.querySelector('[data-video] video').duration > 0")
    page.evaluate("""() => { const v = document.querySelector('[data-video] video');
                             v.currentTime = v.duration * 0.6; }""")
    wait_until(
        page,
        """() => { const v = document.querySelector('[data-video] video');
                                return v.currentTime > v.duration / 2 && !v.paused; }""",
    )
    # And buys the first pick with the sandbox card
    page.locator(".pick .buy").first.click()
    page.wait_for_url(re.compile(r"/en/cart/"))
    page.get_by_role("link", name="Checkout").click()
    page.wait_for_url(re.compile(r"/en/checkout/"))
    for field, value in [("email", "mei@example.com"), ("name", "Mei"), ("phone", "+1 212 555 0123"),
                         ("region", "NY"), ("city", "New York"), ("line1", "100 Fifth Avenue"),
                         ("postal_code", "10001")]:  # fmt: skip
        page.fill(f"input[name={field}]", value)
    page.get_by_role("button", name="Pay now").click()
    page.wait_for_url(re.compile(r"/en/orders/"))
    # Then, once the page's last events are in, the dashboard counts one more at each step
    for _ in range(50):
        if Event.objects.filter(kind=Kind.PRODUCT_CLICKED).exists():
            break
        page.wait_for_timeout(100)
    after = funnel_on_dashboard()
    stored = list(
        Event.objects.exclude(visitor_id__startswith="demo").values_list("kind", "progress")
    )
    assert refused == []
    # Every question shown and answered reached the server (8 of each)
    assert [kind for kind, _ in stored].count(Kind.QUESTION_ANSWERED) == 8
    assert [a - b for a, b in zip(after, before, strict=True)] == [1] * len(STEPS), stored


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_dashboard_reads_on_a_phone_in_both_languages(phone, live_server, demo_shop, language):
    # Given a staff member signing in on their phone
    get_user_model().objects.create_user("analyst", password="pw-an-123", is_staff=True)
    page = phone
    page.goto(f"{live_server.url}/{language}/atelier/login/?next=/{language}/analytics/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "pw-an-123")
    page.locator("button.button-wide[type=submit]").click()
    page.wait_for_url(re.compile(r"/analytics/"))
    # Then every chart and table fits the 375 px screen, and it passes axe-core
    assert page.locator("svg.chart").count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, where=f"analytics dashboard ({language})")
