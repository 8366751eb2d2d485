"""A generated history of a branching quiz whose answers are known in advance.

Each visitor's plan says what they did; `expected` counts from the plans
alone (never from stored events), so a report that disagrees is wrong.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from trunkshow.analytics.services import record_event

ZONES = {"CN": "Asia/Shanghai", "US": "America/New_York"}
RATE = {"CN": Decimal("0.1408"), "US": Decimal("1")}
CURRENCY = {"CN": "CNY", "US": "USD"}
START = datetime(2026, 11, 1, tzinfo=UTC)
STEPS = ["viewed", "first_answer", "completed", "video_50", "product_click", "add_to_cart", "paid"]


@dataclass
class Plan:
    visitor: str
    market: str
    locale: str
    variant: str
    version: int
    day: date
    depth: int = 1
    shown: set[str] = field(default_factory=set)
    answered: set[str] = field(default_factory=set)
    profile: str = ""
    video: set[int] = field(default_factory=set)
    orders: list[int] = field(default_factory=list)  # cents in the reporting currency
    events: list[tuple[datetime, str, dict]] = field(default_factory=list)


def make_history(visitors: int = 300, seed: int = 26) -> list[Plan]:
    rng = random.Random(seed)
    plans = []
    for n in range(visitors):
        market = rng.choice(["CN", "US"])
        variant = rng.choice(["control", "new"])
        at = START + timedelta(minutes=rng.randrange(14 * 24 * 60))
        plan = Plan(
            visitor=f"{n:032x}", market=market, locale=rng.choice(["en", "zh-Hans"]),
            variant=variant, version=1 if variant == "control" else 2,
            day=at.astimezone(ZoneInfo(ZONES[market])).date(),
        )  # fmt: skip
        plans.append(plan)

        def add(kind: str, plan: Plan = plan, **fields: object) -> None:
            nonlocal at
            at += timedelta(seconds=rng.randrange(5, 400))
            plan.events.append((at, kind, fields))

        add("quiz_viewed")
        plan.day = plan.events[0][0].astimezone(ZoneInfo(ZONES[market])).date()
        if rng.random() < 0.9:
            walk(rng, plan, add)
        if rng.random() < 0.05:  # comes back and views again: still one journey
            add("quiz_viewed")
    return plans


def walk(rng: random.Random, plan: Plan, add) -> None:  # type: ignore[no-untyped-def]
    first = rng.choice(["beach", "city"])
    path = [("first", 1), (first, 2), ("last", 3)]
    for question, position in path:
        add("question_shown", question=question, position=position)
        plan.shown.add(question)
        if rng.random() < 0.15:
            return
        answer = first if question == "first" else rng.choice(["x", "y"])
        add("question_answered", question=question, position=position, answer=answer)
        plan.answered.add(question)
        plan.depth = max(plan.depth, 2)
    if rng.random() < 0.15:
        return
    plan.profile = f"{first}-lover"
    add("quiz_completed", profile=plan.profile)
    plan.depth = 3
    if rng.random() < 0.8:
        add("video_started", profile=plan.profile)
        plan.video.add(0)
        for mark in (25, 50, 75, 100):
            if rng.random() < 0.25:
                break
            add("video_progress", profile=plan.profile, progress=mark)
            plan.video.add(mark)
    if 50 in plan.video:
        plan.depth = 4
        if rng.random() < 0.7:
            add("result_product_clicked", profile=plan.profile, ref="TOTE-1")
            plan.depth = 5
    if rng.random() < 0.6:
        add("added_to_cart", ref=f"cart-{plan.visitor}")
        if plan.depth == 5:
            plan.depth = 6
        for _order in range(rng.choice([1, 1, 2])):
            if rng.random() < 0.6:
                amount = Decimal(rng.randrange(100, 5000))
                add("order_paid", ref=f"cart-{plan.visitor}", amount=amount,
                    currency=CURRENCY[plan.market])  # fmt: skip
                plan.orders.append(
                    int((amount * RATE[plan.market]).quantize(Decimal("0.01")) * 100)
                )
                if plan.depth == 6:
                    plan.depth = 7


def store(plans: list[Plan]) -> int:
    """Record every plan's events in the order they happened; return how many."""
    timeline = sorted(
        ((at, plan, kind, fields) for plan in plans for at, kind, fields in plan.events),
        key=lambda item: (item[0], item[1].visitor),
    )
    for at, plan, kind, fields in timeline:
        quiz = {} if kind in ("added_to_cart", "order_paid") else {
            "quiz": "trip", "quiz_version": plan.version, "variant": plan.variant}  # fmt: skip
        assert record_event(kind=kind, visitor_id=plan.visitor, market=plan.market,
                            locale=plan.locale, at=at, **quiz, **fields)  # fmt: skip
    return len(timeline)


def expected(plans: list[Plan]) -> dict[str, object]:
    steps = Counter()
    shown, answered, profiles, orders, revenue, video = (Counter() for _ in range(6))
    for plan in plans:
        for step in STEPS[: plan.depth]:
            steps[step] += 1
        shown.update(plan.shown)
        answered.update(plan.answered)
        if plan.profile:
            profiles[plan.profile] += 1
        orders[plan.profile] += len(plan.orders)
        revenue[plan.profile] += sum(plan.orders)
        video.update(plan.video)
    return {"steps": [steps[s] for s in STEPS], "shown": shown, "answered": answered,
            "profiles": +profiles, "orders": +orders, "revenue": +revenue, "video": video}  # fmt: skip
