"""Experiments end to end: assignment across pages and API, the read-out, promotion."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from tests.analytics.conftest import TRAVELLER
from trunkshow.analytics.models import Event, Kind
from trunkshow.analytics.services import record_event
from trunkshow.common.local_cache import clear_local_caches
from trunkshow.engines.analytics.experiments import assign
from trunkshow.quiz.experiments import quiz_for_visitor
from trunkshow.quiz.models import QuizResult
from trunkshow.quiz.selectors import current_version
from trunkshow.quiz.services import (
    ExperimentNotReady,
    experiment_promote,
)

pytestmark = pytest.mark.django_db
SLUG = "ask-the-designer"


def visitor_in(variant: str) -> str:
    return next(f"{n:032x}" for n in range(1000)
                if assign("wording", f"{n:032x}", [("control", 1), ("new", 1)]) == variant)  # fmt: skip


def test_a_visitor_keeps_their_variant_on_the_page_in_the_api_and_in_the_result(client, experiment):
    # Given a visitor the hash puts in "control" (served v1 though v2 is current)
    me = visitor_in("control")
    client.cookies["ts_vid"] = me
    # When they open the page, then read the quiz and post answers by API
    client.get(f"/en/quiz/{SLUG}/")
    api = client.get(f"/api/v1/quizzes/{SLUG}", HTTP_X_VISITOR_ID=me).json()
    client.post(f"/api/v1/quizzes/{SLUG}/result", {"answers": TRAVELLER, "market": "CN"},
                content_type="application/json", HTTP_X_VISITOR_ID=me)  # fmt: skip
    # Then every answer is v1's and every event carries the variant
    assert api["version"] == 1
    assert QuizResult.objects.get().version.number == 1
    assert set(Event.objects.filter(visitor_id=me).values_list("variant", "quiz_version")) == {
        ("wording:control", 1)
    }
    # And a visitor in "new" is served v2
    assert quiz_for_visitor(slug=SLUG, visitor_id=visitor_in("new")).version.number == 2


def staff_get(client, path):
    staff = get_user_model().objects.create_user("analyst", password="pw-an-123", is_staff=True)
    client.force_login(staff)
    return client.get(path)


def arm(variant: str, visitors: int, buyers: int, offset: int) -> None:
    for n in range(visitors):
        visitor = f"{variant}-{offset + n}"
        label = f"wording:{variant}"
        record_event(kind=Kind.QUIZ_VIEWED, visitor_id=visitor, market="CN", quiz=SLUG,
                     quiz_version=1, variant=label)  # fmt: skip
        if n < buyers:
            record_event(kind=Kind.ORDER_PAID, visitor_id=visitor, market="CN", quiz=SLUG,
                         amount=Decimal("1000"), currency="CNY")  # fmt: skip


def test_the_read_out_says_not_enough_data_until_the_planned_sample(client, experiment):
    # Given a few visitors in each arm, far below the planned sample
    arm("control", 10, 3, 0)
    arm("new", 10, 6, 0)
    body = staff_get(client, "/api/v1/experiments/wording").json()
    # Then counts are shown but no verdict, and the design is named
    assert body["design"] == "fixed-horizon" and body["enough_data"] is False
    assert body["sample_size_per_variant"] == experiment.sample_size > 10
    assert [(v["key"], v["visitors"], v["converted"]) for v in body["variants"]] == [
        ("control", 10, 3), ("new", 10, 6)]  # fmt: skip
    assert body["comparisons"] == [] and body["winner"] is None
    assert body["variants"][1]["revenue_per_visitor"] == round(6 * 140.80 / 10, 2)
    # And promoting now is refused
    with pytest.raises(ExperimentNotReady):
        experiment_promote(experiment=experiment, variant_key="new")


def test_at_the_horizon_a_clear_lift_wins_and_promotion_makes_it_current(client, experiment):
    n = experiment.sample_size
    arm("control", n, n * 3 // 10, 0)
    arm("new", n, n * 8 // 10, 0)
    body = staff_get(client, "/api/v1/experiments/wording").json()
    assert body["enough_data"] is True
    (comparison,) = body["comparisons"]
    assert comparison["significant"] and comparison["ci_low"] > 0
    assert body["winner"] == "new" and not body["sample_ratio_mismatch"]["warning"]
    # When staff promote the winner
    experiment_promote(experiment=experiment, variant_key="new")
    clear_local_caches()
    # Then everyone is served the winner's text as the current version
    version, _definition = current_version(slug=SLUG)
    assert "# v2" in version.source
    assert quiz_for_visitor(slug=SLUG, visitor_id=visitor_in("control")).variant == ""


def test_a_skewed_split_is_flagged(client, experiment):
    arm("control", 200, 0, 0)
    arm("new", 120, 0, 0)
    body = staff_get(client, "/api/v1/experiments/wording").json()
    assert body["sample_ratio_mismatch"]["warning"] is True


def test_the_read_out_is_staff_only_and_404_for_an_unknown_slug(client, experiment):
    assert client.get("/api/v1/experiments/wording").status_code == 401
    assert staff_get(client, "/api/v1/experiments/nope").status_code == 404
