"""The campaign in the admin: windows in the market's own time, overlaps refused, preview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import campaign
from trunkshow.campaigns.models import Campaign, CampaignWindow
from trunkshow.campaigns.services import campaign_schedule
from trunkshow.common.errors import Invalid

pytestmark = pytest.mark.django_db

ADD = "/admin/campaigns/campaign/add/"


@pytest.fixture
def admin_client(admin_client):
    """Staff reading the admin in English (the site's first language is Chinese)."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def form(slug: str, windows: list[tuple[str, str, str]], **extra: str) -> dict[str, str]:
    data = {
        "slug": slug,
        "quiz": "",
        "teaser_days": "7",
        "texts-TOTAL_FORMS": "2",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-locale": "zh-Hans",
        "texts-0-title": "超级品牌日",
        "texts-0-hero_text": "只此一天。",
        "texts-1-locale": "en",
        "texts-1-title": "Super Brand Day",
        "texts-1-hero_text": "One day only.",
        "windows-TOTAL_FORMS": str(len(windows)),
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "1",
        "windows-MAX_NUM_FORMS": "1000",
    }
    for i, (market, start, end) in enumerate(windows):
        data[f"windows-{i}-market"] = market
        data[f"windows-{i}-starts_local"] = start
        data[f"windows-{i}-ends_local"] = end
    data.update(extra)
    return data


def test_windows_are_authored_in_each_markets_time_and_stored_in_utc(admin_client, markets):
    # When staff schedule 10:00-22:00 in Shanghai and 09:00-21:00 in New York on a DST day
    response = admin_client.post(
        ADD,
        form(
            "super-brand-day",
            [
                ("CN", "2027-04-27T10:00", "2027-04-27T22:00"),
                ("US", "2027-03-14T09:00", "2027-03-14T21:00"),
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    # Then the instants are stored in UTC as each market's clocks mean them
    windows = {w.market_id: w for w in CampaignWindow.objects.all()}
    assert windows["CN"].starts_at == datetime(2027, 4, 27, 2, 0, tzinfo=UTC)
    assert windows["CN"].ends_at == datetime(2027, 4, 27, 14, 0, tzinfo=UTC)
    # New York is on daylight time (UTC-4) from 02:00 that morning
    assert windows["US"].starts_at == datetime(2027, 3, 14, 13, 0, tzinfo=UTC)
    # And the change page shows them back in local time
    campaign_pk = Campaign.objects.get().pk
    page = admin_client.get(f"/admin/campaigns/campaign/{campaign_pk}/change/").content.decode()
    assert 'value="2027-04-27T10:00"' in page
    assert 'value="2027-03-14T09:00"' in page


def test_an_overlapping_campaign_in_one_market_is_refused_naming_the_other(admin_client, markets):
    campaign(
        slug="spring-day",
        windows={"CN": (datetime(2027, 4, 27, 2, 0, tzinfo=UTC),
                        datetime(2027, 4, 27, 14, 0, tzinfo=UTC))},
    )  # fmt: skip
    # When staff add another campaign in China that starts before the first ends
    response = admin_client.post(
        ADD, form("flash-sale", [("CN", "2027-04-27T21:00", "2027-04-28T10:00")])
    )
    # Then it is refused with the other campaign's name and local times
    assert response.status_code == 200
    page = response.content.decode()
    assert "spring-day" in page
    assert "2027-04-27 10:00" in page and "2027-04-27 22:00" in page
    assert "may not overlap" in page
    assert not Campaign.objects.filter(slug="flash-sale").exists()
    # And the same hours in the US are fine
    response = admin_client.post(
        ADD, form("flash-sale", [("US", "2027-04-27T21:00", "2027-04-28T10:00")])
    )
    assert response.status_code == 302
    # And one starting exactly when the other ends is fine too
    response = admin_client.post(
        ADD, form("after-party", [("CN", "2027-04-27T22:00", "2027-04-28T10:00")])
    )
    assert response.status_code == 302


def test_a_time_the_clocks_skip_and_an_end_before_the_start_are_refused(admin_client, markets):
    response = admin_client.post(
        ADD,
        form(
            "dst-day",
            [("US", "2027-03-14T02:30", "2027-03-14T10:00"),
             ("CN", "2027-04-27T10:00", "2027-04-27T09:00")],
        ),
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "2027-03-14 02:30 does not exist in America/New_York" in page
    assert "must end after it starts" in page
    assert not Campaign.objects.exists()


def test_the_service_refuses_an_overlap_too(markets):
    start = datetime(2027, 4, 27, 2, 0, tzinfo=UTC)
    campaign(slug="spring-day", windows={"CN": (start, start + timedelta(hours=12))})
    other = campaign(slug="other", windows={})
    with pytest.raises(Invalid) as caught:
        campaign_schedule(
            campaign=other, windows={"CN": (start + timedelta(hours=1), start + timedelta(days=1))}
        )
    assert caught.value.code == "campaign_overlap"
    assert caught.value.errors[0][0] == ("windows", "CN")
    assert "spring-day" in caught.value.message
    assert not CampaignWindow.objects.filter(campaign=other).exists()


def test_preview_shows_the_store_at_a_chosen_instant(admin_client, markets):
    # Given a campaign from 10:00 to 22:00 in Shanghai on 27 April 2027
    c = campaign(
        windows={"CN": (datetime(2027, 4, 27, 2, 0, tzinfo=UTC),
                        datetime(2027, 4, 27, 14, 0, tzinfo=UTC))},
    )  # fmt: skip
    url = f"/admin/campaigns/campaign/{c.pk}/preview/"

    def preview(at: str, locale: str = "zh-Hans") -> str:
        response = admin_client.get(url, {"market": "CN", "at": at, "locale": locale})
        assert response.status_code == 200
        return response.content.decode()

    # When staff ask for the store at 09:59 Asia/Shanghai
    page = preview("2027-04-27T09:59")
    # Then they see the teaser, one minute before the start
    assert "即将开始" in page
    assert 'data-seconds="60"' in page
    assert "(2027-04-27 01:59 UTC)" in page
    # At 10:00 it is live; in English too
    assert "Live now" in preview("2027-04-27T10:00", locale="en")
    # After the end it is the archive; long before, the normal store
    assert "活动已结束" in preview("2027-04-27T22:00")
    assert "not shown in this market" in preview("2027-01-01T10:00", locale="en")


def test_only_staff_see_the_preview(client, markets):
    c = campaign(windows={})
    response = client.get(f"/admin/campaigns/campaign/{c.pk}/preview/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
