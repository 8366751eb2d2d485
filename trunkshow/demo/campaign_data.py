"""The demo brand's campaign day: live from the moment the demo loads, in both markets."""

from __future__ import annotations

from datetime import timedelta

SLUG = "super-brand-day"
QUIZ = "ask-the-designer"
# How long the demo campaign runs from the moment it is (re)scheduled.
LENGTH = timedelta(hours=24)
MARKETS = ["CN", "US"]
HERO_COLOUR = "#B3261E"
TEXTS = {
    "zh-Hans": (
        "超级品牌日",
        "只此一天：向设计师提问，收到她为你录制的视频，再亲手绘制属于你的标志手袋。",
    ),
    "en": (
        "Super Brand Day",
        "One day only: ask the designer, get a video she made for you, "
        "and paint a signature bag of your own.",
    ),
}

# One limited drop a few minutes after the start, so a newcomer sees its countdown at once.
DROP_AFTER_START = timedelta(minutes=5)
DROP_TITLES = {"zh-Hans": "红色都市手提包 · 限量发售", "en": "The red Metro satchel · limited drop"}
DROP_SKUS = ["SATC-RED"]
DROP_QUANTITY = 20  # released in each market
DROP_PER_SHOPPER_LIMIT = 1
