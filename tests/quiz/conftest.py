from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import ProductFactory, cn_market, sellable_variant, us_market
from trunkshow.quiz.services import quiz_import

DEMO_QUIZ = Path(__file__).resolve().parents[2] / "trunkshow/demo/quizzes/ask-the-designer.yaml"

TRAVELLER = {
    "shoes": "sneakers", "workout": "running", "morning": "coffee", "getaway": "beach",
    "night-out": "dance", "packing": "carry-on", "saturday": "market", "style": "classic",
}  # fmt: skip


@pytest.fixture
def demo_quiz(db):
    version, _created = quiz_import(source=DEMO_QUIZ.read_text(encoding="utf-8"))
    return version


@pytest.fixture
def shop(db):
    """A small catalog: bags for each lifestyle, priced in CN and US, mostly in stock."""
    cn_market()
    us_market()
    made = {}
    for position, (slug, tags, stock) in enumerate(
        [
            ("weekender", ["travel", "weekend", "active"], {"CN": 5, "US": 5}),
            ("passport", ["travel", "classic"], {"CN": 5, "US": 0}),
            ("tote", ["city", "work", "classic"], {"CN": 5, "US": 5}),
            ("clutch", ["evening", "glamour", "art"], {"CN": 5, "US": 5}),
            ("bucket", ["weekend", "relaxed", "outdoor"], {"CN": 5, "US": 5}),
            ("backpack", ["active", "outdoor"], {"CN": 0, "US": 5}),
        ]
    ):
        product = ProductFactory(
            slug=slug, trait_tags=tags, position=position,
            titles={"en": slug.title(), "zh-Hans": f"{slug}包"},
        )  # fmt: skip
        made[slug] = sellable_variant(
            product=product,
            sku=f"{slug.upper()}-1",
            prices={"CN": "1000", "US": "150"},
            stock=stock,
        )
    return made
