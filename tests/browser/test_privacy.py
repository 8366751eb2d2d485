"""A Chinese shopper refuses personalisation, takes the quiz, then downloads their data."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from django.core import mail

from tests.browser.a11y import assert_accessible
from tests.jobs import run_queued_jobs
from trunkshow.common.models import ConsentRecord
from trunkshow.quiz import selectors
from trunkshow.quiz.models import QuizResult

pytestmark = pytest.mark.browser


def test_refuse_personalisation_take_the_quiz_and_download_the_data(phone, live_server, demo_shop):
    page = phone
    # Given a first visit in Chinese: the banner asks, without hiding the page
    page.goto(live_server.url + "/zh-hans/")
    banner = page.locator("[data-consent-banner]")
    assert banner.is_visible() and "关于您数据的选择" in banner.inner_text()
    assert_accessible(page, where="home with the consent banner")

    # When the shopper keeps only what is necessary
    banner.get_by_role("button", name="仅必要").click()
    page.wait_for_url(re.compile(r"/zh-hans/$"))
    assert page.locator("[data-consent-banner]").count() == 0
    consent = ConsentRecord.objects.get()
    assert (consent.analytics, consent.personalisation) == (False, False)

    # And takes the quiz with the box left as the page drew it
    page.goto(live_server.url + "/zh-hans/quiz/ask-the-designer/")
    assert not page.locator("input[name=personalised]").is_checked()
    for _ in range(8):
        page.locator("fieldset.question:not([hidden]) label.answer").first.click()
        page.wait_for_timeout(300)
    page.get_by_role("button", name="查看我的结果").click()
    page.wait_for_url(re.compile(r"/zh-hans/quiz/result/"))

    # Then the picks are the brand's, in the brand's order
    assert page.locator("#picks-h").inner_text() == "设计师精选"
    result = QuizResult.objects.get()
    default = selectors.recommend(market_code=result.market_id, affinity=None)
    assert [r["sku"] for r in result.recommendations] == [p.candidate.sku for p in default]
    assert result.personalised is False

    # When they ask for a copy of their data with their e-mail
    page.goto(live_server.url + "/zh-hans/privacy/")
    page.fill("input[name=email]", "lin.privacy@example.com")
    page.get_by_role("button", name="发送我的请求").click()
    assert "链接已在发送途中" in page.locator("[role=status]").inner_text()
    run_queued_jobs("default")

    # And open the link from the e-mail, and prepare the file
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/privacy/requests/\S+/", body).group(0)
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name="准备我的文件").click()
    run_queued_jobs("default")
    page.reload()

    # Then the ZIP downloads, with their quiz result in it
    with page.expect_download() as download:
        page.get_by_role("link", name="下载您的数据（ZIP）").click()
    archive = zipfile.ZipFile(download.value.path())
    data = json.loads(archive.read("data.json"))["data"]
    assert data["quiz_results"][0]["personalised"] is False
    assert data["consent_history"][0]["personalisation"] is False
    # And a summary in their language
    assert "data.json 包含所有记录" in archive.read("summary.txt").decode()
