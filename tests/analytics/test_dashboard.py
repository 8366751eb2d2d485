"""The staff dashboard: pictures with their numbers, CSV, both languages, staff only."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from tests.analytics.test_experiments import arm

pytestmark = pytest.mark.django_db
PAGE = "/en/analytics/?quiz=ask-the-designer&market=CN&from=2026-12-01&to=2026-12-07"


@pytest.fixture
def staff_client(client):
    staff = get_user_model().objects.create_user("analyst", password="pw-an-123", is_staff=True)
    client.force_login(staff)
    return client


def test_the_dashboard_draws_each_table_beside_its_numbers(staff_client, history):
    page = staff_client.get(PAGE).content.decode()
    # Then every report is an SVG picture and a table with the funnel's counts
    for table in ("funnel", "questions", "profiles", "revenue", "video"):
        assert f'data-table="{table}"' in page
    assert page.count('<svg class="chart"') >= 5
    assert '<th scope="row">Viewed the quiz</th><td>3</td><td>100.0 %</td>' in page
    assert '<th scope="row">Answered a question</th><td>2</td><td>66.7 %</td>' in page


def test_every_table_downloads_as_csv(staff_client, history):
    response = staff_client.get(PAGE + "&csv=questions")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Question", "Shown to", "Answered", "Drop-off"], ["shoes", "3", "2", "33.3 %"]]


def test_the_dashboard_speaks_chinese(staff_client, history):
    page = staff_client.get(PAGE.replace("/en/", "/zh-hans/")).content.decode()
    assert "漏斗" in page and "下载 CSV" in page


def test_an_experiment_before_its_horizon_says_not_enough_data(staff_client, experiment):
    arm("control", 5, 1, 0)
    arm("new", 5, 2, 0)
    page = staff_client.get("/en/analytics/?quiz=ask-the-designer").content.decode()
    assert "Not enough data yet." in page and "Fixed-horizon tests" in page
    assert "Promote" not in page


def test_only_staff_see_it(client, history):
    assert client.get(PAGE).status_code == 302
    shopper = get_user_model().objects.create_user("lin", password="pw-lin-123")
    client.force_login(shopper)
    assert client.get(PAGE).status_code == 403
